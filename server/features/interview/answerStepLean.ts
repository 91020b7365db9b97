/**
 * Two answer steps of the candidate, "start recording" and "keep this recording" (accept), in
 * plain SQL: on MySQL one round trip for BEGIN, a lock on the answer row and one read that joins
 * everything the step and its response need (answer, session, question, application deadline,
 * accommodation, and "question k of n" counted in SQL), then the compare-and-swap UPDATE with
 * COMMIT (the lock guarantees it). The ORM path loaded the application, the answer with its
 * session and question, the rules, updated, then refreshed the answer and diffed every entity
 * at commit: about 8 round trips and 8-9 ms of web CPU per call under the routes bench
 * (BENCHMARKS.md, load). Any case this path does not handle (another candidate's answer, a
 * closed session, past the deadline, a transition the state machine refuses, a row that changed
 * between lock and read) returns null and the caller runs the ORM path, which answers it with
 * its usual error; both paths share one set of rules (`stateMachine.ts`).
 */
import type { Actor } from '../../kernel/actor';
import type { IInterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import type { Em } from '../../kernel/db/orm';
import { sqlBool, sqlDate } from '../../kernel/db/raw';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { inTransaction } from '../../kernel/db/tx';
import {
  ANSWER_FROM_SQL,
  type AnswerRuleColumns,
  APPLICATION_SQL,
  applicationSql,
  queueAnswerMove,
  rulesAndSnapshotOf,
} from './grantLean';
import { type AnswerRules, type AnswerSnapshot, transition } from './stateMachine';

interface Row extends AnswerRuleColumns {
  id: number;
  attempts: number;
  version: number;
  session_status: string;
  audio_only: unknown;
  question_id: number;
  text: string;
  answer_type: IInterviewQuestion['answerType'];
  prompt_media_kind: IInterviewQuestion['promptMediaKind'] | null;
  prompt_media_url: string | null;
  max_chars: number;
  deadline_at: unknown;
  n_real: unknown;
  k_real: unknown;
}

/**
 * The step's joined read, ending in `a.id = <application>`. "k of n" counts the plan's real
 * questions (all of them, and those up to this one in position order), as `rulesAndIndexOf`
 * reads them in order; positions are unique per plan.
 */
const READ_SQL = `select ans.id, ans.state, ans.served_at, ans.window_started_at, ans.retakes_used, ans.attempts,
            ans.late, ans.version, s.status as session_status, s.audio_only,
            q.id as question_id, q.text, q.practice, q.answer_type, q.prompt_media_kind, q.prompt_media_url,
            q.max_chars, q.think_seconds, q.answer_seconds, q.retakes,
            a.deadline_at, acc.extra_time_percent, acc.extra_retakes,
            (select count(*) from interview_questions q2 where q2.plan_id = q.plan_id and q2.practice = 0) as n_real,
            (select count(*) from interview_questions q2 where q2.plan_id = q.plan_id and q2.practice = 0
               and q2.position <= q.position) as k_real
       ${ANSWER_FROM_SQL}`;

/** The read's text per way the actor signed in, made once (see `grantLean.ts`). */
const READ_BY_APPLICATION = {
  invitation: `${READ_SQL}${APPLICATION_SQL.invitation}`.replace(/\s+/g, ' '),
  latest: `${READ_SQL}${APPLICATION_SQL.latest}`.replace(/\s+/g, ' '),
};

/** Locks the answer row (MySQL) before the joined read, so that read sees the row as it stands. */
export const LOCK_SQL = 'select version from interview_answers where id = ? for update';

/** The joined read of the actor's answer `answerId` (see {@link READ_SQL}), with its parameters. */
export function answerReadOf(
  actor: Extract<Actor, { kind: 'candidate' }>,
  answerId: number,
): [string, unknown[]] {
  const [, appParams] = applicationSql(actor);
  return [
    actor.invitationJobId !== null ? READ_BY_APPLICATION.invitation : READ_BY_APPLICATION.latest,
    [answerId, ...appParams],
  ];
}

/** The read's row (see {@link answerReadOf}). */
export type AnswerStepRow = Row;

/** What the caller presents (`presentAnswer`): the answer as it now stands, its question and rules. */
export interface AnswerStepFacts {
  answer: AnswerSnapshot & { id: number; attempts: number };
  question: {
    id: number;
    text: string;
    practice: boolean;
    answerType: IInterviewQuestion['answerType'];
    promptMediaKind: IInterviewQuestion['promptMediaKind'] | null;
    promptMediaUrl: string | null;
    maxChars: number;
  };
  rules: AnswerRules;
  index: { k: number; n: number };
  audioOnly: boolean;
}

/**
 * Applies `step` (`start`: the recording window opens; `accept`: the verified recording is kept
 * and the question locked) to the candidate's own answer `answerId` in the usual case, with the
 * same compare-and-swap on the answer's version as the ORM path. Returns null when the ORM path
 * must decide (and give the error).
 */
export async function answerStepLean(props: {
  em: Em;
  actor: Actor;
  now: Date;
  graceSeconds: number;
  answerId: number;
  step: 'start' | 'accept';
}): Promise<AnswerStepFacts | null> {
  const { em, actor, now, step, answerId } = props;
  if (actor.kind !== 'candidate') return null;
  const read = answerReadOf(actor, answerId);
  const lock: [string, unknown[]] = [LOCK_SQL, [answerId]];
  // A deadlock victim was rolled back whole by MariaDB: it runs again from its first round trip.
  return retryOnDeadlock(() =>
    inTransaction(em, async (tx) => {
      // Only the answer row is locked (not the question every candidate of the job shares), before
      // the join's consistent read so that read sees the row as it stands. SQLite has one writer.
      const locking = tx.dialect === 'mysql';
      // BEGIN, the lock and the joined read in one round trip (the read rides with the lock).
      tx.prefetch([read]);
      const locked = locking ? (await tx.all<{ version: number }>(lock[0], lock[1]))[0] : undefined;
      const r = (await tx.all<Row>(read[0], read[1]))[0];
      if (!r || (locked && Number(locked.version) !== Number(r.version))) return null;
      if (r.session_status !== 'open') return null;
      // `start` past the deadline: the ORM path decides whether the sitting still runs.
      const deadline = sqlDate(r.deadline_at);
      if (step === 'start' && deadline && now.getTime() > deadline.getTime()) return null;
      const { rules, snap } = rulesAndSnapshotOf(r, props.graceSeconds);
      const t = transition(snap, { type: step, at: now }, rules);
      if (!t.ok) return null;
      const next = t.next;
      // Accept locks the question now (the ORM path's `lockedAt`); start leaves it as it is.
      await queueAnswerMove(tx, r, next, now, step === 'accept' ? { locked_at: tx.date(now) } : {}, locking);
      return stepFactsOf(r, next, rules);
    }),
  );
}

/** What the caller presents of answer row `r` once it moved to `next`. */
export function stepFactsOf(r: Row, next: AnswerSnapshot, rules: AnswerRules): AnswerStepFacts {
  return {
    answer: { ...next, id: Number(r.id), attempts: Number(r.attempts) },
    question: {
      id: Number(r.question_id),
      text: r.text,
      practice: sqlBool(r.practice),
      answerType: r.answer_type,
      promptMediaKind: r.prompt_media_kind ?? null,
      promptMediaUrl: r.prompt_media_url ?? null,
      maxChars: Number(r.max_chars),
    },
    rules,
    index: { k: sqlBool(r.practice) ? 0 : Number(r.k_real), n: Number(r.n_real) },
    audioOnly: sqlBool(r.audio_only),
  };
}
