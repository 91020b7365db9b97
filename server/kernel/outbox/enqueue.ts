import type { EntityManager } from '@mikro-orm/core';
import { type IOutboxMessage, OutboxMessage } from '../db/entities/OutboxMessage';
import { isTx, type Tx } from '../db/types';
import type { OutboxEntry } from './entry';

export type { OutboxEntry } from './entry';

/** The entity properties of an outbox entry (both write paths build rows from this). */
export function outboxRow(entry: OutboxEntry) {
  return {
    idempotencyKey: entry.key,
    topic: entry.topic,
    aggregate: entry.aggregate ?? null,
    recipientKind: entry.recipient.kind,
    recipientId:
      entry.recipient.id === undefined || entry.recipient.id === null ? null : String(entry.recipient.id),
    channel: entry.channel,
    payload: entry.payload,
    dueAt: entry.dueAt ?? new Date(),
  };
}

/** The `outbox` columns a new row is written with, in the order of {@link outboxValues}. */
export const OUTBOX_COLUMNS = [
  'idempotency_key',
  'topic',
  'aggregate',
  'recipient_kind',
  'recipient_id',
  'channel',
  'payload',
  'due_at',
  'status',
  'attempts',
  'created_at',
] as const;

/**
 * A new row's values for plain SQL, in {@link OUTBOX_COLUMNS} order; `date` writes an instant
 * as the dialect stores it.
 */
export function outboxValues(entry: OutboxEntry, date: (v: Date | number) => string | number): unknown[] {
  const r = outboxRow(entry);
  return [
    r.idempotencyKey,
    r.topic,
    r.aggregate,
    r.recipientKind,
    r.recipientId,
    r.channel,
    JSON.stringify(r.payload),
    date(r.dueAt),
    'pending',
    0,
    date(Date.now()),
  ];
}

/**
 * Adds a row to the caller's unit of work, so it commits with the change that caused it.
 * Idempotent by key: if a row with this key exists (a retried command), nothing is added and
 * the existing row is returned. (`Tx.enqueue` is the same for plain-SQL transactions.)
 */
export async function enqueue(em: EntityManager, entry: OutboxEntry): Promise<IOutboxMessage> {
  const existing = await em.findOne(OutboxMessage, { idempotencyKey: entry.key });
  if (existing) return existing;
  return em.create(OutboxMessage, outboxRow(entry));
}

/**
 * Cancels the pending rows of an aggregate (e.g. the reminders of a booking that was
 * cancelled), optionally only those whose topic starts with `topicPrefix`. Runs in the
 * caller's transaction. Returns how many rows were cancelled.
 */
export async function cancelPending(
  em: EntityManager | Tx,
  aggregate: string,
  topicPrefix?: string,
): Promise<number> {
  if (isTx(em)) {
    const r = await em.run(
      `update outbox set status = 'cancelled', lease_owner = null, lease_until = null
       where aggregate = ? and status = 'pending'${topicPrefix ? ' and topic like ?' : ''}`,
      topicPrefix ? [aggregate, `${topicPrefix}%`] : [aggregate],
    );
    return r.affectedRows;
  }
  const where: Record<string, unknown> = { aggregate, status: 'pending' };
  if (topicPrefix) where.topic = { $like: `${topicPrefix}%` };
  return em.nativeUpdate(OutboxMessage, where, { status: 'cancelled', leaseOwner: null, leaseUntil: null });
}
