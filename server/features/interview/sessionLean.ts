/**
 * Three session commands of the candidate in plain SQL for the usual case: consent, start and
 * submit. Each reads everything it decides on in one joined statement (the application the actor
 * acts on, its plan, latest consent, session, AI schedule and booking), then writes with the
 * same rows, audit entries and events as the ORM path (`recordConsent`, `startSession`,
 * `submitSession` in service.ts). The ORM path loaded and hydrated the application with its job
 * and candidate, the notice's three rows, the plan, the session, ..., one round trip each, and
 * diffed them all at commit: 8-20 ms of web CPU per call under the routes bench (BENCHMARKS.md,
 * load). Any case these functions do not handle (no consent, a closed or withdrawn session, a
 * changed notice, past the deadline, outside the booked window, answers missing, a person-only
 * submission whose review the ORM path writes) returns null and the caller runs the ORM path,
 * which answers with its usual error; the rules shared with it (the notice and its hash, "may
 * start now") come from `overview.ts`.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ConsentResponse, StartResponse, SubmitResponse } from '../../../shared/api/interview';
import type { ConsentScope } from '../../../shared/events';
import type { Actor } from '../../kernel/actor';
import type { AuditContext } from '../../kernel/audit';
import type { Em } from '../../kernel/db/orm';
import { sqlBool, sqlDate } from '../../kernel/db/raw';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { inTransaction, NeedsOrmPath } from '../../kernel/db/tx';
import { conflict } from '../../kernel/errors';
import { emit, prefetchHandlers } from '../../kernel/events/emit';
import { applicationSql, scopesOf } from './grantLean';
import { noticeOf, startRefusalWith } from './overview';
import { START_STATE_JOINS, type StartStateColumns, startStateOf } from './overviewLean';

/**
 * Start and submit run at READ COMMITTED, as the booking does (booking/commands.ts): their locking
 * reads then take record locks only, no gap locks. Under REPEATABLE READ the submit's locking read
 * of its session (through the application subquery) took a next-key lock on the sessions'
 * application index, so a candidate with an earlier application who started meanwhile (a new
 * session in that gap) waited until the submit committed; on an interview day a job's candidates
 * start and submit at the same moments (sessionLean.test.ts shows the wait). Nothing here rests
 * on a snapshot: the decisions come from one joined read (which REPEATABLE READ did not lock
 * either), the session row is locked before the submit's read, the stage move reads its
 * application FOR UPDATE, a second start of the same application fails on the sessions' unique
 * key, and the rollups add to their counts under row locks. SQLite (one writer) ignores it.
 */
const STAGE_MOVE_TX = { readCommitted: true } as const;

/** What the three commands receive (the fields of `InterviewDeps` they use). */
export interface SessionLeanDeps {
  em: Em;
  actor: Actor;
  now: Date;
  context: AuditContext & { userAgent?: string };
}

type CandidateActor = Extract<Actor, { kind: 'candidate' }>;

/** `sql` with `<app>` replaced by the application subquery of each way the actor signs in. */
function perSignIn(sql: string) {
  const of = (actor: CandidateActor) => applicationSql(actor)[0];
  const invitation = of({ kind: 'candidate', id: 0, invitationJobId: 0 } as CandidateActor);
  const latest = of({ kind: 'candidate', id: 0, invitationJobId: null } as CandidateActor);
  return {
    invitation: sql.replace('<app>', invitation).replace(/\s+/g, ' '),
    latest: sql.replace('<app>', latest).replace(/\s+/g, ' '),
  };
}

/** The statement for `actor` and its parameters (`before` go before the application's). */
function readOf(
  texts: { invitation: string; latest: string },
  actor: CandidateActor,
  before: unknown[] = [],
): [string, unknown[]] {
  return [
    actor.invitationJobId !== null ? texts.invitation : texts.latest,
    [...before, ...applicationSql(actor)[1]],
  ];
}

// ---------------------------------------------------------------------------------------------
// consent

/** The consent's read: the notice's facts (as `noticeForJob`), the session and `person_only`. */
const CONSENT_READ = perSignIn(
  `select a.id as app_id, a.candidate_id, a.person_only, j.title as job_title,
          o.name as org_name, o.retention_days, p.follow_ups, s.status as session_status
     from applications a
     join jobs j on j.id = a.job_id
     left join org_settings o on o.id = (select min(o2.id) from org_settings o2)
     left join interview_plans p on p.job_id = a.job_id
     left join interview_sessions s on s.application_id = a.id
    where a.id = <app>`,
);

