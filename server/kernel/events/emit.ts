import type { Em } from '../db/orm';
import { asTx, type Tx } from '../db/tx';
import { type EventWiring, wiringOf } from './registry';
import type { DomainEvent, EventMap, EventType } from './types';

/** Channel of outbox rows that carry domain events to asynchronous consumers. */
export const EVENT_CHANNEL = 'event';

/** The event `emit` takes: `at` is filled in when absent. */
export type EventInput<K extends EventType> = DomainEvent<K>;

/**
 * Hands the reads the in-transaction handlers of `type` will start with to `tx.prefetch`, for a
 * command that knows the event's data before it writes the row the event is about (so those
 * reads ride on that write's round trip). `data` needs the fields the handlers read by.
 */
export function prefetchHandlers<K extends EventType>(
  tx: Tx,
  event: { type: K; data: Partial<EventMap[K]> },
  wiring: EventWiring = wiringOf(tx.base),
): void {
  const handlers = wiring.registry.inTx[event.type] ?? [];
  tx.prefetch(handlers.flatMap((h) => h.reads?.(event as unknown as DomainEvent<K>, tx.dialect) ?? []));
}

/**
 * Publishes a domain event inside the caller's transaction (an ORM entity manager or a
 * plain-SQL {@link Tx}): runs the in-transaction handlers, then writes one outbox row per
 * asynchronous consumer. Everything commits or rolls back with the change that caused the
 * event, so an event is never lost and never announced for a change that did not happen.
 * Re-emitting the same `key` is a no-op for consumers.
 */
export async function emit<K extends EventType>(
  emOrTx: Em | Tx,
  event: EventInput<K>,
  wiring?: EventWiring,
): Promise<void> {
  const tx = asTx(emOrTx);
  const { registry, deps } = wiring ?? wiringOf(tx.base);
  const full = { ...event, at: event.at ?? new Date().toISOString() } as DomainEvent<K>;
  const handlers = registry.inTx[full.type as K] ?? [];
  tx.prefetch(handlers.flatMap((h) => h.reads?.(full, tx.dialect) ?? []));
  for (const handler of handlers) await handler(tx, full, deps);
  for (const consumer of registry.subscriptions[full.type] ?? []) {
    await tx.enqueue({
      key: `evt:${full.key}:${consumer}`,
      topic: full.type,
      aggregate: full.aggregate,
      recipient: { kind: 'system', id: consumer },
      channel: EVENT_CHANNEL,
      payload: full as unknown as Record<string, unknown>,
    });
  }
}
