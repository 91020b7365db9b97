import type { DeliveryFailure, InboxItem } from '../../../shared/api/notifications';
import type { IInboxMessage } from '../../kernel/db/entities/InboxMessage';
import type { IOutboxMessage } from '../../kernel/db/entities/OutboxMessage';

/** A failed outbox row for HR: where it was going and why it failed, not the message body. */
export function presentFailure(r: IOutboxMessage): DeliveryFailure {
  return {
    id: r.id,
    topic: r.topic,
    channel: r.channel,
    recipient: `${r.recipientKind}:${r.recipientId ?? ''}`,
    attempts: r.attempts,
    lastError: r.lastError ?? null,
    dueAt: r.dueAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

/** An inbox message for its candidate. */
export function presentInbox(m: IInboxMessage): InboxItem {
  return {
    id: m.id,
    topic: m.topic,
    title: m.title,
    body: m.body,
    buttons: m.buttons,
    read: m.readAt !== null && m.readAt !== undefined,
    createdAt: m.createdAt.toISOString(),
  };
}
