/**
 * The state machine of one interview answer, as pure code (no I/O, no clock): commands load the
 * row, call {@link transition} with the time and the question's rules, and store the result.
 *
 *   served ──start──▶ answering ──uploaded──▶ uploaded ──verified(ok)──▶ verified ──accept──▶ submitted
 *     │                  ▲  │                    │                    │   ▲
 *     │                  │  └──text──▶ submitted │ verified(broken)   │   └ retake ◀─retake─┘
 *     │                  └───────────────────────┘ (no retake used)   │
 *     └──text──▶ submitted                   verified(ok, late) ──▶ late ──accept──▶ submitted
 *
 * `late` is a verified answer that arrived after the time limit plus grace: it is kept and
 * flagged, never dropped, and cannot be retaken (the time is up). `submitted` is locked.
 */

import { ANSWER_STATES, type AnswerState } from '../../kernel/db/entities/InterviewSession';

// The states are stored in the entity's enum column (kernel); the rules over them live here.
export { ANSWER_STATES, type AnswerState };

/** What the machine needs to know about the answer. */
export interface AnswerSnapshot {
  state: AnswerState;
  servedAt: Date;
  windowStartedAt: Date | null;
  retakesUsed: number;
  late: boolean;
}

/** The question's rules for this candidate (accommodations already applied). */
export interface AnswerRules {
  thinkSeconds: number;
  answerSeconds: number;
  /** Retakes allowed; `null` = unlimited (practice question). */
  retakes: number | null;
  /** Extra seconds tolerated after the limit (network, clocks) before an answer counts as late. */
  graceSeconds: number;
}

/** An event applied to an answer. */
export type AnswerEvent =
  | { type: 'start'; at: Date }
  | { type: 'uploaded'; at: Date }
  | { type: 'verified'; at: Date; ok: boolean }
  /** `free`: the kept recording was silent or unusable, so this retake costs nothing. */
  | { type: 'retake'; at: Date; free?: boolean }
  | { type: 'accept'; at: Date }
  | { type: 'text'; at: Date };

/** Result of a transition. */
export type TransitionResult =
  | { ok: true; next: AnswerSnapshot }
  | { ok: false; code: 'invalid_transition' | 'no_retakes_left' | 'answer_locked'; message: string };

/** Applies accommodations: extra time in percent, extra retakes. */
export function effectiveRules(
  q: { thinkSeconds: number; answerSeconds: number; retakes: number; practice: boolean },
  acc: { extraTimePercent: number; extraRetakes: number } | null,
  graceSeconds: number,
): AnswerRules {
  const factor = 1 + (acc?.extraTimePercent ?? 0) / 100;
  return {
    thinkSeconds: Math.round(q.thinkSeconds * factor),
    answerSeconds: Math.round(q.answerSeconds * factor),
    retakes: q.practice ? null : q.retakes + (acc?.extraRetakes ?? 0),
    graceSeconds,
  };
}

/** When the recording window opens: at "start", or when the think time runs out. */
export function windowStart(a: AnswerSnapshot, rules: AnswerRules): Date {
  return a.windowStartedAt ?? new Date(a.servedAt.getTime() + rules.thinkSeconds * 1000);
}

/** The last instant an answer counts as on time (limit + grace). */
export function answerDeadline(a: AnswerSnapshot, rules: AnswerRules): Date {
  return new Date(windowStart(a, rules).getTime() + (rules.answerSeconds + rules.graceSeconds) * 1000);
}

/** True when an answer arriving at `at` is late. */
export function isLate(a: AnswerSnapshot, rules: AnswerRules, at: Date): boolean {
  return at.getTime() > answerDeadline(a, rules).getTime();
}

/** Retakes left (`null` = unlimited). */
export function retakesLeft(a: AnswerSnapshot, rules: AnswerRules): number | null {
  return rules.retakes === null ? null : Math.max(0, rules.retakes - a.retakesUsed);
}

function bad(from: AnswerState, event: AnswerEvent['type']): TransitionResult {
  if (from === 'submitted')
    return { ok: false, code: 'answer_locked', message: 'This question is already answered and locked' };
  return { ok: false, code: 'invalid_transition', message: `Cannot ${event} an answer that is ${from}` };
}

/** Applies `event` to `a`. Pure. */
export function transition(a: AnswerSnapshot, event: AnswerEvent, rules: AnswerRules): TransitionResult {
  const s = a.state;
  switch (event.type) {
    case 'start':
      if (s === 'answering') return { ok: true, next: a };
      if (s === 'served') {
        // Starting early opens the window now; after the think time it opened by itself.
        const auto = windowStart(a, rules);
        const at = new Date(Math.min(event.at.getTime(), auto.getTime()));
        return { ok: true, next: { ...a, state: 'answering', windowStartedAt: at } };
      }
      if (s === 'retake') return { ok: true, next: { ...a, state: 'answering', windowStartedAt: event.at } };
      return bad(s, event.type);
    case 'uploaded':
      if (s !== 'answering') return bad(s, event.type);
      return {
        ok: true,
        next: { ...a, state: 'uploaded', late: a.late || isLate(a, rules, event.at) },
      };
    case 'verified':
      if (s !== 'uploaded') return bad(s, event.type);
      // A silent or broken recording does not use up a retake: back to answering.
      if (!event.ok) return { ok: true, next: { ...a, state: 'answering', late: false } };
      return { ok: true, next: { ...a, state: a.late ? 'late' : 'verified' } };
    case 'retake': {
      if (s !== 'verified') return bad(s, event.type);
      if (event.free) return { ok: true, next: { ...a, state: 'retake' } };
      const left = retakesLeft(a, rules);
      if (left !== null && left <= 0)
        return { ok: false, code: 'no_retakes_left', message: 'No retakes left for this question' };
      return { ok: true, next: { ...a, state: 'retake', retakesUsed: a.retakesUsed + 1 } };
    }
    case 'accept':
      if (s !== 'verified' && s !== 'late') return bad(s, event.type);
      return { ok: true, next: { ...a, state: 'submitted' } };
    case 'text':
      if (s !== 'served' && s !== 'answering') return bad(s, event.type);
      return {
        ok: true,
        next: {
          ...a,
          state: 'submitted',
          windowStartedAt: windowStart(a, rules),
          late: isLate({ ...a, windowStartedAt: windowStart(a, rules) }, rules, event.at),
        },
      };
  }
}
