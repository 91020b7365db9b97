import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * HR closed an item of the work queue (待办) that has no state of its own to close (a message
 * that failed for good, an approval waiting too long). `itemKey` is the queue item's key
 * (`message:12`, `approval:3`); unique, so closing twice is one closure.
 */
export const QueueClosure = defineEntity({
  name: 'QueueClosure',
  tableName: 'queue_closures',
  properties: {
    id: p.integer().primary(),
    itemKey: p.string().length(80).unique(),
    note: p.string().length(1000),
    closedById: p.integer(),
    closedAt: p.datetime(3),
  },
});
/** Closure row. */
export type IQueueClosure = InferEntity<typeof QueueClosure>;
