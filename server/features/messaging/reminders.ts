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
import type { Slot } from '../../../bot/messages';
import { defaultReminderOffsets, type ReminderOffsets } from '../../../shared/api/reminders';
import type { BookingEventData } from '../../../shared/events';
import { routes } from '../../../shared/routes';
import type { Tx } from '../../kernel/db/tx';
import type { InTxHandler } from '../../kernel/events/registry';
import type { DomainEvent } from '../../kernel/events/types';
import { cancelPending } from '../../kernel/outbox/enqueue';
import { icsLink, rebookToken } from '../booking';
import { candidateTargetsOf, employeeTarget, notify } from './recipients';
import type { NotificationSettings } from './settings';

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

/** What the booking messages need, read in one query inside the booking's transaction. */
interface BookingContext {
  candidate: { id: number; name: string; locale: string; mobile: string | null; email: string | null };
  /** DingTalk userid of the active employee who is this candidate (same unionId), if any. */
  memberUserId: string | null;
  jobTitle: string;
  interviewer: { dingtalkUserId: string; locale: string } | null;
  /** The plan stage's own reminder timings (null: the configured defaults). */
  ownOffsets: ReminderOffsets | null;
  /** The application's latest AI interview report: the page an interviewer's messages open. */
  reportId: number | null;
}

/**
 * Candidate, job, interviewer and the plan stage's reminder timings in one statement. The
 * timings are read in the booking's transaction so a booking and the rules it was made under
 * agree. Null when the candidate or job is gone.
 */
function bookingContextRead(d: BookingEventData): [string, readonly unknown[]] {
  return [
    `select c.id as c_id, c.name as c_name, c.locale as c_locale, c.mobile as c_mobile,
       c.email as c_email, m.dingtalk_user_id as m_userid, j.title as j_title,
       i.dingtalk_user_id as i_userid, i.locale as i_locale, s.reminder_offsets_minutes as offsets,
       (select max(r.id) from interview_reports r where r.application_id = ?) as r_id
     from candidates c
     join jobs j on j.id = ?
     left join users m on m.id = (select min(u.id) from users u
       where c.union_id is not null and u.union_id = c.union_id and u.active = 1)
     left join users i on i.id = ?
     left join plan_schedules s on s.id = (select min(ps.id) from plan_schedules ps
       join interview_plans p on p.id = ps.plan_id where p.job_id = j.id and ps.kind = ?)
     where c.id = ?`,
    [d.applicationId, d.jobId, d.interviewerId ?? 0, d.kind, d.candidateId],
  ];
}

async function loadBookingContext(tx: Tx, d: BookingEventData): Promise<BookingContext | null> {
  const [sql, params] = bookingContextRead(d);
  const [row] = await tx.all<Record<string, unknown>>(sql, params);
  if (!row) return null;
  const offsets =
    row.offsets == null ? null : typeof row.offsets === 'string' ? JSON.parse(row.offsets) : row.offsets;
  return {
    candidate: {
      id: Number(row.c_id),
      name: String(row.c_name),
      locale: String(row.c_locale),
      mobile: (row.c_mobile as string | null) ?? null,
      email: (row.c_email as string | null) ?? null,
    },
    memberUserId: (row.m_userid as string | null) ?? null,
    jobTitle: String(row.j_title),
    interviewer: row.i_userid ? { dingtalkUserId: String(row.i_userid), locale: String(row.i_locale) } : null,
    ownOffsets: offsets as ReminderOffsets | null,
    reportId: row.r_id == null ? null : Number(row.r_id),
  };
}

/**
 * Reminder timings of a booking: the plan stage's own (`PlanSchedule.reminderOffsetsMinutes`),
 * else the configured defaults (candidate + extra live ones; interviewer ones only for live
 * sessions).
 */
function reminderOffsets(
  own: ReminderOffsets | null,
  kind: Slot['kind'],
  s: NotificationSettings,
): ReminderOffsets {
  if (!own) return defaultReminderOffsets(s, kind);
  const live = kind === 'second_round';
  return { candidate: [...new Set(own.candidate)], interviewer: live ? [...new Set(own.interviewer)] : [] };
}

/** The no-show's one-time link: the booking page of the stage, with a token bound to the missed booking. */
function rebookLink(d: BookingEventData, now: Date, s: NotificationSettings): string {
  const token = rebookToken(
    s.rebookSecret,
    d.bookingId,
    new Date(now.getTime() + s.rebookLinkHours * 3_600_000),
  );
  return routes.book(d.applicationId, d.kind, { rebook: token });
}

/** Handles `booking.created|rescheduled|cancelled|no_show` inside the emitting transaction. */
export const onBookingEvent: InTxHandler<(typeof BOOKING_EVENTS)[number]> = async (em, event, deps) => {
  const d = event.data;
  const s = deps.config.notifications;
  const now = new Date(event.at ?? Date.now());
  const aggregate = event.aggregate || `booking:${d.bookingId}`;
  const ctx = await loadBookingContext(em, d);
  if (!ctx) return;
  const { candidate, interviewer } = ctx;
  const job = { title: ctx.jobTitle };
  const slot: Slot = { startAt: d.startAt, endAt: d.endAt, timezone: d.timezone, kind: d.kind };
  const cTargets = candidateTargetsOf(candidate, ctx.memberUserId, s);
  const iTargets = interviewer ? [employeeTarget(interviewer)] : [];
  const k = base(event);

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
        rescheduleLink: rebookLink(d, now, s),
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
      icsUrl: icsLink(deps.config.session.secret, d.bookingId, new Date(d.startAt), now),
      ...(d.reminderOnly ? { reminderOnly: true } : {}),
    },
  });
  // "Remind me at…" means at that time: the candidate chose it, so the plan's lead times (a day,
  // an hour before an appointment) do not apply.
  const offsets = d.reminderOnly
    ? { candidate: [0], interviewer: [] }
    : reminderOffsets(ctx.ownOffsets, d.kind, s);
  for (const m of offsets.candidate) {
    const dueAt = new Date(start - m * MINUTE);
    if (dueAt <= now) continue;
    await notify(em, cTargets, {
      key: `${k}:reminder:candidate:${m}m`,
      topic: `${REMINDER_TOPIC}candidate.${m}m`,
      aggregate,
      template: 'candidate.reminder',
      data: {
        ...slot,
        jobTitle: job.title,
        bookingId: d.bookingId,
        minutesBefore: m,
        ...(d.reminderOnly ? { reminderOnly: true } : {}),
      },
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
      reportId: ctx.reportId,
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
        reportId: ctx.reportId,
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
        reportId: ctx.reportId,
      },
      dueAt: urgentAt,
      extra: { ifUnreadOf: `${key}:${iTargets[0].channel}:${iTargets[0].id}` },
    });
  }
};

onBookingEvent.reads = (event) => [bookingContextRead(event.data)];
