import { IsolationLevel } from '@mikro-orm/core';
import type { Em } from '../db/orm';
import { sqlDate, write } from '../db/tx';
import type { Logger } from '../logger';
import { claimDueOutbox, OUTBOX_INDEX } from '../outbox/claim';
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

/** The row's lease passed to another worker while this one handled it (rolls the handling back). */
class LostLease extends Error {}

/** Exponential backoff: 10 s, 20 s, 40 s ... capped at 30 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(30 * 60_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Claims this consumer's due event rows ({@link claimDueOutbox}: SKIP LOCKED / a re-checked UPDATE,
 * so any number of workers share the work and each row is handled once), runs the handler, and
 * marks each row sent (in the handler's transaction when it has one), or schedules a retry with
 * backoff, or marks it failed after `maxAttempts`.
 * Rows whose lease lapsed (a killed worker) are claimed again. Returns how many were handled.
 */
export async function consumeEvents<K extends EventType = EventType>(
  em: Em,
  opts: ConsumeOptions<K>,
): Promise<number> {
  const now = opts.now?.() ?? new Date();
  const leaseMs = opts.leaseMs ?? 60_000;
  const rows = await claimDueOutbox(em, {
    scope: 'channel = ? and recipient_id = ?',
    params: [EVENT_CHANNEL, opts.consumer],
    owner: opts.workerId,
    now,
    leaseUntil: new Date(now.getTime() + leaseMs),
    limit: opts.limit ?? 20,
    index: OUTBOX_INDEX.byConsumer,
  });
  const leaseUntil = now.getTime() + leaseMs;
  let handled = 0;
  for (const row of rows) {
    // Close to the end of our lease another worker may take the rest over: leave them to it
    // (the ORM claim re-read each row before handling it for the same reason).
    if ((opts.now?.() ?? new Date()).getTime() + 1000 > leaseUntil) break;
    // Marked sent only by the worker that still holds the lease (another may have taken the row
    // over after ours lapsed).
    const sent: [string, unknown[]] = [
      `update outbox set status = 'sent', sent_at = ?, attempts = ?, lease_owner = null, lease_until = null, last_error = null
       where id = ? and lease_owner = ?`,
      [sqlDate(em, opts.now?.() ?? new Date()), row.attempts + 1, row.id, opts.workerId],
    ];
    try {
      const event = row.payload as unknown as DomainEvent<K>;
      if (opts.transactional === false) {
        await opts.handle(event, em.fork());
        await write(em, sent[0], sent[1]);
      } else {
        // The mark commits with the handler's writes: a worker that dies after the handler
        // leaves the row due and nothing of its handling, never the one without the other.
        // If another worker took the row over meanwhile, the handling rolls back: it is theirs.
        await em.fork().transactional(
          async (tx) => {
            await opts.handle(event, tx);
            const r = await tx.execute<{ affectedRows: number }>(sent[0], sent[1], 'run');
            if (!Number(r.affectedRows)) throw new LostLease();
          },
          // READ COMMITTED, as the candidates' own stage moves run: under REPEATABLE READ a
          // handler's writes (stage moves and the analytics triggers they fire, outbox rows) kept
          // next-key locks to its commit, and a candidate's submit inserting into the same stage
          // index gap waited for them (BENCHMARKS.md, load: the lock census). No handler relies on
          // a snapshot: each writes through locking reads, compare-and-swap updates or unique keys.
          { isolationLevel: IsolationLevel.READ_COMMITTED },
        );
      }
      handled++;
    } catch (err) {
      if (err instanceof LostLease) continue;
      const attempts = row.attempts + 1;
      const give = err instanceof PermanentError || attempts >= (opts.maxAttempts ?? 8);
      const message = err instanceof Error ? err.message : String(err);
      opts.log?.warn(
        { consumer: opts.consumer, id: row.id, attempts, err: message, giveUp: give },
        'event handling failed',
      );
      await write(
        em,
        `update outbox set status = ?, attempts = ?, last_error = ?, due_at = ?, lease_owner = null, lease_until = null
         where id = ? and lease_owner = ?`,
        [
          give ? 'failed' : 'pending',
          attempts,
          message.slice(0, 2000),
          sqlDate(em, (opts.now?.() ?? new Date()).getTime() + backoffMs(attempts)),
          row.id,
          opts.workerId,
        ],
      );
    }
  }
  return handled;
}
