import type { Em } from '../db/orm';
import type { DomainEvent } from './types';

/**
 * Who reacts to which domain event. Two kinds of reaction:
 *
 * - In-transaction handlers run inside the emitting command's transaction. Use them for
 *   effects that must commit or roll back with the change itself, e.g. scheduling or
 *   cancelling a booking's reminders (a cancelled booking must never leave a reminder behind).
 * - Asynchronous consumers get their own outbox row per event (channel `event`, recipient =
 *   consumer name) and process it later with retries (see `consume.ts`), e.g. scoring an
 *   interview or sending a chat message.
 *
 * Each feature adds its lines here; keep this file a plain table.
 */
export type InTxHandler = (em: Em, event: DomainEvent) => Promise<void>;

/** Event type -> handlers run in the emitting transaction. */
export const IN_TX_HANDLERS: Record<string, InTxHandler[]> = {};

/** Event type -> names of asynchronous consumers. */
export const SUBSCRIPTIONS: Record<string, string[]> = {};
