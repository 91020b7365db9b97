import { describe, expect, it } from 'vitest';
import {
  type AnswerSnapshot,
  answerDeadline,
  effectiveRules,
  isLate,
  retakesLeft,
  transition,
} from './stateMachine';

const t0 = new Date('2026-11-20T02:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const rules = effectiveRules({ thinkSeconds: 30, answerSeconds: 60, retakes: 1, practice: false }, null, 10);
const served: AnswerSnapshot = {
  state: 'served',
  servedAt: t0,
  windowStartedAt: null,
  retakesUsed: 0,
  late: false,
};

function run(a: AnswerSnapshot, ...events: Parameters<typeof transition>[1][]) {
  let cur = a;
  for (const e of events) {
    const r = transition(cur, e, rules);
    if (!r.ok) return r;
    cur = r.next;
  }
  return { ok: true as const, next: cur };
}

describe('answer state machine', () => {
  it('served -> answering -> uploaded -> verified -> submitted', () => {
    const r = run(
      served,
      { type: 'start', at: at(5) },
      { type: 'uploaded', at: at(50) },
      { type: 'verified', at: at(52), ok: true },
      { type: 'accept', at: at(53) },
    );
    expect(r.ok && r.next).toMatchObject({ state: 'submitted', late: false, windowStartedAt: at(5) });
  });

  it('starting early opens the window at start; after the think time it opened by itself', () => {
    const early = transition(served, { type: 'start', at: at(5) }, rules);
    expect(early.ok && early.next.windowStartedAt).toEqual(at(5));
    const lateStart = transition(served, { type: 'start', at: at(45) }, rules);
    expect(lateStart.ok && lateStart.next.windowStartedAt).toEqual(at(30));
    // Start twice is harmless (a reload while recording).
    const again = early.ok ? transition(early.next, { type: 'start', at: at(9) }, rules) : early;
    expect(again.ok && again.next.windowStartedAt).toEqual(at(5));
  });

  it('timers: deadline = window start + answer time + grace; late answers are flagged, not dropped', () => {
    expect(answerDeadline(served, rules)).toEqual(at(30 + 60 + 10));
    expect(isLate(served, rules, at(100))).toBe(false);
    expect(isLate(served, rules, at(101))).toBe(true);
    const r = run(
      served,
      { type: 'start', at: at(0) },
      { type: 'uploaded', at: at(71) },
      { type: 'verified', at: at(72), ok: true },
    );
    expect(r.ok && r.next).toMatchObject({ state: 'late', late: true });
    // A late answer cannot be retaken, only kept.
    if (r.ok) {
      expect(transition(r.next, { type: 'retake', at: at(80) }, rules)).toMatchObject({
        ok: false,
        code: 'invalid_transition',
      });
      expect(transition(r.next, { type: 'accept', at: at(80) }, rules)).toMatchObject({
        ok: true,
        next: { state: 'submitted' },
      });
    }
  });

  it('retakes are counted and limited; a broken recording costs none; a flagged one is free', () => {
    const verified = run(
      served,
      { type: 'start', at: at(0) },
      { type: 'uploaded', at: at(10) },
      { type: 'verified', at: at(11), ok: true },
    );
    if (!verified.ok) throw new Error('setup');
    const retake = run(verified.next, { type: 'retake', at: at(12) });
    expect(retake.ok && retake.next).toMatchObject({ state: 'retake', retakesUsed: 1 });
    if (!retake.ok) throw new Error('setup');
    expect(retakesLeft(retake.next, rules)).toBe(0);
    const second = run(
      retake.next,
      { type: 'start', at: at(13) },
      { type: 'uploaded', at: at(20) },
      { type: 'verified', at: at(21), ok: true },
    );
    if (!second.ok) throw new Error('setup');
    expect(second.next.windowStartedAt).toEqual(at(13));
    expect(transition(second.next, { type: 'retake', at: at(22) }, rules)).toMatchObject({
      ok: false,
      code: 'no_retakes_left',
    });
    expect(transition(second.next, { type: 'retake', at: at(22), free: true }, rules)).toMatchObject({
      ok: true,
      next: { state: 'retake', retakesUsed: 1 },
    });
    const broken = run(
      served,
      { type: 'start', at: at(0) },
      { type: 'uploaded', at: at(10) },
      { type: 'verified', at: at(11), ok: false },
    );
    expect(broken.ok && broken.next).toMatchObject({ state: 'answering', retakesUsed: 0 });
  });

  it('submitted answers are locked; impossible events are refused', () => {
    const done = run(served, { type: 'text', at: at(40) });
    expect(done.ok && done.next.state).toBe('submitted');
    if (!done.ok) throw new Error('setup');
    for (const type of ['start', 'uploaded', 'retake', 'accept', 'text'] as const)
      expect(transition(done.next, { type, at: at(41) } as never, rules)).toMatchObject({
        ok: false,
        code: 'answer_locked',
      });
    expect(transition(served, { type: 'uploaded', at: at(1) }, rules)).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
    expect(transition(served, { type: 'accept', at: at(1) }, rules)).toMatchObject({ ok: false });
    expect(transition(served, { type: 'verified', at: at(1), ok: true }, rules)).toMatchObject({ ok: false });
  });

  it('text answers after the time are late', () => {
    const r = transition(served, { type: 'text', at: at(101) }, rules);
    expect(r.ok && r.next.late).toBe(true);
  });

  it('accommodations: extra time and retakes; practice has unlimited retakes', () => {
    const acc = effectiveRules(
      { thinkSeconds: 30, answerSeconds: 60, retakes: 1, practice: false },
      { extraTimePercent: 50, extraRetakes: 2 },
      10,
    );
    expect(acc).toEqual({ thinkSeconds: 45, answerSeconds: 90, retakes: 3, graceSeconds: 10 });
    expect(
      effectiveRules({ thinkSeconds: 5, answerSeconds: 5, retakes: 0, practice: true }, null, 0).retakes,
    ).toBeNull();
    expect(retakesLeft({ ...served, retakesUsed: 99 }, { ...rules, retakes: null })).toBeNull();
  });
});
