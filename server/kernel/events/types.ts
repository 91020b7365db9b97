/**
 * A domain event: something that happened to an aggregate (a booking, an interview, an
 * application). The types and their data are the event map in `shared/events.ts`; `emit`,
 * handlers and consumers are checked against it.
 */
import type { EventMap, EventType } from '../../../shared/events';

export type { EventMap, EventType };

/** Who caused an event (null: the system). */
export type EventActor = { kind: 'employee' | 'candidate' | 'system'; id: number | null } | null;

/** One event of type `K`. */
export interface DomainEventOf<K extends EventType> {
  /** Dotted type, `<aggregate kind>.<what happened>`. */
  type: K;
  /**
   * Unique id of this occurrence, stable across retries of the same command (e.g.
   * `booking:12:rescheduled:3`). Consumers' outbox rows derive their idempotency keys from it.
   */
  key: string;
  /** The aggregate, e.g. `booking:12`. */
  aggregate: string;
  /** Who caused it. */
  actor: EventActor;
  /** Facts consumers need; ids rather than copies of personal data where possible. */
  data: EventMap[K];
  /** When it happened (ISO). Filled by `emit` when absent. */
  at?: string;
}

/**
 * An event of any of the types `K` (default: any type). A union, so `switch (event.type)`
 * narrows `event.data`.
 */
export type DomainEvent<K extends EventType = EventType> = { [T in K]: DomainEventOf<T> }[K];
