/**
 * `GET /api/home`: what each employee's home shows (issue 14 item 8), in one call. Each part is
 * present only for the roles that see it; every number carries the link to where it is worked on.
 */
import type { Stage } from '../stages';

/** One of HR's numbers for today. */
export interface HomeNumber {
  count: number;
  /** Mini-app path to open (built from `shared/routes.ts`). */
  link: string;
}

/** HR's (and admins') today. Day boundaries are Asia/Shanghai. */
export interface HrToday {
  /** Candidates added today. */
  newCandidates: HomeNumber;
  /** Interviews (booked or done) starting today. */
  interviewsToday: HomeNumber;
  /** Interview reports not yet released to the candidate. */
  reportsToReview: HomeNumber;
  /**
   * 待办 items overdue or due within a day (the queue's own count): explanation / human-review
   * requests, messages that failed for good, approvals waiting over two days, accommodation
   * requests. Links to the queue.
   */
  queueDue: HomeNumber;
  /** DingTalk approvals started and not decided yet. */
  approvalsPending: HomeNumber;
}

/** A job's pipeline, counted by stage. */
export interface HomeJobPipeline {
  id: number;
  title: string;
  status: string;
  counts: Partial<Record<Stage, number>>;
  link: string;
}

/** An approval waiting in DingTalk. */
export interface HomeApproval {
  id: number;
  kind: string;
  candidateName: string;
  jobTitle: string;
  startedAt: string;
  link: string;
}

/** An interview on someone's calendar. */
export interface HomeInterview {
  bookingId: number;
  candidateName: string;
  jobTitle: string;
  kind: 'ai_interview' | 'second_round';
  startAt: string;
  endAt: string;
  link: string;
}

/** A report waiting for this interviewer's rating. */
export interface HomeReportToRate {
  reportId: number;
  candidateName: string;
  jobTitle: string;
  createdAt: string;
  link: string;
}

/** Response of `GET /api/home`. */
export interface HomeSummaryResponse {
  /** Start of "today" (ISO, Asia/Shanghai midnight) the numbers were counted from. */
  today: string;
  hr: HrToday | null;
  manager: { jobs: HomeJobPipeline[]; approvals: HomeApproval[] } | null;
  interviewer: { today: HomeInterview[]; upcoming: HomeInterview[]; toRate: HomeReportToRate[] } | null;
}

/**
 * Steps of a candidate's progress timeline (`GET /api/home/timeline`), in order. `booked` is
 * listed only for plans taken in a booked window (issue 19: an interview taken any time has
 * nothing to book).
 */
export const TIMELINE_STEPS = [
  'applied',
  'invited',
  'booked',
  'interviewed',
  'under_review',
  'decision',
] as const;
/** One timeline step. */
export type TimelineStepKey = (typeof TIMELINE_STEPS)[number];

/**
 * A step's state: `done` (reached, before the current one), `current` (the latest reached step),
 * `todo` (not reached yet), `skipped` (never reached, but a later step was: e.g. a decision
 * without an interview).
 */
export type TimelineStepState = 'done' | 'current' | 'todo' | 'skipped';

/** One step of the timeline, with the instant it was reached (from the rows), if it was. */
export interface TimelineStep {
  key: TimelineStepKey;
  state: TimelineStepState;
  /** When it was reached (ISO); null while not reached. */
  at: string | null;
}

/** What the decision was, in words a candidate may read (never a score). */
export type TimelineDecision = 'advanced' | 'offer' | 'hired' | 'rejected' | 'withdrawn';

/**
 * What the candidate can do next, or is waiting for. `expectedBy` is when to expect it, and
 * `basis` says where that date comes from: the invitation's deadline, the booked slot, the
 * review due date (an open review task's, else the report's date plus the review SLA), or the
 * approval's expected answer. Null when nobody can promise a date.
 */
export interface TimelineNext {
  /** The step this leads to (null after the decision). */
  step: TimelineStepKey | null;
  action:
    | 'book'
    | 'interview'
    | 'wait_interview'
    | 'wait_report'
    | 'wait_decision'
    | 'book_second_round'
    | 'second_round'
    | 'answer_offer'
    | 'read_feedback'
    | 'none';
  expectedBy: string | null;
  basis: 'deadline' | 'booking' | 'review_due' | 'approval' | null;
  /** Mini-app path of the action (from `shared/routes.ts`); null when there is nothing to open. */
  link: string | null;
}

/** Response of `GET /api/home/timeline`: the signed-in candidate's progress on one application. */
export interface CandidateTimelineResponse {
  applicationId: number;
  job: { id: number; title: string };
  steps: TimelineStep[];
  /** The latest step reached. */
  current: TimelineStepKey;
  decision: TimelineDecision | null;
  next: TimelineNext;
  /**
   * Until the decision: when the candidate can expect it (the review's due date, or after the
   * interview and before the report, the submission plus the review SLA); null otherwise.
   */
  decisionExpectedBy: string | null;
  /** The review SLA: days HR has to review a report once it is written. */
  reviewDays: number;
  /** The organisation's time zone (the app shows instants in the viewer's own zone, named). */
  timezone: string;
}

/**
 * The parts of `GET /api/home/first` (a returning candidate's first screen in one request), each
 * what one separate read answers: `me` is `GET /api/me`, `interview` is `GET /api/interview` in
 * the query's locale, `bookings` is `GET /api/bookings/mine`, `feedback` is `GET /api/feedback`,
 * `timeline` is `GET /api/home/timeline`.
 */
export const HOME_FIRST_PARTS = ['me', 'interview', 'bookings', 'feedback', 'timeline'] as const;

/** One part of {@link HomeFirstResponse}. */
export type HomeFirstPart = (typeof HOME_FIRST_PARTS)[number];

/**
 * What the separate read would have answered: its status and its JSON body, the route's own
 * response on success, `{ error: { code, message, details? } }` on a failure (e.g. 404
 * `not_found` for the overview of a candidate without an interview).
 */
export interface HomeFirstAnswer {
  status: number;
  body: unknown;
}

/** Response of `GET /api/home/first`: every part, each with its own status. */
export interface HomeFirstResponse {
  parts: Record<HomeFirstPart, HomeFirstAnswer>;
}
