/**
 * The `interview-deletion` consumer of `interview.consent_withdrawn`: when a candidate withdraws
 * consent, their recordings are deleted from the object store (TRUST.md: withdrawal stops
 * processing and queues deletion) and an audit tombstone records what was removed. Retried with
 * backoff like every consumer; deleting a missing object is not an error, so a retry after a
 * partial run finishes the job.
 */
import { audit } from '../../kernel/audit';
import { InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import type { Em, Orm } from '../../kernel/db/orm';
import { PermanentError } from '../../kernel/events/consume';
import type { DomainEvent } from '../../kernel/events/types';
import type { ObjectStore } from '../../kernel/integrations/storage';
import { startConsumerWorker } from '../../kernel/jobs/consumerWorker';
import type { Logger } from '../../kernel/logger';

/** Consumer name in `SUBSCRIPTIONS['interview.consent_withdrawn']`. */
export const INTERVIEW_DELETION_CONSUMER = 'interview-deletion';

/** Deletes the recordings named by one withdrawal event. */
export async function deleteWithdrawnRecordings(
  event: DomainEvent,
  em: Em,
  storage: ObjectStore,
): Promise<number> {
  const data = event.data as {
    applicationId?: number;
    sessionId?: number | null;
    deleteObjectKeys?: unknown;
  };
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

/** Starts the consumer on the worker role (every 10 s; the database decides who works). */
export function startInterviewDeletionWorker(d: {
  orm: Orm;
  storage: ObjectStore;
  logger: Logger;
}): () => Promise<void> {
  return startConsumerWorker({
    orm: d.orm,
    logger: d.logger,
    category: 'storage',
    consumer: INTERVIEW_DELETION_CONSUMER,
    handle: async (event, em) => {
      await deleteWithdrawnRecordings(event, em, d.storage);
    },
  });
}
