/**
 * The `interview-deletion` consumer of `interview.consent_withdrawn`: when a candidate withdraws
 * consent, their recordings are deleted from the object store (TRUST.md: withdrawal stops
 * processing and queues deletion) and an audit tombstone records what was removed. Retried with
 * backoff like every consumer; deleting a missing object is not an error, so a retry after a
 * partial run finishes the job.
 */
import { audit } from '../../kernel/audit';
import { InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import type { Em } from '../../kernel/db/orm';
import { PermanentError } from '../../kernel/events/consume';
import type { DomainEvent } from '../../kernel/events/types';
import type { ObjectStore } from '../../kernel/integrations/storage';
import { defineConsumer } from '../../kernel/jobs/registry';

/** Name of the consumer. */
export const INTERVIEW_DELETION_CONSUMER = 'interview-deletion';

/** Deletes the recordings named by one withdrawal event. */
export async function deleteWithdrawnRecordings(
  event: DomainEvent<'interview.consent_withdrawn'>,
  em: Em,
  storage: ObjectStore,
): Promise<number> {
  const data = event.data;
  // Rows are JSON written by an older or newer process: check what deletion depends on.
  if (!Array.isArray(data.deleteObjectKeys))
    throw new PermanentError('interview.consent_withdrawn: no object keys');
  const keys = data.deleteObjectKeys.filter((k): k is string => typeof k === 'string');
  for (const key of keys) await storage.delete(key);
  if (data.sessionId) {
    // The rows stay (who answered what, when) but no longer point at media.
    await em.nativeUpdate(
      InterviewAttempt,
      { answer: { session: data.sessionId } },
      { status: 'rejected', rejectReason: 'deleted_on_withdrawal' },
    );
  }
  audit(
    em,
    null,
    'interview.recordings_deleted',
    { type: 'application', id: data.applicationId ?? null },
    {
      sessionId: data.sessionId ?? null,
      objects: keys.length,
      reason: 'consent_withdrawn',
    },
  );
  return keys.length;
}

/** The consumer, declared in the feature's index. */
export const recordingDeletionConsumer = defineConsumer({
  name: INTERVIEW_DELETION_CONSUMER,
  events: ['interview.consent_withdrawn'],
  category: 'storage',
  schedule: { everyMs: 10_000 },
  handle: async (event, em, deps) => {
    await deleteWithdrawnRecordings(event, em, deps.storage);
  },
});
