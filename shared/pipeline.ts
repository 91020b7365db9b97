/**
 * The hiring pipeline as data: which transitions exist, from which stages, to which stage, and
 * who may trigger each. Pure (no I/O) so the server, the mini-app and the tests share it; the
 * server's commands (server/features/workflow) apply it with compare-and-swap updates.
 *
 * Who triggers:
 * - `system`: a fact reported by another feature (booking made, interview submitted, report ready)
 *   or a rule applied to it. The system never advances or rejects a candidate on its own:
 *   it only records facts and routes the application to people.
 * - `hr`: HR (or an admin) deciding in the mini-app.
 * - `approver`: a DingTalk approval decided by its approvers (HR and the hiring manager).
 * - `candidate`: the candidate (offer answer, withdrawal).
 */
import type { Stage } from './stages';

/** Who may trigger a transition. */
export type TransitionActor = 'system' | 'hr' | 'approver' | 'candidate';

/** One allowed move. */
export interface TransitionRule {
  from: readonly Stage[];
  to: Stage;
  by: readonly TransitionActor[];
  /** Whether the actor must be a person (every advance or reject carries who decided). */
  personDecides: boolean;
}

/** Stages in which HR may still reject (after the offer is out only the candidate can end it). */
const REJECTABLE: readonly Stage[] = [
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

/** Every transition of the pipeline, by name. */
export const TRANSITIONS = {
  /** The candidate booked an AI-interview slot. */
  book: { from: ['invited'], to: 'booked', by: ['system'], personDecides: false },
  /** The AI-interview booking was cancelled or missed: the candidate may book again. */
  unbook: { from: ['booked', 'interviewing'], to: 'invited', by: ['system'], personDecides: false },
  /** The candidate started the AI interview. */
  start_interview: { from: ['invited', 'booked'], to: 'interviewing', by: ['system'], personDecides: false },
  /** The candidate submitted the AI interview. */
  submit: {
    from: ['invited', 'booked', 'interviewing'],
    to: 'submitted',
    by: ['system'],
    personDecides: false,
  },
  /** The AI report is ready. */
  score: { from: ['submitted'], to: 'scored', by: ['system'], personDecides: false },
  /**
   * Routed to people: by the job's rules (suggested rejection, between thresholds, quality flag,
   * an approval requested), or person-only evaluation straight after submission.
   */
  review: { from: ['submitted', 'scored'], to: 'in_review', by: ['system', 'hr'], personDecides: false },
  /** Second-round approval agreed (or HR advancing directly from review). */
  advance_second_round: {
    from: ['in_review'],
    to: 'second_round',
    by: ['approver', 'hr'],
    personDecides: true,
  },
  /** The candidate booked the live second-round slot. */
  book_second_round: {
    from: ['second_round'],
    to: 'second_round_booked',
    by: ['system'],
    personDecides: false,
  },
  /** The second-round booking was cancelled or missed. */
  unbook_second_round: {
    from: ['second_round_booked'],
    to: 'second_round',
    by: ['system'],
    personDecides: false,
  },
  /** The live second round took place (interviewer or HR says so). */
  complete_second_round: {
    from: ['second_round_booked'],
    to: 'second_round_done',
    by: ['hr', 'system'],
    personDecides: false,
  },
  /** HR asked for offer approval. */
  request_offer: { from: ['second_round_done'], to: 'offer_approval', by: ['hr'], personDecides: true },
  /** Offer approval refused or withdrawn: back to HR. */
  offer_refused: {
    from: ['offer_approval'],
    to: 'second_round_done',
    by: ['approver', 'hr'],
    personDecides: true,
  },
  /** Offer approval agreed: the offer goes to the candidate. */
  send_offer: { from: ['offer_approval'], to: 'offer_sent', by: ['approver'], personDecides: true },
  /** The candidate accepted the offer. */
  accept_offer: { from: ['offer_sent'], to: 'accepted', by: ['candidate'], personDecides: true },
  /** The DingTalk pre-entry (待入职) record exists. */
  onboard: { from: ['accepted'], to: 'onboarding', by: ['system', 'hr'], personDecides: false },
  /** The person joined. */
  hire: { from: ['onboarding'], to: 'hired', by: ['hr'], personDecides: true },
  /** HR rejects (confirming a suggested rejection, or deciding in review). */
  reject: { from: REJECTABLE, to: 'rejected', by: ['hr'], personDecides: true },
  /** The candidate withdraws or declines the offer. */
  withdraw: {
    from: [...REJECTABLE, 'offer_sent', 'accepted'],
    to: 'withdrawn',
    by: ['candidate'],
    personDecides: true,
  },
} as const satisfies Record<string, TransitionRule>;

/** A transition name. */
export type TransitionName = keyof typeof TRANSITIONS;

/** Names of all transitions. */
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];

/** True when `name` may move an application that is in `from`. */
export function canTransition(name: TransitionName, from: Stage): boolean {
  return (TRANSITIONS[name].from as readonly Stage[]).includes(from);
}

/** True when `actor` may trigger `name`. */
export function mayTrigger(name: TransitionName, actor: TransitionActor): boolean {
  return (TRANSITIONS[name].by as readonly TransitionActor[]).includes(actor);
}

/** Transitions an actor kind may trigger from a stage (the actions a screen offers). */
export function allowedTransitions(from: Stage, actor: TransitionActor): TransitionName[] {
  return TRANSITION_NAMES.filter((n) => canTransition(n, from) && mayTrigger(n, actor));
}

/** What a job's rules make of a report (HR or approvers still decide). */
export interface ReportRouting {
  suggestion: 'pass' | 'review' | 'reject';
  reason:
    | 'pass_threshold'
    | 'below_reject_threshold'
    | 'between_thresholds'
    | 'quality_flags'
    | 'person_only';
}

/**
 * Applies a job's thresholds: at or above `pass` -> ask for second-round approval; below
 * `reject` -> suggested rejection; in between -> review. Person-only interviews and reports
 * with quality flags always go to review, whatever the score.
 */
export function routeReport(
  report: { overall: number; flags: readonly string[] } | null,
  thresholds: { pass: number; reject: number },
  personOnly: boolean,
): ReportRouting {
  if (personOnly || !report) return { suggestion: 'review', reason: 'person_only' };
  if (report.flags.length) return { suggestion: 'review', reason: 'quality_flags' };
  if (report.overall >= thresholds.pass) return { suggestion: 'pass', reason: 'pass_threshold' };
  if (report.overall < thresholds.reject) return { suggestion: 'reject', reason: 'below_reject_threshold' };
  return { suggestion: 'review', reason: 'between_thresholds' };
}
