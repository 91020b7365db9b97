import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Booking } from './Booking';

/**
 * The use of a no-show's one-time reschedule link. The link is a signed token bound to the
 * missed booking; the unique `booking` makes "used once" a database fact, so two taps racing
 * each other book at most once. Deleted again if the booking it was used for fails.
 */
export const RebookLinkUse = defineEntity({
  name: 'RebookLinkUse',
  tableName: 'rebook_link_uses',
  properties: {
    id: p.integer().primary(),
    /** The no-show booking the link was issued for. */
    booking: () => p.manyToOne(Booking).unique(),
    usedAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** RebookLinkUse row. */
export type IRebookLinkUse = InferEntity<typeof RebookLinkUse>;
