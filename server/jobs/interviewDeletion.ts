/**
 * The `interview-deletion` consumer of `interview.consent_withdrawn`: when a candidate withdraws
 * consent, their recordings are deleted from the object store (TRUST.md: withdrawal stops
 * processing and queues deletion) and an audit tombstone records what was removed. Retried with
 * backoff like every consumer; deleting a missing object is not an error, so a retry after a
 * partial run finishes the job.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import cron from 'node-cron';
import { audit } from '../audit';
import { InterviewAttempt } from '../db/entities/InterviewSession';
import type { Em, Orm } from '../db/orm';
import { consumeEvents, PermanentError } from '../events/consume';
import type { DomainEvent } from '../events/types';
import type { ObjectStore } from '../integrations/storage';
import { categoryLogger, type Logger } from '../logger';

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

/** Starts the consumer on the worker role (node-cron wakes it; the database decides who works). */
export function startInterviewDeletionWorker(d: {
  orm: Orm;
  storage: ObjectStore;
  logger: Logger;
}): () => Promise<void> {
  const log = categoryLogger(d.logger, 'storage');
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running: Promise<unknown> = Promise.resolve();
  const task = cron.schedule(
    '*/10 * * * * *',
    async () => {
      running = consumeEvents(d.orm.em.fork(), {
        consumer: INTERVIEW_DELETION_CONSUMER,
        workerId,
        log,
        handle: async (event, em) => {
          await deleteWithdrawnRecordings(event, em, d.storage);
        },
      }).catch((err) => log.error({ err: (err as Error).message }, 'interview deletion tick failed'));
      await running;
    },
    { noOverlap: true },
  );
  return async () => {
    await task.stop();
    await running;
  };
}
