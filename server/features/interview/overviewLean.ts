/**
 * The interview overview (`GET /api/interview`, the first read of a returning candidate's home)
 * in one SQL statement: one row per question of the plan, each carrying the application, job,
 * plan, organisation, accommodation, latest consent, session, AI schedule and booking columns.
 * The ORM path (`interviewOverviewOrm`) spent about ten round trips and hydrated and tracked
 * nine kinds of entity only to serialise a few of their fields; on the embedded SQLite the five
 * other first reads of the page wait for its single connection meanwhile. One case takes a
 * second statement: a `booked` plan before the candidate's window, where "start early" counts the
 * seats taken (`startRefusalOf`). The facts go through the same rules and presenter as the ORM
 * path (`overview.ts`); overviewLean.test.ts checks both give the same JSON.
 */

import type { InterviewOverview } from '../../../shared/api/interview';
import type { Actor } from '../../kernel/actor';
import type { Em } from '../../kernel/db/orm';
import { sqlBool, sqlDate } from '../../kernel/db/raw';
import { applicationSql, scopesOf } from './grantLean';
import {
  noticeOf,
  type OverviewFacts,
  overviewLocale,
  overviewRefusal,
  presentOverview,
  type StartBooking,
  type StartSchedule,
} from './overview';

/**
 * The joins of what decides "may a sitting start" for application `a` of plan `p`: its latest
 * consent (`con`), session (`s`), the plan's active AI schedule (`ps`) and the application's
 * first holding AI booking (`b`), as the ORM path reads them; each adds at most one row.
 * Shared with the plain-SQL start (`sessionLean.ts`).
 */
export const START_STATE_JOINS = `left join interview_consents con
         on con.id = (select max(c2.id) from interview_consents c2 where c2.application_id = a.id)
       left join interview_sessions s on s.application_id = a.id
       left join plan_schedules ps on ps.plan_id = p.id and ps.kind = 'ai_interview' and ps.active = 1
       left join bookings b
         on b.id = (select min(b2.id) from bookings b2
                     where b2.application_id = a.id and b2.kind = 'ai_interview'
                       and b2.status in ('booked', 'completed'))`;

/** The schedule's and booking's columns read through {@link START_STATE_JOINS}. */
export interface StartStateColumns {
  take_mode: StartSchedule['takeMode'] | null;
  duration_minutes: number | null;
  capacity_per_slot: number | null;
  booking_id: number | null;
  booking_start: unknown;
  booking_end: unknown;
}

/** The schedule and booking of {@link StartStateColumns}, as the start rule takes them. */
export function startStateOf(r: StartStateColumns): {
  schedule: StartSchedule | null;
  booking: StartBooking | null;
} {
  return {
    schedule:
      r.take_mode === null
        ? null
        : {
            takeMode: r.take_mode,
            durationMinutes: Number(r.duration_minutes),
            capacityPerSlot: Number(r.capacity_per_slot),
          },
    booking:
      r.booking_id === null
        ? null
        : {
            id: Number(r.booking_id),
            startAt: sqlDate(r.booking_start) as Date,
            endAt: sqlDate(r.booking_end) as Date,
          },
  };
}

interface Row extends StartStateColumns {
  app_id: number;
  deadline_at: unknown;
  job_id: number;
  job_title: string;
  candidate_locale: string;
  follow_ups: unknown;
  org_name: string | null;
  retention_days: number | null;
  extra_time_percent: number | null;
  extra_retakes: number | null;
  audio_only_allowed: unknown;
  consent_action: 'grant' | 'withdraw' | null;
  consent_scopes: unknown;
  consent_at: unknown;
  consent_hash: string | null;
  session_id: number | null;
  session_status: NonNullable<OverviewFacts['session']>['status'] | null;
  audio_only: unknown;
  submitted_at: unknown;
  q_id: number | null;
  practice: unknown;
  think_seconds: number | null;
  answer_seconds: number | null;
  q_submitted: unknown;
}

