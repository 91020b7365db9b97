/**
 * Plain-SQL reads of bookings as the API shows them: a candidate's own bookings with their
 * applications (`GET /api/bookings/mine`, also part of the first-screen read) and one booking
 * after it was made (`POST /api/bookings`' answer). The ORM path read them with a four-way
 * joined populate (application.candidate, application.job, schedule, interviewer) and hydrated
 * and tracked five kinds of entity only to serialise a few of their fields; profiled, that was
 * most of the web CPU of both routes. The rows go through the same presenter (`presentBooking`)
 * and the same bookable-stage rule as the ORM path; bookingsLean.test.ts checks both give the
 * same JSON.
 */

import type { BookingView, MyBookingsResponse } from '../../../shared/api/bookings';
import type { Actor } from '../../kernel/actor';
import type { BookingStatus } from '../../kernel/db/entities/Booking';
import type { BookingKind, SESSION_TYPES } from '../../kernel/db/entities/PlanSchedule';
import type { Em } from '../../kernel/db/orm';
import { sqlBool, sqlDate } from '../../kernel/db/raw';
import { query } from '../../kernel/db/tx';
import { BOOKABLE_STAGES } from './commands';
import { presentBooking } from './present';

interface BookingRow {
  id: number;
  application_id: number;
  kind: BookingKind;
  start_at: unknown;
  end_at: unknown;
  time_zone: string;
  status: BookingStatus;
  reminder_only: unknown;
  reschedule_count: number;
  cancel_reason: string | null;
  version: number;
  calendar_event_id: string | null;
  interviewer_id: number | null;
  interviewer_name: string | null;
  candidate_id: number;
  candidate_name: string;
  job_id: number;
  job_title: string;
  session_type: (typeof SESSION_TYPES)[number];
  reschedule_cutoff_hours: number;
  cancel_cutoff_hours: number;
  max_reschedules: number;
}

/** The columns and joins of a presented booking (every relation the ORM path populates). */
const BOOKING_SELECT = `select b.id, b.application_id, b.kind, b.start_at, b.end_at, b.time_zone, b.status,
       b.reminder_only, b.reschedule_count, b.cancel_reason, b.version, b.calendar_event_id,
       b.interviewer_id, u.name as interviewer_name, c.id as candidate_id, c.name as candidate_name,
       j.id as job_id, j.title as job_title, s.session_type, s.reschedule_cutoff_hours,
       s.cancel_cutoff_hours, s.max_reschedules
  from bookings b
  join applications a on a.id = b.application_id
  join candidates c on c.id = a.candidate_id
  join jobs j on j.id = a.job_id
  join plan_schedules s on s.id = b.schedule_id
  left join users u on u.id = b.interviewer_id`;

function present(r: BookingRow, now: Date): BookingView {
  return presentBooking(
    {
      id: Number(r.id),
      kind: r.kind,
      startAt: sqlDate(r.start_at) as Date,
      endAt: sqlDate(r.end_at) as Date,
      timeZone: r.time_zone,
      status: r.status,
      reminderOnly: sqlBool(r.reminder_only),
      rescheduleCount: Number(r.reschedule_count),
      cancelReason: r.cancel_reason,
      version: Number(r.version),
      calendarEventId: r.calendar_event_id,
      application: {
        id: Number(r.application_id),
        candidate: { id: Number(r.candidate_id), name: r.candidate_name },
        job: { id: Number(r.job_id), title: r.job_title },
      },
      interviewer:
        r.interviewer_id === null ? null : { id: Number(r.interviewer_id), name: String(r.interviewer_name) },
      schedule: {
        sessionType: r.session_type,
        rescheduleCutoffHours: Number(r.reschedule_cutoff_hours),
        cancelCutoffHours: Number(r.cancel_cutoff_hours),
        maxReschedules: Number(r.max_reschedules),
      },
    },
    now,
  );
}

/**
 * The stages an application can book now: those its stage allows, less those it already holds
 * an active booking of (`bookings`: the candidate's, any application).
 */
export function bookableKinds(
  applicationId: number,
  stage: string,
  bookings: ReadonlyArray<{ applicationId: number; kind: BookingKind; status: BookingStatus }>,
): BookingKind[] {
  return (Object.keys(BOOKABLE_STAGES) as BookingKind[]).filter(
    (k) =>
      BOOKABLE_STAGES[k].includes(stage) &&
      !bookings.some((b) => b.applicationId === applicationId && b.kind === k && b.status === 'booked'),
  );
}

/**
 * One booking as `presentBooking` shows it, from one statement; null when it does not exist
 * (the caller's ORM read then answers as before).
 */
export async function presentBookingLean(em: Em, id: number, now: Date): Promise<BookingView | null> {
  const [row] = await query<BookingRow>(em, `${BOOKING_SELECT} where b.id = ?`, [id]);
  return row ? present(row, now) : null;
}

/**
 * A candidate's `GET /api/bookings/mine` in two statements (bookings, applications). Null for
 * anyone else (an interviewer's list runs the ORM path).
 */
export async function myBookingsLean(em: Em, actor: Actor, now: Date): Promise<MyBookingsResponse | null> {
  if (actor.kind !== 'candidate') return null;
  // Start order as the ORM path sorts; the id only makes equal starts come out the same each time.
  const [rows, apps] = await Promise.all([
    query<BookingRow>(em, `${BOOKING_SELECT} where a.candidate_id = ? order by b.start_at asc, b.id asc`, [
      actor.id,
    ]),
    query<{ id: number; job_id: number; job_title: string; stage: string; deadline_at: unknown }>(
      em,
      `select a.id, a.job_id, j.title as job_title, a.stage, a.deadline_at
         from applications a join jobs j on j.id = a.job_id
        where a.candidate_id = ? order by a.id asc`,
      [actor.id],
    ),
  ]);
  const applications = apps.map((a) => {
    const id = Number(a.id);
    return {
      id,
      job: { id: Number(a.job_id), title: a.job_title },
      stage: a.stage,
      deadlineAt: sqlDate(a.deadline_at)?.toISOString() ?? null,
      bookable: bookableKinds(
        id,
        a.stage,
        rows.map((r) => ({ applicationId: Number(r.application_id), kind: r.kind, status: r.status })),
      ),
    };
  });
  return { items: rows.map((r) => present(r, now)), applications };
}
