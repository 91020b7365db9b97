import { z } from 'zod';

/** Query of `GET /api/notifications/failures`. */
export const listFailuresQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** One undeliverable message as HR sees it. */
export interface DeliveryFailure {
  id: number;
  topic: string;
  channel: string;
  recipient: string;
  attempts: number;
  lastError: string | null;
  dueAt: string;
  createdAt: string;
}

/** One message in a candidate's inbox. */
export interface InboxItem {
  id: number;
  topic: string;
  title: string;
  body: string;
  buttons: Array<{ title: string; url: string }>;
  read: boolean;
  createdAt: string;
}

/** Response of `GET /api/notifications/failures`. */
export interface FailuresResponse {
  total: number;
  items: DeliveryFailure[];
}

/** Response of `GET /api/inbox`. */
export interface InboxResponse {
  items: InboxItem[];
  unread: number;
}
