/**
 * The media check of uploaded interview recordings, in the worker role (issue 18): the web
 * request that completes an upload only marks the attempt `checking`; this job claims such
 * attempts with a lease, runs the stored-recording checks (size, type, magic bytes, then ffmpeg)
 * and writes the verdict ({@link recordVerdict}). ffmpeg costs a few hundred ms of CPU per
 * recording, which no longer queues behind (or in front of) the web tier's API calls.
 *
 * Claims follow the kernel's rule (`claimDue`): `SELECT … FOR UPDATE SKIP LOCKED` plus a lease on
 * MySQL, an atomic UPDATE on SQLite, so two workers never check the same attempt at once, and an
 * attempt whose lease expired (its worker crashed mid-check) is claimed and checked again. The
 * verdict is written only by the lease holder (compare-and-swap on `checkClaimedBy`).
 */
import { InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import type { Deps } from '../../kernel/deps';
import { claimDue } from '../../kernel/jobs/claim';
import { defineJob } from '../../kernel/jobs/registry';
import { categoryLogger } from '../../kernel/logger';
import type { MediaReport } from '../../kernel/media/checks';
import {
  probeStoredRecording,
  type RecordingProblem,
  recordingProblemOf,
  screenStoredRecording,
} from '../../kernel/media/stored';
import { MIN_UPLOAD_BYTES, recordVerdict } from './service';

type CheckDeps = Pick<Deps, 'orm' | 'config' | 'storage' | 'logger' | 'now'>;

const nowOf = (deps: CheckDeps) => deps.now?.() ?? new Date();

/**
 * Claims up to `limit` attempts waiting for their check (or whose check's lease expired) for
 * `workerId`, oldest upload first. Returns the claimed attempt ids.
 */
export async function claimRecordingChecks(
  deps: CheckDeps,
  workerId: string,
  limit: number,
): Promise<number[]> {
  const now = nowOf(deps);
  return claimDue(deps.orm.em.fork(), InterviewAttempt, {
    where: {
      status: 'checking',
      $or: [{ checkLeaseUntil: null }, { checkLeaseUntil: { $lt: now } }],
    },
    claim: {
      checkClaimedBy: workerId,
      checkLeaseUntil: new Date(now.getTime() + deps.config.interview.mediaCheck.leaseMs),
    },
    limit,
    orderBy: { id: 'asc' },
  });
}

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
  let problem: RecordingProblem | null = null;
  let report: MediaReport | null = null;
  const info = await deps.storage.head(row.objectKey);
  // Gone since the upload was reported (consent withdrawn, retention): the candidate records again.
  if (!info) problem = recordingProblemOf('upload_missing', row.contentType);
  else
    problem = await screenStoredRecording(deps.storage, row.objectKey, row.contentType, info, {
      minBytes: MIN_UPLOAD_BYTES,
      maxBytes: deps.config.interview.uploadMaxBytes,
    });
  if (!problem) ({ report, problem } = await probeStoredRecording(deps.storage, row.objectKey));
  return recordVerdict(em, deps.config, {
    attemptId,
    workerId,
    now: nowOf(deps),
    problem,
    report,
    storage: deps.storage,
  });
}

/**
 * Checks every waiting recording: `concurrency` lanes (config), each claiming one attempt at a
 * time until none is left, so a long recording does not hold up the others. An idle wake costs
 * one claim query. A failed check is logged and left under its lease, so it is redone (here or
 * by another worker) once the lease expires. Returns how many verdicts were written.
 */
export async function runMediaChecks(deps: CheckDeps, workerId: string): Promise<number> {
  const { concurrency } = deps.config.interview.mediaCheck;
  const first = await claimRecordingChecks(deps, workerId, concurrency);
  if (!first.length) return 0;
  const log = categoryLogger(deps.logger, 'jobs');
  let written = 0;
  const lane = async (claimed: number | undefined) => {
    let id = claimed;
    while (id !== undefined) {
      try {
        if (await checkClaimedRecording(deps, id, workerId)) written++;
      } catch (err) {
        log.error(
          { attemptId: id, err: (err as Error).message },
          'media check failed; redone after its lease',
        );
      }
      [id] = await claimRecordingChecks(deps, workerId, 1);
    }
  };
  // Lanes without a first claim have nothing to do: the claim found fewer rows than lanes.
  await Promise.all(first.map((id) => lane(id)));
  return written;
}

/** The job: wakes every `MEDIA_CHECK_POLL_MS` in each worker process (embedded: the one process). */
export const mediaCheckJob = defineJob<string>({
  name: 'interview.media-check',
  role: 'worker',
  schedule: (config) => ({ everyMs: config.interview.mediaCheck.pollMs }),
  category: 'jobs',
  init: (_deps, id) => id,
  run: (deps, workerId) => runMediaChecks(deps, workerId),
});
