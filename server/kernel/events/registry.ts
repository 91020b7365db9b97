import { CALENDAR_CONSUMER } from '../../features/booking/consumers';
import { INTERVIEW_DELETION_CONSUMER } from '../../features/interview/recordingDeletion';
import { onBookingEvent } from '../../features/messaging/reminders';
import { PRIVACY_DELETION_CONSUMER } from '../../features/privacy/consumers';
import { START_APPROVAL_CONSUMER } from '../../features/workflow/approvals';
import { PREENTRY_CONSUMER, WITHDRAW_CONSUMER } from '../../features/workflow/decisions';
import {
  onBookingCompleted,
  onBookingCreated,
  onBookingReleased,
  onInterviewStarted,
  onInterviewSubmitted,
  onReportReady,
} from '../../features/workflow/handlers';
import type { Tx } from '../db/tx';
import type { DomainEvent } from './types';

/**
 * Who reacts to which domain event. Two kinds of reaction:
 *
 * - In-transaction handlers run inside the emitting command's transaction. Use them for
 *   effects that must commit or roll back with the change itself, e.g. scheduling or
 *   cancelling a booking's reminders (a cancelled booking must never leave a reminder behind).
 * - Asynchronous consumers get their own outbox row per event (channel `event`, recipient =
 *   consumer name) and process it later with retries (see `consume.ts`), e.g. scoring an
 *   interview or sending a chat message.
 *
 * Each feature adds its lines here; keep this file a plain table.
 *
 * Handlers get a {@link Tx}: booking events are emitted from plain-SQL transactions (the booking
 * hot path), so their handlers must work with `tx.all/run/enqueue/audit` only; handlers of
 * events that are only emitted from ORM transactions may use `requireEm(tx)`.
 */
export interface InTxHandler {
  (tx: Tx, event: DomainEvent): Promise<void>;
  /**
   * The reads this handler starts with (SQL and parameters, exactly as it will call
   * `tx.all`): `emit` hands every handler's to `tx.prefetch`, so they share one round trip.
   */
  reads?: (event: DomainEvent, dialect: Tx['dialect']) => Array<[string, readonly unknown[]]>;
}

/** Event type -> handlers run in the emitting transaction. */
export const IN_TX_HANDLERS: Record<string, InTxHandler[]> = {
  // Bot: a booking's reminders are scheduled, moved or cancelled in the booking's transaction.
  'booking.created': [onBookingEvent, onBookingCreated],
  'booking.rescheduled': [onBookingEvent],
  'booking.cancelled': [onBookingEvent, onBookingReleased],
  'booking.no_show': [onBookingEvent, onBookingReleased],
  // Workflow: the application's stage moves with the fact that moves it.
  'booking.completed': [onBookingCompleted],
  'interview.started': [onInterviewStarted],
  'interview.submitted': [onInterviewSubmitted],
  'report.ready': [onReportReady],
};

/** Event type -> names of asynchronous consumers. */
export const SUBSCRIPTIONS: Record<string, string[]> = {
  // Booking: live sessions are written into the interviewer's DingTalk calendar after commit.
  'booking.created': [CALENDAR_CONSUMER],
  'booking.rescheduled': [CALENDAR_CONSUMER],
  'booking.cancelled': [CALENDAR_CONSUMER],
  // Scoring: transcribe, score and report (server/features/scoring/worker.ts, SCORING_CONSUMER).
  'interview.submitted': ['bot', 'scoring'],
  // Interview: a withdrawn consent deletes the recordings (server/features/interview/recordingDeletion.ts).
  'interview.consent_withdrawn': [INTERVIEW_DELETION_CONSUMER],
  // Privacy: a deletion request is carried out by the next run (server/features/privacy/erasure.ts).
  'privacy.deletion_requested': [PRIVACY_DELETION_CONSUMER],
  'report.ready': ['bot'],
  'approval.started': ['bot'],
  'approval.decided': ['bot'],
  'application.stage_changed': ['bot'],
  'application.rejected': ['bot'],
  // Workflow: slow DingTalk calls after the deciding transaction committed.
  'approval.requested': [START_APPROVAL_CONSUMER],
  'approval.withdraw': [WITHDRAW_CONSUMER],
  'onboarding.requested': [PREENTRY_CONSUMER],
};