interface ConsentRow {
  app_id: number;
  candidate_id: number;
  person_only: unknown;
  job_title: string;
  org_name: string | null;
  retention_days: number | null;
  follow_ups: unknown;
  session_status: string | null;
}

/**
 * Records a consent decision (as `recordConsent`) in the usual case: the notice read is the
 * current one, video processing is granted, the session (if any) is not withdrawn. Null otherwise.
 */
export async function recordConsentLean(
  d: SessionLeanDeps,
  input: {
    noticeHash: string;
    locale: 'zh-CN' | 'en';
    videoProcessing: boolean;
    aiEvaluation: boolean;
    personOnly: boolean;
  },
): Promise<ConsentResponse['consent'] | null> {
  const { actor, now } = d;
  if (actor.kind !== 'candidate' || !input.videoProcessing) return null;
  const read = readOf(CONSENT_READ, actor);
  return inTransaction(d.em, async (tx) => {
    const r = (await tx.all<ConsentRow>(read[0], read[1]))[0];
    if (!r || r.session_status === 'withdrawn') return null;
    const notice = noticeOf(
      {
        company: r.org_name,
        jobTitle: r.job_title,
        retentionDays: r.retention_days === null ? null : Number(r.retention_days),
        followUps: r.follow_ups === null ? null : sqlBool(r.follow_ups),
      },
      input.locale,
    );
    if (notice.hash !== input.noticeHash) return null;
    const appId = Number(r.app_id);
    const personOnly = input.personOnly || !input.aiEvaluation;
    const scopes: ConsentScope[] = ['video_processing'];
    if (input.aiEvaluation && !input.personOnly) scopes.push('ai_evaluation');
    if (personOnly) scopes.push('person_only');
    const writes: Array<[string, unknown[]]> = [
      [
        `insert into interview_consents
           (application_id, candidate_id, action, scopes, notice_version, notice_hash, locale, ip, user_agent, created_at)
         values (?, ?, 'grant', ?, ?, ?, ?, ?, ?, ?)`,
        [
          appId,
          Number(r.candidate_id),
          tx.json(scopes),
          notice.version,
          notice.hash,
          input.locale,
          (d.context.ip ?? '').slice(0, 64),
          (d.context.userAgent ?? '').slice(0, 500),
          tx.date(now),
        ],
      ],
    ];
    // The ORM path writes the application only when the choice changed (then with updated_at).
    if (sqlBool(r.person_only) !== personOnly)
      writes.push([
        'update applications set person_only = ?, updated_at = ? where id = ?',
        [personOnly ? 1 : 0, tx.date(new Date()), appId],
      ]);
    const [inserted] = await tx.runAll(writes);
    const id = Number(inserted.insertId);
    tx.audit(actor, 'interview.consent_granted', { type: 'application', id: appId }, { scopes }, d.context);
    await emit(tx, {
      type: 'interview.consent_granted',
      key: `interview-consent:${id}`,
      aggregate: `application:${appId}`,
      actor: { kind: 'candidate', id: actor.id },
      data: { applicationId: appId, scopes, personOnly },
    });
    return { id, scopes, personOnly, at: now.toISOString() };
  });
}

// ---------------------------------------------------------------------------------------------
// start

/**
 * The start's read: application, plan, latest consent, session, AI schedule, the first holding
 * booking (as `aiBookingOf`), and, only when the candidate is before their booked window, the
 * seats of the job taken over the next `duration_minutes` (as `startRefusalOf` counts them).
 * Parameters: now (twice, then the application's). `<until>` is now + the window's length.
 */
function startRead(until: string) {
  return perSignIn(
    `select a.id as app_id, a.candidate_id, a.job_id, a.deadline_at, p.id as plan_id,
            con.action as consent_action, con.scopes as consent_scopes,
            s.id as session_id, s.status as session_status, s.audio_only, s.recorder_mime,
            ps.take_mode, ps.duration_minutes, ps.capacity_per_slot,
            b.id as booking_id, b.start_at as booking_start, b.end_at as booking_end,
            case when b.id is not null and b.start_at > ? then
              (select count(*) from bookings b3 join applications a3 on a3.id = b3.application_id
                where b3.id <> b.id and b3.kind = 'ai_interview' and b3.status = 'booked'
                  and b3.reminder_only = 0 and a3.job_id = a.job_id
                  and b3.start_at < ${until} and b3.end_at > ?)
            else 0 end as seated
       from applications a
       join interview_plans p on p.job_id = a.job_id
       ${START_STATE_JOINS}
      where a.id = <app>`,
  );
}

