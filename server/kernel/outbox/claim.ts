/**
 * Claiming due outbox rows in plain SQL, and handing them back whole.
 *
 * The worker's two outbox loops (event consumers and message delivery) claim a few rows, read
 * them, and mark each one afterwards. Through the ORM that was a transaction of five statements
 * per claim (isolation, BEGIN, the locking read, the UPDATE, COMMIT), then a hydrated read of
 * every claimed row in a fresh entity manager: in a thousand-candidate run the worker's own
 * JavaScript spent about half its busy time inside MikroORM, mostly on these rows (BENCHMARKS.md,
 * load). Here the claim is three round trips on MySQL/MariaDB (isolation + BEGIN + the locking
 * read; the UPDATE with the read of the claimed rows riding along; COMMIT) and the rows come back
 * as plain objects.
 */

import type { IOutboxMessage } from '../db/entities/OutboxMessage';
import { placeholders } from '../db/raw';
import { retryOnDeadlock } from '../db/retry';
import { instantOf, inTransaction } from '../db/tx';
import type { Em } from '../db/types';

/** An outbox row as the claim returns it (the entity's fields, no entity behind it). */
export type OutboxRow = Pick<
  IOutboxMessage,
  | 'id'
  | 'idempotencyKey'
  | 'topic'
  | 'aggregate'
  | 'recipientKind'
  | 'recipientId'
  | 'channel'
  | 'payload'
  | 'dueAt'
  | 'status'
  | 'attempts'
  | 'lastError'
  | 'leaseOwner'
  | 'leaseUntil'
  | 'sentAt'
  | 'createdAt'
>;

/** What to claim: the due condition, and the lease to put on what is taken. */
export interface OutboxClaim {
  /**
   * SQL condition over `outbox` columns choosing due rows, with `?` parameters (Date values are
   * converted to the dialect's instants). It must leave out rows under a live lease: an expired
   * lease making a row due again is how a killed worker's rows are picked up.
   */
  where: string;
  params: readonly unknown[];
  /** This worker's id, recorded as the lease owner. */
  owner: string;
  leaseUntil: Date;
  limit: number;
  /**
   * MySQL/MariaDB: the index the locking read must walk (`force index`), one whose order is
   * `due_at` within the claim's equalities, so it stops at `limit` and locks only what it takes.
   * A planner free to choose read the message delivery's claim through the consumers' index
   * and sorted it, which locks every due row read (see {@link claimDueOutbox}).
   */
  index?: OutboxIndex;
}

/** The outbox indexes a claim may walk (names as the migrations create them). */
export const OUTBOX_INDEX = {
  /** `(status, due_at)`: any due row, oldest first. */
  byStatus: 'outbox_status_due_at_index',
  /** `(channel, recipient_id, status, due_at)`: one event consumer's rows, oldest first. */
  byConsumer: 'outbox_channel_recipient_id_status_due_at_index',
} as const;
/** One of {@link OUTBOX_INDEX}. */
export type OutboxIndex = (typeof OUTBOX_INDEX)[keyof typeof OUTBOX_INDEX];

const COLUMNS =
  'id, idempotency_key, topic, aggregate, recipient_kind, recipient_id, channel, payload, due_at, status, attempts, last_error, lease_owner, lease_until, sent_at, created_at';

/**
 * Claims up to `limit` rows matching `claim.where` (oldest due first) for `owner`, exactly once
 * across any number of processes, and returns them. Keep `where` to one status, so the read
 * follows the `(status, due_at)` index without a sort ({@link claimDueOutbox} says why). MySQL/MariaDB: `SELECT … FOR UPDATE SKIP LOCKED` at READ
 * COMMITTED (concurrent claimers skip each other's rows and take no gap locks; see
 * `jobs/claim.ts` for the deadlocks REPEATABLE READ caused), then one UPDATE of the taken ids.
 * SQLite has one writer at a time, so there the UPDATE re-checks the condition instead. A claim
 * the database picks as a deadlock victim runs again from its locking read (up to three times).
 */
