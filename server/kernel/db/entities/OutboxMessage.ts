import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** Delivery state of an outbox row. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
/** Delivery state of an outbox row. */
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Who an outbox row is for. `system` rows are domain events consumed by the server itself. */
export const RECIPIENT_KINDS = ['employee', 'candidate', 'group', 'webhook', 'system'] as const;

/**
 * The transactional outbox: every message and domain event is a row written in the same
 * transaction as the change that causes it, with a unique idempotency key (e.g.
 * `booking:123:reminder:24h`) so a retried command never enqueues twice. Workers claim due
 * rows with a lease (see `jobs/claim.ts`), deliver, and mark them sent or retry with backoff.
 */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox',
  indexes: [
    { properties: ['status', 'dueAt'] },
    // An event consumer's claim (channel 'event', recipient = the consumer) reads its own due rows
    // only, in due order, instead of walking every due row of every consumer and message.
    { properties: ['channel', 'recipientId', 'status', 'dueAt'] },
    { properties: ['aggregate'] },
  ],
  properties: {
    id: p.integer().primary(),
    idempotencyKey: p.string().length(191).unique(),
    /** What happened or what to say: e.g. `booking.confirmed`, `reminder.24h`, `approval.nudge`. */
    topic: p.string().length(100),
    /** The object this row is about, e.g. `booking:123`; lets a reschedule cancel its reminders. */
    aggregate: p.string().length(100).nullable(),
    recipientKind: p.enum(RECIPIENT_KINDS),
    /** Employee/candidate id, group conversation id, webhook name; null for system events. */
    recipientId: p.string().length(100).nullable(),
    /** Delivery channel chosen at enqueue time (robot_oto, work_notice, group, webhook, inbox, event). */
    channel: p.string().length(40),
    payload: p.json<Record<string, unknown>>(),
    dueAt: p.datetime(3),
    status: p.enum(OUTBOX_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    leaseOwner: p.string().length(100).nullable(),
    leaseUntil: p.datetime(3).nullable(),
    sentAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Outbox row. */
export type IOutboxMessage = InferEntity<typeof OutboxMessage>;