/**
 * Reads the overview of the candidate's interview in one statement. Null when the usual case
 * does not hold (not a candidate, no application, no plan): the ORM path then answers with its
 * 404, so both paths share one set of errors.
 */
export async function interviewOverviewLean(
  em: Em,
  actor: Actor,
  now: Date,
  loc?: string,
): Promise<InterviewOverview | null> {
  if (actor.kind !== 'candidate') return null;
  const [appSql, appParams] = applicationSql(actor);
  // Latest consent and first holding booking by id, as the ORM path reads them; the schedule,
  // plan, session and accommodation are unique per plan/job/application, so their joins add no
  // rows; the organisation is the first settings row (a deployment serves one).
  const rows = await em.execute<Row[]>(
    `select a.id as app_id, a.deadline_at, j.id as job_id, j.title as job_title,
            c.locale as candidate_locale, p.follow_ups,
            o.name as org_name, o.retention_days,
            acc.extra_time_percent, acc.extra_retakes, acc.audio_only_allowed,
            con.action as consent_action, con.scopes as consent_scopes,
            con.created_at as consent_at, con.notice_hash as consent_hash,
            s.id as session_id, s.status as session_status, s.audio_only, s.submitted_at,
            ps.take_mode, ps.duration_minutes, ps.capacity_per_slot,
            b.id as booking_id, b.start_at as booking_start, b.end_at as booking_end,
            q.id as q_id, q.practice, q.think_seconds, q.answer_seconds,
            (select count(*) from interview_answers ans
              where ans.session_id = s.id and ans.question_id = q.id and ans.state = 'submitted') as q_submitted
       from applications a
       join jobs j on j.id = a.job_id
       join candidates c on c.id = a.candidate_id
       join interview_plans p on p.job_id = a.job_id
       left join org_settings o on o.id = (select min(o2.id) from org_settings o2)
       left join interview_accommodations acc on acc.application_id = a.id
       ${START_STATE_JOINS}
       left join interview_questions q on q.plan_id = p.id
      where a.id = ${appSql}
      order by q.position asc, q.id asc`,
    appParams,
  );
  const r = rows[0];
  if (!r) return null;
  const deadlineAt = sqlDate(r.deadline_at);
  const jobId = Number(r.job_id);
  const questions = rows
    .filter((x) => x.q_id !== null)
    .map((x) => ({
      id: Number(x.q_id),
      practice: sqlBool(x.practice),
      thinkSeconds: Number(x.think_seconds),
      answerSeconds: Number(x.answer_seconds),
      submitted: Number(x.q_submitted) > 0,
    }));
  const { schedule, booking } = startStateOf(r);
  return presentOverview({
    job: { id: jobId, title: r.job_title },
    deadlineAt,
    questions,
    accommodation:
      r.extra_time_percent === null
        ? null
        : {
            extraTimePercent: Number(r.extra_time_percent),
            extraRetakes: Number(r.extra_retakes),
            audioOnlyAllowed: sqlBool(r.audio_only_allowed),
          },
    consent:
      r.consent_action === null
        ? null
        : {
            action: r.consent_action,
            scopes: scopesOf(r.consent_scopes),
            createdAt: sqlDate(r.consent_at) as Date,
            noticeHash: String(r.consent_hash),
          },
    session:
      r.session_id === null || r.session_status === null
        ? null
        : {
            id: Number(r.session_id),
            status: r.session_status,
            audioOnly: sqlBool(r.audio_only),
            submittedAt: sqlDate(r.submitted_at),
          },
    submitted: new Set(questions.filter((q) => q.submitted).map((q) => q.id)),
    takeMode: schedule?.takeMode ?? null,
    refusal: await overviewRefusal(em, {
      hasSession: r.session_id !== null,
      deadlineAt,
      schedule,
      booking,
      jobId,
      now,
    }),
    company: r.org_name,
    notice: noticeOf(
      {
        company: r.org_name,
        jobTitle: r.job_title,
        retentionDays: r.retention_days === null ? null : Number(r.retention_days),
        followUps: sqlBool(r.follow_ups),
      },
      overviewLocale(loc ?? r.candidate_locale),
    ),
  });
}
