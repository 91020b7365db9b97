import type { Em } from '../db/orm';
import { asTx, type Tx } from '../db/tx';
import { IN_TX_HANDLERS, SUBSCRIPTIONS } from './registry';
import type { DomainEvent } from './types';

/**
 * Hands the reads the in-transaction handlers of `type` will start with to `tx.prefetch`, for a
 * command that knows the event's data before it writes the row the event is about (so those
 * reads ride on that write's round trip). `data` needs the fields the handlers read by.
 */
export function prefetchHandlers(
  tx: Tx,
  event: Pick<DomainEvent, 'type' | 'data'>,
  registry: { inTx: typeof IN_TX_HANDLERS } = { inTx: IN_TX_HANDLERS },
): void {
  tx.prefetch(
    (registry.inTx[event.type] ?? []).flatMap((h) => h.reads?.(event as DomainEvent, tx.dialect) ?? []),
  );
}

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
  const handlers = registry.inTx[event.type] ?? [];
  tx.prefetch(handlers.flatMap((h) => h.reads?.(full, tx.dialect) ?? []));
  for (const handler of handlers) await handler(tx, full);
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
