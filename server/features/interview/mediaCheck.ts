/**
 * The media check of uploaded interview recordings, in the worker role (issue 18): the web
 * request that completes an upload only marks the attempt `checking`; the kernel's media-check
 * queue (kernel/media/checkQueue.ts: lease, lanes, crash recovery) claims such attempts, runs the
 * stored-recording checks and this feature writes the verdict ({@link recordVerdict}).
 */
import { type IInterviewAttempt, InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import { type CheckDeps, checkStoredObject, defineMediaCheck } from '../../kernel/media/checkQueue';
import { MIN_UPLOAD_BYTES, recordVerdict } from './service';

/**
 * Checks one claimed attempt and writes its verdict. Everything comes from the attempt row (key,
 * content type, answer): nothing from the request that queued it. Returns false when the
 * verdict was not written (this worker lost the lease, or the attempt was no longer waiting).
 */
export async function checkClaimedRecording(
  deps: CheckDeps,
  attemptId: number,
  workerId: string,
): Promise<boolean> {
  const em = deps.orm.em.fork();
  const row = await em.findOne(InterviewAttempt, {
    id: attemptId,
    status: 'checking',
    checkClaimedBy: workerId,
  });
  if (!row) return false;
  const { problem, report } = await checkStoredObject(deps, row.objectKey, row.contentType, {
    minBytes: MIN_UPLOAD_BYTES,
    maxBytes: deps.config.interview.uploadMaxBytes,
  });
  return recordVerdict(em, deps.config, {
    attemptId,
    workerId,
    now: deps.now?.() ?? new Date(),
    problem,
    report,
    storage: deps.storage,
  });
}

/** Interview attempts waiting for their media check: job `interview.media-check` and its steps. */
const attemptChecks = defineMediaCheck<IInterviewAttempt>('interview.media-check', {
  what: 'interview attempt',
  entity: InterviewAttempt,
  waiting: { status: 'checking' },
  check: checkClaimedRecording,
});

/**
 * Claims up to `limit` attempts waiting for their check (or whose check's lease expired) for
 * `workerId`, oldest first. Returns the claimed attempt ids.
 */
export const claimRecordingChecks = attemptChecks.claim;

/** Checks every waiting interview recording; returns the verdicts written. */
export const runMediaChecks = attemptChecks.run;

/** The job: wakes every `MEDIA_CHECK_POLL_MS` in each worker process (embedded: the one process). */
export const mediaCheckJob = attemptChecks.job;
