/**
 * "The upload finished" (`POST /api/interview/answers/:id/complete`) in plain SQL in the usual
 * case: one read of the attempt (the candidate's own, still `granted`), the HEAD of its object
 * outside any transaction (as the ORM path does it), then on MySQL one round trip for BEGIN, the
 * locks on the attempt and answer rows and the joined answer read of `answerStepLean.ts`, and
 * a second one for the two compare-and-swap UPDATEs (attempt `granted` → `checking`, answer
 * `answering` → `uploaded`) with COMMIT (the locks guarantee them). The ORM path read the
 * application, answer, session, question and attempt twice (before the HEAD and in the write),
 * the plan's question ids and the accommodation, refreshed the answer and the attempt and diffed
 * them all at commit: ~15 ms of web CPU per call under the routes bench, two calls per
 * candidate (BENCHMARKS.md, load).
 *
 * Any case this path does not handle (another candidate's answer, an attempt that does not exist
 * or is no longer `granted`, an object missing or empty, a closed session, an attempt that is not
 * the answer's current one, a transition the state machine refuses, a row that changed between
 * the reads) returns null and the caller runs the ORM path, which answers it as before (the
 * verdict of a repeated call, or the usual error). Nothing is written before that decision.
 */
import type { Actor } from '../../kernel/actor';
import type { Em } from '../../kernel/db/orm';
import { sqlDate } from '../../kernel/db/raw';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { inTransaction, query } from '../../kernel/db/tx';
import { conflict } from '../../kernel/errors';
import {
  type AnswerStepFacts,
  type AnswerStepRow,
  answerReadOf,
  LOCK_SQL,
  stepFactsOf,
} from './answerStepLean';
import { APPLICATION_SQL, applicationSql, queueAnswerMove, rulesAndSnapshotOf } from './grantLean';
import { transition } from './stateMachine';

/** The candidate's attempt `number` of answer `id`, with its owner checked; ends in `a.id = <application>`. */
const ATTEMPT_SQL = `select t.id, t.status, t.object_key
       from interview_attempts t
       join interview_answers ans on ans.id = t.answer_id
       join interview_sessions s on s.id = ans.session_id
       join applications a on a.id = s.application_id
      where t.answer_id = ? and t.number = ? and a.id = `;

/** The attempt read's text per way the actor signed in, made once (see `grantLean.ts`). */
const ATTEMPT_BY_APPLICATION = {
  invitation: `${ATTEMPT_SQL}${APPLICATION_SQL.invitation}`.replace(/\s+/g, ' '),
  latest: `${ATTEMPT_SQL}${APPLICATION_SQL.latest}`.replace(/\s+/g, ' '),
};

/**
 * The attempt row in the write. Locked first on MySQL (the worker's verdict and the ORM path's
 * completion write the attempt before the answer too), so the compare-and-swap on `granted` holds.
 */
const ATTEMPT_LOCK_SQL = {
  mysql: 'select status, granted_at from interview_attempts where id = ? and answer_id = ? for update',
  sqlite: 'select status, granted_at from interview_attempts where id = ? and answer_id = ?',
};

const QUEUE_SQL = `update interview_attempts set status = 'checking', bytes = ?, uploaded_at = ?,
    check_claimed_by = null, check_lease_until = null where id = ? and status = 'granted'`.replace(
  /\s+/g,
  ' ',
);

/**
 * The usual completion of attempt `attemptNo` of the actor's answer `answerId`: the attempt is
 * queued for the worker's media check (`checking`) and the answer is `uploaded`. `head` is the
 * object store's HEAD. Returns the answer as it now stands, or null when the ORM path must decide.
 */
export async function completeUploadLean(props: {
  em: Em;
  actor: Actor;
  now: Date;
  graceSeconds: number;
  answerId: number;
  attemptNo: number;
  head: (key: string) => Promise<{ size: number } | null>;
}): Promise<AnswerStepFacts | null> {
  const { em, actor, now, answerId, attemptNo } = props;
  if (actor.kind !== 'candidate') return null;
  const [, appParams] = applicationSql(actor);
  const attemptSql =
    actor.invitationJobId !== null ? ATTEMPT_BY_APPLICATION.invitation : ATTEMPT_BY_APPLICATION.latest;
  // Reads only, outside any transaction: the write reads and checks everything again.
  const [pre] = await query<{ id: number; status: string; object_key: string }>(em, attemptSql, [
    answerId,
    attemptNo,
    ...appParams,
  ]);
  if (pre?.status !== 'granted') return null;
  // Not in a transaction: OSS answers in milliseconds, but not while rows are locked.
  const info = await props.head(pre.object_key);
  if (!info || info.size === 0) return null;
  const attemptId = Number(pre.id);
  const read = answerReadOf(actor, answerId);
  // A deadlock victim was rolled back whole by MariaDB: it runs again from its first round trip.
  return retryOnDeadlock(() =>
    inTransaction(em, async (tx) => {
      const locking = tx.dialect === 'mysql';
      const attemptLock: [string, unknown[]] = [ATTEMPT_LOCK_SQL[tx.dialect], [attemptId, answerId]];
      const answerLock: [string, unknown[]] = [LOCK_SQL, [answerId]];
      // BEGIN, both locks and the joined read in one round trip.
      tx.prefetch(locking ? [attemptLock, answerLock, read] : [attemptLock, read]);
      const [attempt] = await tx.all<{ status: string; granted_at: unknown }>(attemptLock[0], attemptLock[1]);
      const locked = locking
        ? (await tx.all<{ version: number }>(answerLock[0], answerLock[1]))[0]
        : undefined;
      const r = (await tx.all<AnswerStepRow>(read[0], read[1]))[0];
      // A double tap that lost the race: the ORM path answers with the verdict as it stands.
      if (attempt?.status !== 'granted' || !r) return null;
      if (locked && Number(locked.version) !== Number(r.version)) return null;
      if (r.session_status !== 'open' || Number(r.attempts) !== attemptNo || r.state !== 'answering')
        return null;
      const { rules, snap } = rulesAndSnapshotOf(r, props.graceSeconds);
      const t = transition(snap, { type: 'uploaded', at: sqlDate(attempt.granted_at) as Date }, rules);
      if (!t.ok) return null;
      await tx.runChecked(
        QUEUE_SQL,
        [info.size, tx.date(now), attemptId],
        (res) =>
          res.affectedRows === 1
            ? null
            : conflict('answer_changed', 'This answer changed in another window; reload to continue'),
        { lockedByRead: locking },
      );
      await queueAnswerMove(tx, r, t.next, now, {}, locking);
      return stepFactsOf(r, t.next, rules);
    }),
  );
}
