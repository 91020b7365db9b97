import type { Em } from '../db/orm';
import { asTx, type Tx } from '../db/tx';
import { IN_TX_HANDLERS, SUBSCRIPTIONS } from './registry';
import type { DomainEvent } from './types';

/** Channel of outbox rows that carry domain events to asynchronous consumers. */
export const EVENT_CHANNEL = 'event';

/**
 * Publishes a domain event inside the caller's transaction (an ORM entity manager or a
 * plain-SQL {@link Tx}): runs the in-transaction handlers, then writes one outbox row per
 * asynchronous consumer. Everything commits or rolls back with the change that caused the
 * event, so an event is never lost and never announced for a change that did not happen.
 * Re-emitting the same `key` is a no-op for consumers.
 */
export async function emit(
  emOrTx: Em | Tx,
  event: DomainEvent,
  registry: { inTx: typeof IN_TX_HANDLERS; subscriptions: typeof SUBSCRIPTIONS } = {
    inTx: IN_TX_HANDLERS,
    subscriptions: SUBSCRIPTIONS,
  },
): Promise<void> {
  const tx = asTx(emOrTx);
  const full: DomainEvent = { ...event, at: event.at ?? new Date().toISOString() };
  for (const handler of registry.inTx[event.type] ?? []) await handler(tx, full);
  for (const consumer of registry.subscriptions[event.type] ?? []) {
    await tx.enqueue({
      key: `evt:${event.key}:${consumer}`,
      topic: event.type,
      aggregate: event.aggregate,
      recipient: { kind: 'system', id: consumer },
      channel: EVENT_CHANNEL,
      payload: full as unknown as Record<string, unknown>,
    });
  }
}
