import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A DingTalk event the server has processed, keyed so a duplicate (DingTalk redelivers, both
 * Stream and HTTP deliver, the reconciliation job finds the same outcome) is recognised. The row
 * is written in the same transaction as the change the event causes.
 */
export const InboundEvent = defineEntity({
  name: 'InboundEvent',
  tableName: 'inbound_events',
  properties: {
    id: p.integer().primary(),
    /** e.g. `bpms_instance_change:<processInstanceId>:finish`. */
    dedupeKey: p.string().length(191).unique(),
    eventType: p.string().length(64),
    /** DingTalk's eventId when it sent one. */
    eventId: p.string().length(100).nullable(),
    source: p.enum(['stream', 'http', 'reconcile', 'sandbox'] as const),
    payload: p.json<Record<string, unknown>>(),
    /** What the handler did (`applied`, `ignored: <why>`). */
    outcome: p.string().length(200),
    receivedAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** InboundEvent row. */
export type IInboundEvent = InferEntity<typeof InboundEvent>;
