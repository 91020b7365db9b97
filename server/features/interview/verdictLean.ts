/**
 * The worker's verdict on a checked recording, in plain SQL: one joined read of the attempt, its
 * answer, question and accommodation (riding on BEGIN), then the attempt's and the answer's
 * compare-and-swap UPDATEs in one round trip, then COMMIT. The ORM path (`recordVerdict` in
 * `service.ts`) read the attempt with its answer, session and application, the question and the
 * accommodation, updated both rows and refreshed the answer: eight statements and four hydrated
 * entities per recording, two recordings per candidate, in the worker that a thousand-candidate
 * run saturates (BENCHMARKS.md, load). Cases this path does not handle (the answer moved on
 * without this verdict, a transition the state machine refuses) return null, and the caller
 * runs the ORM path, which handles them as it always has; both share `stateMachine.ts`.
 */
import type { Config } from '../../kernel/config';
import type { Em } from '../../kernel/db/orm';
import { inTransaction } from '../../kernel/db/tx';
import { AppError } from '../../kernel/errors';
import type { MediaReport } from '../../kernel/media/checks';
import { queueAnswerMove, rulesAndSnapshotOf } from './grantLean';
import { transition } from './stateMachine';

/** A recording problem as the verdict records it (its code becomes the attempt's reject reason). */
interface Problem {
  code: string;
}

/** The verdict to write (see `recordVerdict`). */
export interface VerdictInput {
  attemptId: number;
  workerId: string;
  now: Date;
  problem: Problem | null;
  report: MediaReport | null;
}

/** What the lean verdict did: `written` false when the attempt was not this worker's to judge. */
export type LeanVerdict = { written: false } | { written: true; deleteKey: string | null };

const READ_SQL = `select att.number, att.status as attempt_status, att.check_claimed_by, att.object_key,
       ans.id, ans.state, ans.served_at, ans.window_started_at, ans.retakes_used, ans.attempts, ans.late, ans.version,
       q.think_seconds, q.answer_seconds, q.retakes, q.practice,
       acc.extra_time_percent, acc.extra_retakes
  from interview_attempts att
  join interview_answers ans on ans.id = att.answer_id
  join interview_questions q on q.id = ans.question_id
  join interview_sessions s on s.id = ans.session_id
  left join interview_accommodations acc on acc.application_id = s.application_id
 where att.id = ?`.replace(/\s+/g, ' ');

/** Thrown inside the transaction when the usual case does not apply (rolls it back). */
class NotLean extends Error {}

/**
 * Writes the verdict on attempt `v.attemptId` as `recordVerdict` does, for the usual case.
 * Returns null when the ORM path must decide (nothing was written), `{ written: false }` when
 * the attempt is no longer waiting for this worker, else the object to delete once committed
 * (a rejected recording) or null.
 */
export async function recordVerdictLean(
  em: Em,
  config: Config,
  v: VerdictInput,
): Promise<LeanVerdict | null> {
  try {
    return await inTransaction(em, async (tx) => {
      const [r] = await tx.all<Record<string, unknown> & Parameters<typeof rulesAndSnapshotOf>[0]>(READ_SQL, [
        v.attemptId,
      ]);
      if (r?.attempt_status !== 'checking' || r.check_claimed_by !== v.workerId)
        return { written: false } as const;
      const number = Number(r.number);
      if (r.state !== 'uploaded' || Number(r.attempts) !== number) throw new NotLean();
      const { rules, snap } = rulesAndSnapshotOf(r, config.interview.graceSeconds);
      const moved = transition(snap, { type: 'verified', at: v.now, ok: !v.problem }, rules);
      if (!moved.ok) throw new NotLean();
      const release = 'check_claimed_by = null, check_lease_until = null';
      // Both compare-and-swaps fail the transaction: the attempt's (it is still this worker's
      // and still checking) and the answer's version (queueAnswerMove).
      const attemptCas = (res: { affectedRows: number }) => (res.affectedRows === 1 ? null : new NotLean());
      if (v.problem) {
        await tx.runChecked(
          `update interview_attempts set status = 'rejected', reject_reason = ?, flags = ?, ${release}
            where id = ? and status = 'checking' and check_claimed_by = ?`,
          [v.problem.code, tx.json(v.report?.flags ?? []), v.attemptId, v.workerId],
          attemptCas,
        );
      } else {
        const report = v.report as MediaReport;
        const late = snap.late;
        const flags: string[] = [...report.flags];
        if (
          report.durationMs !== null &&
          report.durationMs > (rules.answerSeconds + rules.graceSeconds) * 1000
        )
          flags.push('too_long');
        if (late) flags.push('late');
        await tx.runChecked(
          `update interview_attempts set status = 'verified', verified_at = ?, duration_ms = ?, flags = ?, late = ?,
                  metrics = ?, ${release}
            where id = ? and status = 'checking' and check_claimed_by = ?`,
          [
            tx.date(v.now),
            report.durationMs,
            tx.json(flags),
            late ? 1 : 0,
            tx.json({
              videoCodec: report.videoCodec,
              audioCodec: report.audioCodec,
              meanVolumeDb: report.meanVolumeDb,
              maxVolumeDb: report.maxVolumeDb,
              silenceRatio: report.silenceRatio,
              longestPauseMs: report.longestPauseMs,
              firstSpeechMs: report.firstSpeechMs,
            }),
            v.attemptId,
            v.workerId,
          ],
          attemptCas,
        );
      }
      await queueAnswerMove(
        tx,
        { id: Number(r.id), version: Number(r.version) },
        moved.next,
        v.now,
        v.problem ? {} : { final_attempt: number },
        false,
      );
      return { written: true, deleteKey: v.problem ? String(r.object_key) : null } as const;
    });
  } catch (err) {
    // A compare-and-swap that failed, or a case for the ORM path: it decides with fresh reads.
    if (err instanceof NotLean || err instanceof AppError) return null;
    throw err;
  }
}
