/**
 * The one way DingTalk's events come in, whichever way they arrive (Stream, HTTP callback,
 * reconciliation by polling). Each event is recorded under a dedupe key in the same transaction
 * as the change it causes, so a duplicate (redelivery, both channels, polling) changes nothing,
 * and a crash before commit leaves nothing behind for the redelivery to trip over. Features
 * declare the handlers for the event types they understand (approvals, address book, ...).
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Config } from '../config';
import { InboundEvent } from '../db/entities/InboundEvent';
import type { Em, Orm } from '../db/orm';
import type { DingTalk } from '../integrations/dingtalk';
import type { Logger } from '../logger';

/** An event as received, normalised from either channel. */
export interface InboundDingTalkEvent {
  eventType: string;
  eventId: string | null;
  /** The flat event fields (`processInstanceId`, `type`, `result`, `staffId`, ...). */
  data: Record<string, unknown>;
  source: 'stream' | 'http' | 'reconcile' | 'sandbox';
}

/** What became of an event. */
export type InboundOutcome = 'applied' | 'recorded' | 'duplicate' | 'ignored';

/** A feature's handler for some DingTalk event types. */
export interface InboundEventHandler {
  /** The event types it takes (e.g. `bpms_instance_change`). */
  eventTypes: readonly string[];
  /**
   * The key under which an occurrence is recorded once. Default `<eventType>:<eventId>`; a
   * handler gives its own when the same fact can arrive with different ids (e.g. the same
   * approval result by Stream and by polling).
   */
  dedupeKey?(e: InboundDingTalkEvent): string | null;
  /**
   * Optional: reads what the event only hints at from DingTalk itself (e.g. the approval
   * instance) before the recording transaction opens, so no row lock is held across a network
   * call. Its result reaches {@link apply} as `facts`. Throw to have the event redelivered.
   */
  prepare?(e: InboundDingTalkEvent, deps: InboundDeps): Promise<unknown>;
  /** Applies the event inside the recording transaction; throw to have it redelivered. */
  apply(
    em: Em,
    e: InboundDingTalkEvent,
    deps: InboundDeps,
    facts?: unknown,
  ): Promise<{ result: InboundOutcome; detail: string }>;
}

/** What inbound handlers may use: settings, the logger and the DingTalk clients (to read the truth). */
export interface InboundDeps {
  config: Config;
  logger: Logger;
  dingtalk: DingTalk;
}

/** Options of {@link InboundDispatcher}. */
export interface InboundOptions {
  orm: Orm;
  handlers: readonly InboundEventHandler[];
  deps: InboundDeps;
  log?: Logger;
}

/** Handles DingTalk events; one instance per process (in the process's dependencies). */
export class InboundDispatcher {
  /** Test seam: runs inside the transaction just before commit (throw to simulate a crash). */
  beforeCommit: ((event: InboundDingTalkEvent) => void | Promise<void>) | undefined;
  private readonly byType = new Map<string, InboundEventHandler>();

  constructor(private readonly opts: InboundOptions) {
    for (const h of opts.handlers)
      for (const t of h.eventTypes) {
        if (this.byType.has(t)) throw new Error(`two handlers for DingTalk event ${t}`);
        this.byType.set(t, h);
      }
  }

  /** The key an event is recorded under, or null when nobody handles it. */
  dedupeKey(e: InboundDingTalkEvent): string | null {
    const handler = this.byType.get(e.eventType);
    if (!handler) return null;
    if (handler.dedupeKey) return handler.dedupeKey(e);
    return e.eventId ? `${e.eventType}:${e.eventId}` : null;
  }

  /**
   * Handles one event. Resolves once the event and its effects are committed (or recognised as
   * a duplicate); rejects when nothing was committed, so the caller must not ack.
   */
  async handle(event: InboundDingTalkEvent): Promise<InboundOutcome> {
    const handler = this.byType.get(event.eventType);
    const key = this.dedupeKey(event);
    if (!handler || !key) return 'ignored';
    const em = this.opts.orm.em.fork();
    if (await em.findOne(InboundEvent, { dedupeKey: key })) return 'duplicate';
    const facts = handler.prepare ? await handler.prepare(event, this.opts.deps) : undefined;
    try {
      return await em.transactional(async (tx) => {
        const row = tx.create(InboundEvent, {
          dedupeKey: key,
          eventType: event.eventType,
          eventId: event.eventId,
          source: event.source,
          payload: event.data,
          outcome: 'pending',
        });
        // Claim the key first: a concurrent duplicate blocks here and then fails on the unique index.
        await tx.flush();
        const outcome = await handler.apply(tx, event, this.opts.deps, facts);
        row.outcome = outcome.detail.slice(0, 200);
        await this.beforeCommit?.(event);
        return outcome.result;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return 'duplicate';
      throw err;
    }
  }
}
