import type { BookableApplication, BookingView } from '../../../shared/api/bookings';
import type { InterviewOverview } from '../../../shared/api/interview';
import type { ErrorCode } from '../../../shared/errors';

/**
 * The one thing a candidate should do next, from what the server says about their interview,
 * bookings and feedback. Pure, so every state is a table test.
 */
export type NextStep =
  /** No interview invitation in this session (e.g. signed in by DingTalk without an invitation). */
  | { kind: 'none' }
  /** Book a time (booked windows). */
  | { kind: 'book'; applicationId: number }
  /** Start now (any time before the deadline, or inside / early into the booked window). */
  | { kind: 'start'; remindApplicationId: number | null }
  /** Booked; the window is not open yet. */
  | { kind: 'wait_window'; booking: BookingView | null }
  /** Started, not submitted. */
  | { kind: 'continue'; answered: number; total: number }
  /** Submitted; results not released yet. */
  | { kind: 'wait_results' }
  /** Feedback is released. */
  | { kind: 'feedback' }
  /** Closed: consent withdrawn or the deadline passed before starting. */
  | { kind: 'closed'; reason: ErrorCode };

/** What {@link nextStep} reads. `overview` null: the candidate has no interview (404/410). */
export interface NextStepInput {
  overview: InterviewOverview | null;
  bookings: BookingView[];
  applications: BookableApplication[];
  feedbackCount: number;
}

/** Decides the candidate's next step (see {@link NextStep}). */
export function nextStep({ overview, bookings, applications, feedbackCount }: NextStepInput): NextStep {
  if (feedbackCount > 0) return { kind: 'feedback' };
  if (!overview) return { kind: 'none' };
  const session = overview.session;
  if (session?.status === 'submitted') return { kind: 'wait_results' };
  if (session?.status === 'withdrawn') return { kind: 'closed', reason: 'consent_withdrawn' };
  if (session) return { kind: 'continue', answered: session.answered, total: overview.questionCount };
  const app = applications.find((a) => a.job.id === overview.job.id);
  const canBook = app?.bookable.includes('ai_interview') ?? false;
  const active = bookings.find(
    (b) => b.kind === 'ai_interview' && b.status === 'booked' && b.job?.id === overview.job.id,
  );
  if (overview.start.now)
    return {
      kind: 'start',
      // "Remind me at…" is offered while taking it any time and no reminder is set yet.
      remindApplicationId: overview.takeMode === 'anytime' && canBook && !active && app ? app.id : null,
    };
  switch (overview.start.reason) {
    case 'booking_required':
      return app ? { kind: 'book', applicationId: app.id } : { kind: 'closed', reason: 'booking_required' };
    case 'outside_booking_window':
      return { kind: 'wait_window', booking: active ?? null };
    default:
      return { kind: 'closed', reason: overview.start.reason ?? 'unknown' };
  }
}
