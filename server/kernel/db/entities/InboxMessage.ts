import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Candidate } from './Candidate';

/**
 * A message to a candidate outside the organisation, shown in the mini-app's inbox (the bot
 * cannot reach people who are not members of the DingTalk org). Written by the delivery worker
 * from an outbox row; `outboxKey` is unique so a re-delivered row never shows twice.
 */
export const InboxMessage = defineEntity({
  name: 'InboxMessage',
  tableName: 'inbox_messages',
  indexes: [{ properties: ['candidate', 'createdAt'] }],
  properties: {
    id: p.integer().primary(),
    candidate: () => p.manyToOne(Candidate),
    outboxKey: p.string().length(191).unique(),
    topic: p.string().length(100),
    title: p.string().length(200),
    /** Markdown body as rendered for the candidate. */
    body: p.text(),
    /** Buttons: `{ title, url }` deep links into the mini-app. */
    buttons: p.json<Array<{ title: string; url: string }>>(),
    readAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Inbox message row. */
export type IInboxMessage = InferEntity<typeof InboxMessage>;
