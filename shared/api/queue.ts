/**
 * Contracts of HR's work queue (待办): everything waiting on a person, in one list with due
 * dates, and the actions taken on an item where it is.
 */
import { z } from 'zod';

/** Kinds of queue item. */
export const QUEUE_KINDS = [
  'explanation',
  'human_review',
  'report_review',
  'failed_message',
  'stale_approval',
  'accommodation',
] as const;
/** Queue item kind. */
export type QueueKind = (typeof QUEUE_KINDS)[number];

/** Names of each kind in both languages (a record: a new kind does not compile without names). */
export const QUEUE_KIND_LABELS: Record<QueueKind, { zh: string; en: string }> = {
  explanation: { zh: '候选人请求解释', en: 'Explanation requested' },
  human_review: { zh: '候选人请求人工复核', en: 'Human review requested' },
  report_review: { zh: '报告需人工评估', en: 'Report flagged for a person' },
  failed_message: { zh: '消息发送失败', en: 'Message failed' },
  stale_approval: { zh: '审批等待过久', en: 'Approval waiting too long' },
  accommodation: { zh: '便利安排申请', en: 'Accommodation request' },
};

/** What can be done with an item where it is. */
export type QueueAction = 'reply' | 'rescore' | 'retry' | 'close' | 'grant' | 'decline' | 'approval';

/** One item of the queue. `key` names it in actions (`task:12`, `message:7`, `approval:3`, `accommodation:5`). */
export interface QueueItem {
  key: string;
  kind: QueueKind;
  candidateId: number | null;
  candidateName: string | null;
  jobTitle: string | null;
  applicationId: number | null;
  /** The report to rescore (report kinds). */
  reportId: number | null;
  /** What the candidate wrote, the delivery error, the approval's kind, the accommodation asked. */
  detail: string;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  actions: QueueAction[];
}

/** Query of `GET /api/queue`. */
export const queueQuery = z.strictObject({
  kind: z.enum(QUEUE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Response of `GET /api/queue`: the page, the total, and counts per kind and by due date. */
export interface QueueResponse {
  total: number;
  counts: Record<QueueKind, number>;
  /** Items due within the next 24 hours (not yet overdue). */
  dueSoon: number;
  overdue: number;
  items: QueueItem[];
}

/** Body of `POST /api/queue/close`: the item and the note (to the candidate for their requests). */
export const closeQueueItemBody = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(/^(task|message|approval|accommodation):\d+$/, 'not a queue item key'),
  note: z.string().trim().min(1).max(1000),
});

/** Response of `POST /api/queue/close`. */
export interface CloseQueueItemResponse {
  key: string;
  closedAt: string;
  /** True when the candidate was told (their request was answered). */
  candidateNotified: boolean;
}
