import { OutboxMessage } from '../db/entities/OutboxMessage';
import type { Em } from '../db/orm';
import { claimDue } from '../jobs/claim';
import type { Logger } from '../logger';
import { EVENT_CHANNEL } from './emit';
import type { DomainEvent, EventType } from './types';

/**
 * Options of {@link consumeEvents}. `K` is the event types the consumer subscribes to (its
 * rows carry only those).
 */
export interface ConsumeOptions<K extends EventType = EventType> {
  /** The consumer's name (its subscriptions in the event registry). */
  consumer: string;
  /** Unique id of this worker (host:pid:random); recorded as the lease owner. */
  workerId: string;
  /** Handles one event. Throw to retry later; throw {@link PermanentError} to give up now. */
  handle: (event: DomainEvent<K>, em: Em) => Promise<void>;
  limit?: number;
  /** How long a claim is held before another worker may take the row over. */
  leaseMs?: number;
  /** Attempts before a row is marked failed (visible to HR). */
  maxAttempts?: number;
  now?: () => Date;
  log?: Logger;
  /**
   * Run the handler inside one transaction (default). Handlers that do slow outside work
   * (e.g. speech-to-text) pass false and open their own short transactions: on SQLite an open
   * transaction holds the only connection, so their writes would otherwise wait on themselves.
   */
  transactional?: boolean;
}

/** An error that retrying cannot fix; the row is marked failed at once. */
export class PermanentError extends Error {}

/** Exponential backoff: 10 s, 20 s, 40 s ... capped at 30 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(30 * 60_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Claims this consumer's due event rows (SKIP LOCKED / atomic UPDATE, so any number of
 * workers share the work and each row is handled once), runs the handler, and marks each row
 * sent, or schedules a retry with backoff, or marks it failed after `maxAttempts`.
 * Rows whose lease lapsed (a killed worker) are claimed again. Returns how many were handled.
 */
export async function consumeEvents<K extends EventType = EventType>(
  em: Em,
  opts: ConsumeOptions<K>,
): Promise<number> {
  const now = opts.now?.() ?? new Date();
  const leaseMs = opts.leaseMs ?? 60_000;
  const ids = await claimDue(em.fork(), OutboxMessage, {
    where: {
      channel: EVENT_CHANNEL,
      recipientId: opts.consumer,
      $or: [
        { status: 'pending', dueAt: { $lte: now } },
        { status: 'sending', leaseUntil: { $lt: now } },
      ],
    },
    claim: { status: 'sending', leaseOwner: opts.workerId, leaseUntil: new Date(now.getTime() + leaseMs) },
    limit: opts.limit ?? 20,
    orderBy: { dueAt: 'asc' },
  });
  let handled = 0;
  for (const id of ids) {
    const fork = em.fork();
    const row = await fork.findOneOrFail(OutboxMessage, { id });
    // Another worker took the row over after our lease lapsed: leave it to them.
    if (row.leaseOwner !== opts.workerId) continue;
    try {
      const event = row.payload as unknown as DomainEvent<K>;
      if (opts.transactional === false) await opts.handle(event, em.fork());
      else await fork.transactional(async (tx) => opts.handle(event, tx));
      await fork.nativeUpdate(
        OutboxMessage,
        { id, leaseOwner: opts.workerId },
        {
          status: 'sent',
          sentAt: opts.now?.() ?? new Date(),
          attempts: row.attempts + 1,
          leaseOwner: null,
          leaseUntil: null,
          lastError: null,
        },
      );
      handled++;
    } catch (err) {
      const attempts = row.attempts + 1;
      const give = err instanceof PermanentError || attempts >= (opts.maxAttempts ?? 8);
      const message = err instanceof Error ? err.message : String(err);
      opts.log?.warn(
        { consumer: opts.consumer, id, attempts, err: message, giveUp: give },
        'event handling failed',
      );
      await fork.nativeUpdate(
        OutboxMessage,
        { id, leaseOwner: opts.workerId },
        {
          status: give ? 'failed' : 'pending',
          attempts,
          lastError: message.slice(0, 2000),
          dueAt: new Date((opts.now?.() ?? new Date()).getTime() + backoffMs(attempts)),
          leaseOwner: null,
          leaseUntil: null,
        },
      );
    }
  }
  return handled;
}
