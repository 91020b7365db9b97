/**
 * Who reacts to which domain event, assembled at start-up from what the features declare
 * (`server/features/index.ts` lists the features; each feature's `index.ts` declares its
 * reactions and consumers). Nothing here imports a feature, and no feature imports this table.
 *
 * Two kinds of reaction:
 * - In-transaction handlers run inside the emitting command's transaction. Use them for
 *   effects that must commit or roll back with the change itself, e.g. scheduling or
 *   cancelling a booking's reminders (a cancelled booking must never leave a reminder behind).
 * - Asynchronous consumers get their own outbox row per event (channel `event`, recipient =
 *   consumer name) and process it later with retries (`consume.ts`, run by the job registry),
 *   e.g. scoring an interview or sending a chat message.
 *
 * Handlers get a {@link Tx}: booking events are emitted from plain-SQL transactions (the booking
 * hot path), so their handlers must work with `tx.all/run/enqueue/audit` only; handlers of
 * events that are only emitted from ORM transactions may use `requireEm(tx)`.
 *
 * The assembled registry and the process's dependencies are wired to the database handle
 * ({@link wireEvents}): `emit` is always called with a transaction of that database, so it finds
 * them there without module-level state, and two apps in one test process never mix.
 */
import type { Em, Orm } from '../db/orm';
import type { Tx } from '../db/tx';
import type { Deps } from '../deps';
import type { DomainEvent, EventType } from './types';

/** A handler run inside the emitting transaction. */
export interface InTxHandler<K extends EventType = EventType> {
  (tx: Tx, event: DomainEvent<K>, deps: Deps): Promise<void>;
  /**
   * The reads this handler starts with (SQL and parameters, exactly as it will call
   * `tx.all`): `emit` hands every handler's to `tx.prefetch`, so they share one round trip.
   */
  reads?: (event: DomainEvent<K>, dialect: Tx['dialect']) => Array<[string, readonly unknown[]]>;
}

/** In-transaction handlers by event type, as a feature declares them. */
export type InTxReactions = { [K in EventType]?: Array<InTxHandler<K>> };

/** What the registry needs to know of an asynchronous consumer: its name and its events. */
export interface Subscription {
  /** Unique consumer name (the outbox rows' recipient). */
  name: string;
  events: readonly EventType[];
}

/** The assembled table. */
export interface EventRegistry {
  inTx: { [K in EventType]?: Array<InTxHandler<K>> };
  /** Event type -> names of asynchronous consumers. */
  subscriptions: { [K in EventType]?: string[] };
}

/**
 * Merges the features' declarations into one table, in feature order (a feature listed first
 * has its in-transaction handlers run first). Refuses two consumers with one name: their outbox
 * rows would be indistinguishable.
 */
export function buildEventRegistry(
  parts: ReadonlyArray<{ reactions?: InTxReactions; consumers?: readonly Subscription[] }>,
): EventRegistry {
  const inTx: Record<string, InTxHandler[]> = {};
  const subscriptions: Record<string, string[]> = {};
  const names = new Set<string>();
  for (const part of parts) {
    for (const [type, handlers] of Object.entries(part.reactions ?? {})) {
      inTx[type] = [...(inTx[type] ?? []), ...((handlers ?? []) as InTxHandler[])];
    }
    for (const c of part.consumers ?? []) {
      if (names.has(c.name)) throw new Error(`two event consumers are named ${c.name}`);
      names.add(c.name);
      for (const type of c.events) subscriptions[type] = [...(subscriptions[type] ?? []), c.name];
    }
  }
  return { inTx, subscriptions } as EventRegistry;
}

/** The registry and dependencies `emit` uses for one database. */
export interface EventWiring {
  registry: EventRegistry;
  deps: Deps;
}

const WIRING = new WeakMap<object, EventWiring>();

/** Wires a database handle to its registry and the process's dependencies (at start-up). */
export function wireEvents(orm: Orm, wiring: EventWiring): void {
  WIRING.set(orm.em.getDriver(), wiring);
}

/** The wiring of the database `em` talks to; throws when the process never wired it. */
export function wiringOf(em: Em): EventWiring {
  const wiring = WIRING.get(em.getDriver());
  if (!wiring)
    throw new Error(
      'events are not wired to this database: start the process through startServer/createRuntime',
    );
  return wiring;
}
