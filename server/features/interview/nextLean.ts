/**
 * "Next question" (`POST /api/interview/next`) in plain SQL in the usual case: one joined read of
 * the candidate's application, session, consent, accommodation and the plan's questions each
 * with this session's answer (one row per question, in position order), and, when the next
 * question has not been served yet, one INSERT of its answer. On MySQL BEGIN rides with the read
 * and COMMIT follows the insert. The ORM path loaded the application with its job and candidate,
 * the consent, the session, the plan, its questions and the session's answers as entities (about
 * seven statements) and diffed them all at commit: ~9 ms of web CPU per call under the routes
 * bench, three calls per candidate (BENCHMARKS.md, load).
 *
 * Any case this path does not handle (no application, session or plan; no consent; a session not
 * open; a question to serve past the sitting's own time, where the deadline and the take mode
 * apply again; a plan without questions) returns null and the caller runs the ORM path, which
 * answers it with its usual error. Two simultaneous calls that both serve the same question: the
 * unique (session, question) key lets one insert; the other declines and the ORM path then finds
 * and returns the answer the winner served.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../../kernel/actor';
import type { IInterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import type { Em } from '../../kernel/db/orm';
import { sqlBool, sqlDate } from '../../kernel/db/raw';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { inTransaction } from '../../kernel/db/tx';
import type { AnswerStepFacts } from './answerStepLean';
import {
  APPLICATION_SQL,
  applicationSql,
  LATEST_CONSENT_SQL,
  rulesAndSnapshotOf,
  scopesOf,
} from './grantLean';
import { expectedSecondsOf } from './overview';
import type { AnswerSnapshot } from './stateMachine';

/** One row per question of the plan, with the session's answer to it (if served). */
interface Row {
  session_id: number;
  session_status: string;
  audio_only: unknown;
  started_at: unknown;
  extra_time_percent: number | null;
  extra_retakes: number | null;
  consent_action: string | null;
  consent_scopes: unknown;
  question_id: number;
  text: string;
  practice: unknown;
  answer_type: IInterviewQuestion['answerType'];
  prompt_media_kind: IInterviewQuestion['promptMediaKind'] | null;
  prompt_media_url: string | null;
  max_chars: number;
  think_seconds: number;
  answer_seconds: number;
  retakes: number;
  answer_id: number | null;
  state: AnswerSnapshot['state'] | null;
  served_at: unknown;
  window_started_at: unknown;
  retakes_used: number | null;
  attempts: number | null;
  late: unknown;
}

/**
 * The read, ending in `a.id = <application>`. The plan is the job's (as `planOf` reads it), the
 * session the application's (one per application); the consent is the latest row.
 */
const READ_SQL = `select s.id as session_id, s.status as session_status, s.audio_only, s.started_at,
            acc.extra_time_percent, acc.extra_retakes,
            ${LATEST_CONSENT_SQL},
            q.id as question_id, q.text, q.practice, q.answer_type, q.prompt_media_kind, q.prompt_media_url,
            q.max_chars, q.think_seconds, q.answer_seconds, q.retakes,
            ans.id as answer_id, ans.state, ans.served_at, ans.window_started_at, ans.retakes_used,
            ans.attempts, ans.late
       from applications a
       join interview_sessions s on s.application_id = a.id
       join interview_plans p on p.job_id = a.job_id
       join interview_questions q on q.plan_id = p.id
       left join interview_accommodations acc on acc.application_id = a.id
       left join interview_answers ans on ans.session_id = s.id and ans.question_id = q.id
      where a.id = `;

/** The read's text per way the actor signed in, made once (see `grantLean.ts`). */
const READ_BY_APPLICATION = {
  invitation: `${READ_SQL}${APPLICATION_SQL.invitation} order by q.position asc`.replace(/\s+/g, ' '),
  latest: `${READ_SQL}${APPLICATION_SQL.latest} order by q.position asc`.replace(/\s+/g, ' '),
};

