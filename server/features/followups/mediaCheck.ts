/**
 * The media check of follow-up recordings, in the worker role like the interview's answers
 * (issue 18 item 2): `complete` only marks the recording `checking`; the kernel's media-check
 * queue (kernel/media/checkQueue.ts: lease, lanes, a crashed worker's recording checked again)
 * claims it, checks the stored object, and the verdict is written here: a broken or silent
 * recording is deleted and the candidate records again; a good one is `verified` and handed to
 * transcription (`followup.recorded`) in the same transaction.
 */
import { audit } from '../../kernel/audit';
import { FollowUp, type IFollowUp } from '../../kernel/db/entities/FollowUp';
import { emit } from '../../kernel/events/emit';
import { type CheckDeps, checkStoredObject, defineMediaCheck } from '../../kernel/media/checkQueue';
import type { RecordingProblem } from '../../kernel/media/stored';
import { MIN_UPLOAD_BYTES } from '../interview';

/**
 * Media flags that make a recording unusable (sent back to record again). Stricter than an
 * interview answer, which is kept and routed to a person: a follow-up is one short answer the
 * candidate can simply record again, and a silent one would only come back as an empty transcript.
 */
const UNUSABLE = new Set(['corrupt', 'no_audio', 'mostly_silent']);

/**
 * Checks one claimed follow-up recording and writes its verdict, from the row alone (key, type).
 * Returns false when nothing was written: this worker lost the lease, or the recording is no
 * longer the one waiting (a new grant replaced it).
 */
export async function checkClaimedFollowUp(deps: CheckDeps, id: number, workerId: string): Promise<boolean> {
  const em = deps.orm.em.fork();
  const row = await em.findOne(
    FollowUp,
    { id, recordingStatus: 'checking', checkClaimedBy: workerId },
    { fields: ['objectKey', 'contentType'] },
  );
  if (!row?.objectKey) return false;
  const key = row.objectKey;
  const { problem: found, report } = await checkStoredObject(deps, key, row.contentType ?? '', {
    minBytes: MIN_UPLOAD_BYTES,
    maxBytes: deps.config.interview.uploadMaxBytes,
  });
  let problem: RecordingProblem | null = found;
  if (!problem && report?.flags.some((x) => UNUSABLE.has(x)))
    problem = { code: 'recording_broken', message: 'The recording has no sound; please record again' };
  const flags = report?.flags ?? [];
  // Only the lease holder, and only for the recording it checked.
  const mine = { id, recordingStatus: 'checking', checkClaimedBy: workerId, objectKey: key };
  const release = { checkClaimedBy: null, checkLeaseUntil: null };
  const verdict = await em.transactional(async (tx) => {
    const f = await tx.findOne(FollowUp, mine);
    if (!f) return null;
    if (f.status !== 'pending') {
      // Withdrawn (the plan's follow-ups switched off) while it waited: close it, nothing to transcribe.
      await tx.nativeUpdate(FollowUp, mine, {
        recordingStatus: 'failed',
        recordingError: 'attempt_closed',
        ...release,
      });
      return null;
    }
    if (problem) {
      const n = await tx.nativeUpdate(FollowUp, mine, {
        recordingStatus: 'failed',
        objectKey: null,
        recordingFlags: flags,
        recordingError: problem.code,
        ...release,
      });
      return n === 1 ? 'failed' : null;
    }
    const durationMs = report?.durationMs ?? null;
    const n = await tx.nativeUpdate(FollowUp, mine, {
      recordingStatus: 'verified',
      recordingFlags: flags,
      durationMs,
      recordingError: null,
      ...release,
    });
    if (n !== 1) return null;
    // The system (the worker) verified it; the candidate is named in the details and the event.
    audit(
      tx,
      null,
      'followup.recorded',
      { type: 'follow_up', id },
      { candidateId: f.candidateId, durationMs, flags },
    );
    await emit(tx, {
      type: 'followup.recorded',
      key: `followup-recorded:${id}:${key}`,
      aggregate: `application:${f.applicationId}`,
      actor: { kind: 'candidate', id: f.candidateId },
      data: { followUpId: id, sessionId: f.sessionId, candidateId: f.candidateId },
    });
    await tx.flush();
    return 'verified';
  });
  if (verdict === null) return false;
  // The unusable object is removed once the verdict is committed; the candidate records again.
  if (verdict === 'failed') await deps.storage.delete(key).catch(() => undefined);
  return true;
}

/**
 * Follow-up recordings waiting for their media check: the worker job (same schedule,
 * concurrency and lease as the interview's), and its claim and run steps (tests).
 */
export const followUpMediaCheck = defineMediaCheck<IFollowUp>('followups.media-check', {
  what: 'follow-up recording',
  entity: FollowUp,
  waiting: { recordingStatus: 'checking' },
  check: checkClaimedFollowUp,
});
