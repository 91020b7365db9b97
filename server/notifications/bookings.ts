/**
 * Booking reminders, scheduled in the same transaction as the booking change (registered as
 * in-transaction handlers in `events/registry.ts`): a cancelled or moved booking can never leave
 * a stale reminder behind, and a booking that rolled back never got one.
 *
 * Keys derive from the event key (`booking:12:rescheduled:3` → `booking:12:rescheduled:3:
 * reminder:candidate:1440m:robot_oto:u1`), so a retried command enqueues nothing new, while each
 * reschedule gets fresh keys. Reminders whose time has already passed are not scheduled.
 */
import { createHash } from 'node:crypto';
import type { Slot } from '../../bot/messages';
import type { ReminderOffsets } from '../../shared/api/reminders';
import { rebookToken } from '../commands/rebook';
import { PlanSchedule } from '../db/entities/PlanSchedule';
import { User } from '../db/entities/User';
import type { Em } from '../db/orm';
import type { DomainEvent } from '../events/types';
import { cancelPending } from '../outbox/enqueue';
import { candidateTargets, employeeTarget, loadContext, notify } from './recipients';
import { type NotificationSettings, notificationSettings } from './settings';

/** `data` of booking events (emitted by the booking feature). */
export interface BookingEventData {
  bookingId: number;
  applicationId: number;
  candidateId: number;
  jobId: number;
  kind: Slot['kind'];
  interviewerId: number | null;
  startAt: string;
  endAt: string;
  timezone: string;
  previousStartAt?: string;
  reason?: string | null;
  /** Optional one-time reschedule link made by the booking feature (no-show follow-up). */
  rescheduleUrl?: string;
}

/** The booking events whose reminders this module manages (in-transaction). */
export const BOOKING_EVENTS = [
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.no_show',
] as const;

/** Topic prefix of every booking reminder (what a reschedule or cancel removes). */
export const REMINDER_TOPIC = 'reminder.';

const MINUTE = 60_000;

/** A key base from the event key, short enough for the 191-character column. */
function base(event: DomainEvent): string {
  return event.key.length <= 100
    ? event.key
    : `evt-${createHash('sha256').update(event.key).digest('hex').slice(0, 32)}`;
}

/**
 * Reminder timings of a booking: the plan stage's own (`PlanSchedule.reminderOffsetsMinutes`,
 * read in the booking's transaction so a booking and the rules it was made under agree), else
 * the configured defaults (candidate + extra live ones; interviewer ones only for live sessions).
 */
async function reminderOffsets(em: Em, d: BookingEventData): Promise<ReminderOffsets> {
  const plan = await em.findOne(
    PlanSchedule,
    { plan: { job: d.jobId }, kind: d.kind },
    { fields: ['reminderOffsetsMinutes'] },
  );
  const own = plan?.reminderOffsetsMinutes;
  if (!own) return defaultReminderOffsets(notificationSettings(), d.kind);
  const live = d.kind === 'second_round';
  return { candidate: [...new Set(own.candidate)], interviewer: live ? [...new Set(own.interviewer)] : [] };
}

/** The configured reminder timings a plan stage of `kind` falls back to. */
export function defaultReminderOffsets(s: NotificationSettings, kind: Slot['kind']): ReminderOffsets {
  const live = kind === 'second_round';
  return {
    candidate: [...new Set([...s.candidateOffsets, ...(live ? s.liveOffsets : [])])],
    interviewer: live ? [...new Set(s.interviewerOffsets)] : [],
  };
}

/** The no-show's one-time link: the booking page of the stage, with a token bound to the missed booking. */
function rebookLink(d: BookingEventData, now: Date): string {
  const s = notificationSettings();
  const token = rebookToken(
    s.rebookSecret,
    d.bookingId,
    new Date(now.getTime() + s.rebookLinkHours * 3_600_000),
  );
  return `/booking/${d.applicationId}/${d.kind}?rebook=${token}`;
}