/** The start's read per dialect (the window's end is date arithmetic on the stored instants). */
const START_READ = {
  // The `?` is now, bound once more before the others (see startLean).
  mysql: startRead('date_add(?, interval ps.duration_minutes minute)'),
  // SQLite stores instants as epoch milliseconds.
  sqlite: startRead('(? + ps.duration_minutes * 60000)'),
};

interface StartRow extends StartStateColumns {
  app_id: number;
  candidate_id: number;
  job_id: number;
  deadline_at: unknown;
  plan_id: number;
  consent_action: string | null;
  consent_scopes: unknown;
  session_id: number | null;
  session_status: string | null;
  audio_only: unknown;
  recorder_mime: string | null;
  seated: unknown;
}

/**
 * May a new sitting begin now under the take mode: `startRefusalWith`'s rule on the read's facts
 * (the seats were counted in the read, in the one case the rule asks for them).
 */
async function mayStart(r: StartRow, now: Date): Promise<boolean> {
  const { schedule, booking } = startStateOf(r);
  return (await startRefusalWith(schedule, booking, now, () => Number(r.seated))) === null;
}

/**
 * Starts (or resumes) the session (as `startSession`) in the usual case: consent to video
 * processing, and either an open session or a new one the deadline and the take mode allow now
 * (then `interview.started` moves the pipeline, in the same transaction). Null otherwise, also
 * when a simultaneous start inserted the session first (the ORM path then resumes it).
 */
