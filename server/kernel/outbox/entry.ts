import type { RECIPIENT_KINDS } from '../db/entities/OutboxMessage';

/** One row to put in the outbox. */
export interface OutboxEntry {
  /** Unique per intended delivery; enqueueing the same key twice is a no-op. */
  key: string;
  topic: string;
  aggregate?: string | null;
  recipient: { kind: (typeof RECIPIENT_KINDS)[number]; id?: string | number | null };
  channel: string;
  payload: Record<string, unknown>;
  /** When to deliver; default now. */
  dueAt?: Date;
}
