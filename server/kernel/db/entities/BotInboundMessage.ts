import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A chat message the robot received (Stream `TOPIC_ROBOT` or the HTTP outgoing callback).
 * `msgId` is unique: DingTalk redelivers, and both transports may carry the same message, so
 * the insert decides who answers; a duplicate is acknowledged and ignored.
 */
export const BotInboundMessage = defineEntity({
  name: 'BotInboundMessage',
  tableName: 'bot_inbound_messages',
  indexes: [{ properties: ['senderStaffId', 'receivedAt'] }],
  properties: {
    id: p.integer().primary(),
    msgId: p.string().length(128).unique(),
    senderStaffId: p.string().length(64).nullable(),
    conversationType: p.string().length(4),
    command: p.string().length(40),
    receivedAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Inbound bot message row. */
export type IBotInboundMessage = InferEntity<typeof BotInboundMessage>;