export async function startSessionLean(
  d: SessionLeanDeps,
  input: { audioOnly?: boolean; recorderMime?: string },
): Promise<StartResponse['session'] | null> {
  const { actor, now } = d;
  if (actor.kind !== 'candidate') return null;
  const mime = input.recorderMime ? input.recorderMime.slice(0, 100) : undefined;
  try {
    return await retryOnDeadlock(() =>
      inTransaction(
        d.em,
        async (tx) => {
          const at = tx.date(now);
          const read = readOf(START_READ[tx.dialect], actor, [at, at, at]);
          const r = (await tx.all<StartRow>(read[0], read[1]))[0];
          if (!r) return null;
          if (r.consent_action !== 'grant' || !scopesOf(r.consent_scopes).includes('video_processing'))
            return null;
          const audioOnly = input.audioOnly ?? sqlBool(r.audio_only);
          const recorderMime = mime ?? r.recorder_mime ?? null;
          if (r.session_id !== null) {
            if (r.session_status !== 'open') return null;
            // Resumed: written only when the device's choice changed (as the ORM flush does).
            if (audioOnly !== sqlBool(r.audio_only) || recorderMime !== (r.recorder_mime ?? null))
              await tx.run(
                'update interview_sessions set audio_only = ?, recorder_mime = ?, updated_at = ? where id = ?',
                [audioOnly ? 1 : 0, recorderMime, tx.date(new Date()), r.session_id],
              );
            return { id: Number(r.session_id), status: 'open' as const, audioOnly };
          }
          const deadline = sqlDate(r.deadline_at);
          if (deadline && now.getTime() > deadline.getTime()) return null;
          if (!(await mayStart(r, now))) return null;
          const applicationId = Number(r.app_id);
          const candidateId = Number(r.candidate_id);
          const jobId = Number(r.job_id);
          const event = { type: 'interview.started' as const, data: { applicationId } };
          // The stage move's read (the application, locked) rides with the insert.
          prefetchHandlers(tx, event);
          const created = new Date();
          const { insertId } = await tx.run(
            `insert into interview_sessions
             (application_id, candidate_id, job_id, plan_id, status, audio_only, recorder_mime,
              started_at, submitted_at, version, created_at, updated_at)
           values (?, ?, ?, ?, 'open', ?, ?, ?, null, 1, ?, ?)`,
            [
              applicationId,
              candidateId,
              jobId,
              Number(r.plan_id),
              audioOnly ? 1 : 0,
              recorderMime,
              at,
              tx.date(created),
              tx.date(created),
            ],
          );
          const sessionId = Number(insertId);
          await emit(tx, {
            type: 'interview.started',
            key: `interview:${sessionId}:started`,
            aggregate: `interview:${sessionId}`,
            actor: { kind: 'candidate', id: actor.id },
            data: { applicationId, sessionId, candidateId, jobId },
          });
          return { id: sessionId, status: 'open' as const, audioOnly };
        },
        STAGE_MOVE_TX,
      ),
    );
  } catch (err) {
    // Two starts at once: the other one's session exists now; the ORM path resumes it.
    if (err instanceof UniqueConstraintViolationException) return null;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// submit

/**
 * The submit's read: the session (locked first on MySQL, see submitSessionLean) and how many of
 * the plan's real questions have no submitted answer in it (as `submitOnce` counts them).
 */
const SUBMIT_READ = perSignIn(
  `select a.id as app_id, a.candidate_id, a.job_id, a.person_only,
          s.id as session_id, s.status as session_status, s.version,
          (select count(*) from interview_questions q
            where q.plan_id = p.id and q.practice = 0
              and not exists (select 1 from interview_answers ans
                               where ans.session_id = s.id and ans.question_id = q.id
                                 and ans.state = 'submitted')) as missing
     from applications a
     join interview_plans p on p.job_id = a.job_id
     join interview_sessions s on s.application_id = a.id
    where a.id = <app>`,
);

const SUBMIT_LOCK = perSignIn(
  'select version from interview_sessions where application_id = <app> for update',
);

interface SubmitRow {
  app_id: number;
  candidate_id: number;
  job_id: number;
  person_only: unknown;
  session_id: number;
  session_status: string;
  version: number;
  missing: unknown;
}

/**
 * Submits the session (as `submitOnce`) in the usual case: open, every real question answered,
 * not person-only (whose review the ORM path's stage move writes). `interview.submitted` moves
 * the pipeline and queues scoring in the same transaction. Null otherwise. Deadlock victims (the
 * stage move's analytics rows are shared with the scoring worker's moves) run again.
 */
export async function submitSessionLean(d: SessionLeanDeps): Promise<SubmitResponse['session'] | null> {
  const { actor, now } = d;
  if (actor.kind !== 'candidate') return null;
  const read = readOf(SUBMIT_READ, actor);
  const lock = readOf(SUBMIT_LOCK, actor);
  try {
    return await retryOnDeadlock(() =>
      inTransaction(
        d.em,
        async (tx) => {
          // MySQL: the session row is locked before the joined read, so the read sees it as it
          // stands and the compare-and-swap below cannot fail (it may then ride with COMMIT).
          const locking = tx.dialect === 'mysql';
          tx.prefetch([read]);
          const locked = locking ? (await tx.all<{ version: number }>(lock[0], lock[1]))[0] : undefined;
          const r = (await tx.all<SubmitRow>(read[0], read[1]))[0];
          if (!r || (locked && Number(locked.version) !== Number(r.version))) return null;
          if (r.session_status !== 'open' || Number(r.missing) > 0 || sqlBool(r.person_only)) return null;
          const sessionId = Number(r.session_id);
          const applicationId = Number(r.app_id);
          const version = Number(r.version);
          await tx.runChecked(
            `update interview_sessions set status = 'submitted', submitted_at = ?, version = ?
            where id = ? and version = ? and status = 'open'`,
            [tx.date(now), version + 1, sessionId, version],
            (n) =>
              n.affectedRows === 1
                ? null
                : conflict('session_changed', 'This interview changed in another window; reload'),
            { lockedByRead: locking },
          );
          tx.audit(
            actor,
            'interview.submitted',
            { type: 'interview_session', id: sessionId },
            null,
            d.context,
          );
          await emit(tx, {
            type: 'interview.submitted',
            key: `interview:${sessionId}:submitted`,
            aggregate: `interview:${sessionId}`,
            actor: { kind: 'candidate', id: actor.id },
            data: { applicationId, sessionId, candidateId: Number(r.candidate_id), jobId: Number(r.job_id) },
          });
          return { id: sessionId, status: 'submitted' as const, submittedAt: now.toISOString() };
        },
        STAGE_MOVE_TX,
      ),
    );
  } catch (err) {
    // The candidate chose "person only" meanwhile: the ORM path writes the review with the move.
    if (err instanceof NeedsOrmPath) return null;
    throw err;
  }
}