/** Handles `booking.created|rescheduled|cancelled|no_show` inside the emitting transaction. */
export async function onBookingEvent(em: Em, event: DomainEvent): Promise<void> {
  const d = event.data as unknown as BookingEventData;
  const now = new Date(event.at ?? Date.now());
  const aggregate = event.aggregate || `booking:${d.bookingId}`;
  const { candidate, job } = await loadContext(em, d.candidateId, d.jobId);
  if (!candidate || !job) return;
  const interviewer = d.interviewerId ? await em.findOne(User, { id: d.interviewerId }) : null;
  const slot: Slot = { startAt: d.startAt, endAt: d.endAt, timezone: d.timezone, kind: d.kind };
  const cTargets = await candidateTargets(em, candidate);
  const iTargets = interviewer ? [employeeTarget(interviewer)] : [];
  const k = base(event);
  const s = notificationSettings();

  if (event.type === 'booking.rescheduled' || event.type === 'booking.cancelled')
    await cancelPending(em, aggregate, REMINDER_TOPIC);

  if (event.type === 'booking.cancelled') {
    await notify(em, cTargets, {
      key: `${k}:cancelled:candidate`,
      dueAt: now,
      topic: 'booking.cancelled',
      aggregate,
      template: 'candidate.booking_cancelled',
      data: { ...slot, jobTitle: job.title, applicationId: d.applicationId, reason: d.reason ?? null },
    });
    await notify(em, iTargets, {
      key: `${k}:cancelled:interviewer`,
      dueAt: now,
      topic: 'booking.cancelled',
      aggregate,
      template: 'interviewer.booking_cancelled',
      data: { ...slot, candidateName: candidate.name, jobTitle: job.title },
    });
    return;
  }

  if (event.type === 'booking.no_show') {
    await notify(em, cTargets, {
      key: `${k}:no_show:candidate`,
      dueAt: now,
      topic: 'booking.no_show',
      aggregate,
      template: 'candidate.no_show',
      data: {
        jobTitle: job.title,
        rescheduleLink: d.rescheduleUrl ?? rebookLink(d, now),
      },
    });
    return;
  }

  if (event.type !== 'booking.created' && event.type !== 'booking.rescheduled') return;
  const start = new Date(d.startAt).getTime();
  await notify(em, cTargets, {
    key: `${k}:confirmation`,
    dueAt: now,
    topic: 'booking.confirmation',
    aggregate,
    template: 'candidate.booking_confirmed',
    data: {
      ...slot,
      jobTitle: job.title,
      bookingId: d.bookingId,
      rescheduled: event.type === 'booking.rescheduled',
    },
  });
  const offsets = await reminderOffsets(em, d);
  for (const m of offsets.candidate) {
    const dueAt = new Date(start - m * MINUTE);
    if (dueAt <= now) continue;
    await notify(em, cTargets, {
      key: `${k}:reminder:candidate:${m}m`,
      topic: `${REMINDER_TOPIC}candidate.${m}m`,
      aggregate,
      template: 'candidate.reminder',
      data: { ...slot, jobTitle: job.title, bookingId: d.bookingId, minutesBefore: m },
      dueAt,
    });
  }
  if (!interviewer) return;
  await notify(em, iTargets, {
    key: `${k}:assignment`,
    dueAt: now,
    // Keyed to the application so "report ready" can find who interviewed.
    topic: 'interviewer.assignment',
    aggregate: `application:${d.applicationId}`,
    template: 'interviewer.assignment',
    data: {
      ...slot,
      candidateName: candidate.name,
      jobTitle: job.title,
      bookingId: d.bookingId,
      applicationId: d.applicationId,
    },
  });
  for (const m of offsets.interviewer) {
    const dueAt = new Date(start - m * MINUTE);
    if (dueAt <= now) continue;
    const key = `${k}:reminder:interviewer:${m}m`;
    await notify(em, iTargets, {
      key,
      topic: `${REMINDER_TOPIC}interviewer.${m}m`,
      aggregate,
      template: 'interviewer.reminder',
      data: {
        ...slot,
        candidateName: candidate.name,
        jobTitle: job.title,
        applicationId: d.applicationId,
        minutesBefore: m,
      },
      dueAt,
      extra: { trackRead: true },
    });
    const urgent = s.urgentUnreadMinutes;
    const urgentAt = new Date(start - urgent * MINUTE);
    if (!urgent || urgent >= m || urgentAt <= now) continue;
    // Re-sent as urgent only if the reminder is still unread then (checked at send time).
    await notify(em, iTargets, {
      key: `${k}:reminder:interviewer:urgent:${m}m`,
      topic: `${REMINDER_TOPIC}interviewer.urgent`,
      aggregate,
      template: 'interviewer.urgent',
      data: {
        ...slot,
        candidateName: candidate.name,
        jobTitle: job.title,
        applicationId: d.applicationId,
        minutesBefore: urgent,
      },
      dueAt: urgentAt,
      extra: { ifUnreadOf: `${key}:${iTargets[0].channel}:${iTargets[0].id}` },
    });
  }
}