export async function claimOutbox(em: Em, claim: OutboxClaim): Promise<OutboxRow[]> {
  return retryOnDeadlock(() =>
    inTransaction(
      em,
      async (tx) => {
        const params = claim.params.map((v) => (v instanceof Date ? tx.date(v) : v));
        const mysql = tx.dialect === 'mysql';
        const found = await tx.all<{ id: number | bigint }>(
          `select id from outbox${mysql && claim.index ? ` force index (${claim.index})` : ''} where ${claim.where} order by due_at limit ?${mysql ? ' for update skip locked' : ''}`,
          [...params, claim.limit],
        );
        if (!found.length) return [];
        const ids = found.map((r) => Number(r.id));
        const marks = placeholders(ids.length);
        const read: [string, unknown[]] = [
          `select ${COLUMNS} from outbox where id in (${marks}) and lease_owner = ? order by due_at, id`,
          [...ids, claim.owner],
        ];
        // The read rides on the UPDATE's round trip (it runs after it, so it sees the lease).
        tx.prefetch([read]);
        await tx.run(
          `update outbox set status = 'sending', lease_owner = ?, lease_until = ? where id in (${marks})${
            mysql ? '' : ` and (${claim.where})`
          }`,
          [claim.owner, tx.date(claim.leaseUntil), ...ids, ...(mysql ? [] : params)],
        );
        return (await tx.all<Record<string, unknown>>(read[0], read[1])).map(outboxRowOf);
      },
      { readCommitted: true },
    ),
  );
}

/** What {@link claimDueOutbox} claims: the rows of one scope that are due now. */
export interface DueClaim {
  /** SQL condition over `outbox` columns naming whose rows these are (a channel, a consumer). */
  scope: string;
  params: readonly unknown[];
  owner: string;
  now: Date;
  leaseUntil: Date;
  limit: number;
  /** The index both claims walk (see {@link OutboxClaim.index}). */
  index: OutboxIndex;
}

/**
 * Claims up to `limit` due rows of `claim.scope`: pending rows whose time has come, oldest
 * first, then (if that left room) rows whose lease lapsed, returned together in due order.
 *
 * Two claims rather than one `OR` on purpose. Each reads the `(status, due_at)` index in its
 * own order and stops at `limit`, so it locks only the rows it takes. One claim over both
 * status ranges `order by due_at` made MariaDB sort (filesort) and, at READ COMMITTED, keep
 * every due row it had read locked until its commit: one consumer's claim then made every other
 * consumer's and the message delivery's `SKIP LOCKED` claims come back empty, and every "sent"
 * mark of another row wait (BENCHMARKS.md, load: the lock census). A lapsed lease means a killed
 * worker, so the second claim is rare and small. An event consumer walks its own index
 * ({@link OUTBOX_INDEX}.byConsumer): through `(status, due_at)` every poll of a consumer with
 * nothing due read and briefly locked every due row of every other consumer and message.
 *
 * `claimOnce` is {@link claimOutbox} unless the caller wraps it (the delivery worker retries lock
 * timeouts).
 */
export async function claimDueOutbox(
  em: Em,
  claim: DueClaim,
  claimOnce: (em: Em, claim: OutboxClaim) => Promise<OutboxRow[]> = claimOutbox,
): Promise<OutboxRow[]> {
  const base = { owner: claim.owner, leaseUntil: claim.leaseUntil, index: claim.index };
  const rows = await claimOnce(em, {
    ...base,
    where: `${claim.scope} and status = 'pending' and due_at <= ?`,
    params: [...claim.params, claim.now],
    limit: claim.limit,
  });
  if (rows.length >= claim.limit) return rows;
  const lapsed = await claimOnce(em, {
    ...base,
    where: `${claim.scope} and status = 'sending' and lease_until < ?`,
    params: [...claim.params, claim.now],
    limit: claim.limit - rows.length,
  });
  if (!lapsed.length) return rows;
  return [...rows, ...lapsed].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/** A plain `outbox` row (either dialect's column values) as an {@link OutboxRow}. */
export function outboxRowOf(r: Record<string, unknown>): OutboxRow {
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(instantOf(v)));
  return {
    id: Number(r.id),
    idempotencyKey: String(r.idempotency_key),
    topic: String(r.topic),
    aggregate: (r.aggregate as string | null) ?? null,
    recipientKind: r.recipient_kind as OutboxRow['recipientKind'],
    recipientId: r.recipient_id === null || r.recipient_id === undefined ? null : String(r.recipient_id),
    channel: String(r.channel),
    // MariaDB's JSON is LONGTEXT and SQLite's is TEXT: both come back as a string.
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    dueAt: at(r.due_at) as Date,
    status: r.status as OutboxRow['status'],
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    leaseOwner: (r.lease_owner as string | null) ?? null,
    leaseUntil: at(r.lease_until),
    sentAt: at(r.sent_at),
    createdAt: at(r.created_at) as Date,
  };
}