const INSERT_SQL = `insert into interview_answers
    (session_id, question_id, state, served_at, retakes_used, attempts, late, version, created_at, updated_at)
    values (?, ?, 'served', ?, 0, 0, 0, 1, ?, ?)`.replace(/\s+/g, ' ');

/** What `POST /next` answers, before presentation: done, or the answer to show. */
export type NextFacts =
  | { done: true; answered: number; total: number }
  | { done: false; facts: AnswerStepFacts };

/**
 * The usual case of serving the next question (the first, practice first, not yet submitted):
 * its answer as it stands, or a new one served `now`. Null when the ORM path must decide.
 */
export async function serveNextLean(props: {
  em: Em;
  actor: Actor;
  now: Date;
  graceSeconds: number;
}): Promise<NextFacts | null> {
  const { em, actor, now } = props;
  if (actor.kind !== 'candidate') return null;
  const [, appParams] = applicationSql(actor);
  const readSql =
    actor.invitationJobId !== null ? READ_BY_APPLICATION.invitation : READ_BY_APPLICATION.latest;
  try {
    // A deadlock victim was rolled back whole: it runs again from its read.
    return await retryOnDeadlock(() =>
      inTransaction(em, async (tx): Promise<NextFacts | null> => {
        const rows = await tx.all<Row>(readSql, appParams);
        const first = rows[0];
        if (first?.session_status !== 'open') return null;
        if (first.consent_action !== 'grant' || !scopesOf(first.consent_scopes).includes('video_processing'))
          return null;
        // Practice first, then the real questions, each in position order (as `planOf`).
        const ordered = [
          ...rows.filter((r) => sqlBool(r.practice)),
          ...rows.filter((r) => !sqlBool(r.practice)),
        ];
        const real = ordered.filter((r) => !sqlBool(r.practice));
        const next = ordered.find((r) => r.state !== 'submitted');
        if (!next) return { done: true, answered: real.length, total: real.length };
        let served: Row = next;
        if (next.answer_id === null) {
          // Past the sitting's own time the deadline and the window apply again: the ORM path.
          const extra = first.extra_time_percent === null ? 0 : Number(first.extra_time_percent);
          const timings = ordered.map((r) => ({
            thinkSeconds: Number(r.think_seconds),
            answerSeconds: Number(r.answer_seconds),
          }));
          const startedAt = sqlDate(first.started_at) as Date;
          if (now.getTime() > startedAt.getTime() + 2 * expectedSecondsOf(timings, extra) * 1000) return null;
          const at = tx.date(now);
          const { insertId } = await tx.run(INSERT_SQL, [next.session_id, next.question_id, at, at, at]);
          served = {
            ...next,
            answer_id: insertId,
            state: 'served',
            served_at: now,
            window_started_at: null,
            retakes_used: 0,
            attempts: 0,
            late: 0,
          };
        }
        const { rules, snap } = rulesAndSnapshotOf(
          served as Row & { state: AnswerSnapshot['state']; retakes_used: number },
          props.graceSeconds,
        );
        const practice = sqlBool(served.practice);
        return {
          done: false,
          facts: {
            answer: { ...snap, id: Number(served.answer_id), attempts: Number(served.attempts) },
            question: {
              id: Number(served.question_id),
              text: served.text,
              practice,
              answerType: served.answer_type,
              promptMediaKind: served.prompt_media_kind ?? null,
              promptMediaUrl: served.prompt_media_url ?? null,
              maxChars: Number(served.max_chars),
            },
            rules,
            index: {
              k: practice ? 0 : real.findIndex((r) => r.question_id === served.question_id) + 1,
              n: real.length,
            },
            audioOnly: sqlBool(first.audio_only),
          },
        };
      }),
    );
  } catch (err) {
    // Another request served this question first (two taps, two tabs): the ORM path returns it.
    if (err instanceof UniqueConstraintViolationException) return null;
    throw err;
  }
}
