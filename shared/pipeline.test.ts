import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  canTransition,
  mayTrigger,
  routeReport,
  TRANSITION_NAMES,
  TRANSITIONS,
  type TransitionActor,
} from './pipeline';
import { STAGES, TERMINAL_STAGES } from './stages';

// Written out independently of the implementation: before the offer goes out HR may reject.
const HR_REJECTABLE = [
  'invited',
  'booked',
  'interviewing',
  'submitted',
  'scored',
  'in_review',
  'second_round',
  'second_round_booked',
  'second_round_done',
  'offer_approval',
];

// The expected table, written out independently of the implementation: [transition, from..., to].
const EXPECTED: Record<string, { from: string[]; to: string }> = {
  book: { from: ['invited'], to: 'booked' },
  unbook: { from: ['booked', 'interviewing'], to: 'invited' },
  start_interview: { from: ['invited', 'booked'], to: 'interviewing' },
  submit: { from: ['invited', 'booked', 'interviewing'], to: 'submitted' },
  score: { from: ['submitted'], to: 'scored' },
  review: { from: ['submitted', 'scored'], to: 'in_review' },
  advance_second_round: { from: ['in_review'], to: 'second_round' },
  book_second_round: { from: ['second_round'], to: 'second_round_booked' },
  unbook_second_round: { from: ['second_round_booked'], to: 'second_round' },
  complete_second_round: { from: ['second_round_booked'], to: 'second_round_done' },
  request_offer: { from: ['second_round_done'], to: 'offer_approval' },
  offer_refused: { from: ['offer_approval'], to: 'second_round_done' },
  send_offer: { from: ['offer_approval'], to: 'offer_sent' },
  accept_offer: { from: ['offer_sent'], to: 'accepted' },
  onboard: { from: ['accepted'], to: 'onboarding' },
  hire: { from: ['onboarding'], to: 'hired' },
  reject: { from: HR_REJECTABLE, to: 'rejected' },
  withdraw: { from: [...HR_REJECTABLE, 'offer_sent', 'accepted'], to: 'withdrawn' },
};

describe('pipeline state machine', () => {
  it('has exactly the expected transitions', () => {
    expect([...TRANSITION_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of TRANSITION_NAMES) {
    for (const from of STAGES) {
      const allowed = EXPECTED[name]?.from.includes(from) ?? false;
      it(`${name} from ${from}: ${allowed ? 'allowed' : 'forbidden'}`, () => {
        expect(canTransition(name, from)).toBe(allowed);
        if (allowed) expect(TRANSITIONS[name].to).toBe(EXPECTED[name]?.to);
      });
    }
  }

  it('nothing leaves a terminal stage', () => {
    for (const s of TERMINAL_STAGES)
      for (const n of TRANSITION_NAMES) expect(canTransition(n, s)).toBe(false);
  });

  it('the system never advances, rejects or offers: every such move needs a person', () => {
    const personOnly = [
      'advance_second_round',
      'request_offer',
      'send_offer',
      'reject',
      'accept_offer',
      'withdraw',
      'hire',
    ];
    for (const n of personOnly) {
      expect(mayTrigger(n as never, 'system')).toBe(false);
      expect(TRANSITIONS[n as keyof typeof TRANSITIONS].personDecides).toBe(true);
    }
    expect(mayTrigger('reject', 'hr')).toBe(true);
    expect(mayTrigger('reject', 'approver')).toBe(false);
    expect(mayTrigger('send_offer', 'approver')).toBe(true);
    expect(mayTrigger('send_offer', 'hr')).toBe(false);
    expect(mayTrigger('accept_offer', 'candidate')).toBe(true);
    expect(mayTrigger('accept_offer', 'hr')).toBe(false);
  });

  it('lists the actions an actor has in a stage', () => {
    const hr: TransitionActor = 'hr';
    expect(allowedTransitions('in_review', hr).sort()).toEqual(['advance_second_round', 'reject'].sort());
    expect(allowedTransitions('offer_sent', 'candidate').sort()).toEqual(['accept_offer', 'withdraw']);
    expect(allowedTransitions('hired', hr)).toEqual([]);
  });
});

describe('report routing by job rules', () => {
  const t = { pass: 75, reject: 50 };
  it('routes by thresholds (pass inclusive, reject exclusive)', () => {
    expect(routeReport({ overall: 75, flags: [] }, t, false)).toEqual({
      suggestion: 'pass',
      reason: 'pass_threshold',
    });
    expect(routeReport({ overall: 74.9, flags: [] }, t, false).reason).toBe('between_thresholds');
    expect(routeReport({ overall: 50, flags: [] }, t, false).reason).toBe('between_thresholds');
    expect(routeReport({ overall: 49.9, flags: [] }, t, false)).toEqual({
      suggestion: 'reject',
      reason: 'below_reject_threshold',
    });
  });
  it('quality flags and person-only always go to review', () => {
    expect(routeReport({ overall: 95, flags: ['low_audio'] }, t, false).reason).toBe('quality_flags');
    expect(routeReport({ overall: 10, flags: [] }, t, true).reason).toBe('person_only');
    expect(routeReport(null, t, false).suggestion).toBe('review');
  });
});
