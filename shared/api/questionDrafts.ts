/**
 * Questions from the job (面试题生成): HR picks competencies, the server proposes behavioural
 * and situational questions as drafts, HR edits them and approves each into the question bank
 * or discards it. Request schemas (zod, shared by the server's validation and the mini-app's
 * forms) and response types.
 */
import { z } from 'zod';
import type { BankQuestionView } from './jobs';

/** Behavioural (past experience, STAR) or situational (hypothetical scenario). */
export const DRAFT_KINDS = ['behavioural', 'situational'] as const;
/** A draft's kind. */
export type DraftKind = (typeof DRAFT_KINDS)[number];
/** proposed (waiting for HR), approved (in the bank), discarded. */
export const DRAFT_STATUSES = ['proposed', 'approved', 'discarded'] as const;
/** A draft's status. */
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

const competencyNames = z.array(z.string().trim().min(1).max(50)).min(1).max(6);

/** Body of `POST /api/jobs/:id/question-drafts`: generate drafts for these competencies. */
export const generateDraftsBody = z.strictObject({
  competencies: competencyNames.refine((a) => new Set(a).size === a.length, 'a competency is named twice'),
  /** Questions of each kind per competency. */
  perKind: z.number().int().min(1).max(3).default(1),
  /** Absent: the job description's own language. */
  language: z.enum(['zh', 'en']).optional(),
});
/** Generate body. */
export type GenerateDraftsBody = z.input<typeof generateDraftsBody>;

/** Body of `PUT /api/question-drafts/:id`: HR's edit of a proposed draft. */
export const editDraftBody = z.strictObject({
  kind: z.enum(DRAFT_KINDS),
  text: z.string().trim().min(5).max(2000),
  referenceAnswers: z.array(z.string().trim().min(1).max(2000)).min(1).max(5),
  competencies: competencyNames,
});
/** Edit body. */
export type EditDraftBody = z.infer<typeof editDraftBody>;

/** Query of `GET /api/jobs/:id/question-drafts`. */
export const draftListQuery = z.strictObject({ status: z.enum(DRAFT_STATUSES).optional() });

/** A draft as HR sees it. */
export interface QuestionDraftView {
  id: number;
  jobId: number;
  /** Drafts proposed together share it. */
  batch: string;
  kind: DraftKind;
  text: string;
  referenceAnswers: string[];
  competencies: string[];
  /** The indicators the question was written to draw out. */
  indicators: string[];
  language: 'zh' | 'en';
  /** Who wrote it: rules (规则) or the LLM (大模型). */
  source: 'rules' | 'llm';
  status: DraftStatus;
  edited: boolean;
  /** The LLM attempt of its run, without the messages: model, prompt version, why not used. */
  llm: { promptVersion: string; model: string; discarded: string | null } | null;
  /** The bank question it became (approved drafts). */
  bankQuestion: { id: number; key: string; version: number } | null;
  createdAt: string;
  decidedAt: string | null;
}

/** Response of `POST /api/jobs/:id/question-drafts`. */
export interface GenerateDraftsResponse {
  source: 'rules' | 'llm';
  language: 'zh' | 'en';
  /** An LLM was asked but its output was not used: why (the rules' drafts are shown instead). */
  fallbackReason: string | null;
  items: QuestionDraftView[];
}

/** Response of `GET /api/jobs/:id/question-drafts`. */
export interface DraftListResponse {
  items: QuestionDraftView[];
}

/** Response of `PUT /api/question-drafts/:id` and `POST /api/question-drafts/:id/discard`. */
export interface DraftResponse {
  draft: QuestionDraftView;
}

/** Response of `POST /api/question-drafts/:id/approve`. */
export interface ApproveDraftResponse {
  draft: QuestionDraftView;
  question: BankQuestionView;
}
