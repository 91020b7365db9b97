/**
 * Contracts of the hiring workflow: approval kinds and the bodies of its HTTP routes. The data
 * of the domain events it consumes and emits are in `shared/events.ts`.
 */
import { z } from 'zod';
import type { Stage } from '../stages';

/** Kinds of DingTalk approval the workflow starts. */
export const APPROVAL_KINDS = ['second_round', 'offer', 'accommodation'] as const;
/** Approval kind. */
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/**
 * What each approval kind is called, in both languages. A record over the closed set: a new
 * kind in {@link APPROVAL_KINDS} does not compile until it has its names (and its rules in
 * the workflow's `approvalKinds.ts`).
 */
export const APPROVAL_KIND_LABELS: Record<ApprovalKind, { zh: string; en: string }> = {
  second_round: { zh: '复试', en: 'second round' },
  offer: { zh: '录用', en: 'offer' },
  accommodation: { zh: '便利安排', en: 'accommodation' },
};

/** Offer terms HR enters when asking for offer approval. */
export const offerTerms = z.strictObject({
  salary: z.string().trim().min(1).max(100),
  level: z.string().trim().min(1).max(50),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
});
/** Offer terms. */
export type OfferTerms = z.infer<typeof offerTerms>;

/** Body of `POST /api/applications/:id/decisions`. `version` is the stage version the screen showed. */
export const decisionBody = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('advance'),
    version: z.number().int(),
    reason: z.string().trim().max(500).optional(),
  }),
  z.strictObject({
    action: z.literal('request_second_round'),
    version: z.number().int(),
    reason: z.string().trim().max(500).optional(),
  }),
  z.strictObject({
    action: z.literal('reject'),
    version: z.number().int(),
    reason: z.string().trim().min(1).max(500),
  }),
  z.strictObject({
    action: z.literal('complete_second_round'),
    version: z.number().int(),
    reason: z.string().trim().max(500).optional(),
  }),
  z.strictObject({ action: z.literal('request_offer'), version: z.number().int(), offer: offerTerms }),
  z.strictObject({ action: z.literal('hire'), version: z.number().int() }),
]);
/** A decision HR takes on an application. */
export type DecisionBody = z.infer<typeof decisionBody>;

/** Body of `POST /api/applications/:id/offer-answer` (the candidate). */
export const offerAnswerBody = z.strictObject({
  answer: z.enum(['accept', 'decline']),
  version: z.number().int(),
});

/** Body of `PUT /api/jobs/:id/rules`. */
export const jobRulesBody = z.strictObject({
  passThreshold: z.number().int().min(0).max(100),
  rejectThreshold: z.number().int().min(0).max(100),
  approverUserIds: z.array(z.string().min(1).max(64)).min(1).max(10),
  approvalMode: z.enum(['AND', 'OR']),
  ccUserIds: z.array(z.string().min(1).max(64)).max(20),
  /** The job's hiring-team DingTalk group (openConversationId); null = the configured group, absent = unchanged. */
  hiringGroupConversationId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9+/=_$-]+$/, 'not a DingTalk conversation id')
    .nullable()
    .optional(),
});

// ---- Responses of the pipeline routes. Checked against the server's presenters; read by the mini-app.

/** An approval's state. */
export type ApprovalStatusView = 'requested' | 'running' | 'agreed' | 'refused' | 'terminated' | 'failed';

/** A job with how many applications sit in each stage. */
export interface PipelineJob {
  id: number;
  title: string;
  status: 'open' | 'closed';
  counts: Partial<Record<Stage, number>>;
}

/** Response of `GET /api/pipeline/jobs`. */
export interface PipelineJobsResponse {
  items: PipelineJob[];
}

/** What the AI suggests for an application (people decide). */
export type Suggestion = 'pass' | 'review' | 'reject';

/** A pipeline card. */
export interface PipelineCard {
  id: number;
  candidateId: number;
  candidateName: string;
  jobId: number;
  stage: Stage;
  version: number;
  stageChangedAt: string;
  personOnly: boolean;
  overall: number | null;
  suggestion: Suggestion | null;
  suggestionReason: string | null;
  openApproval: { kind: ApprovalKind; status: ApprovalStatusView } | null;
}

/** Response of `GET /api/pipeline/jobs/:id`. */
export interface PipelineBoardResponse {
  job: { id: number; title: string };
  /** Applications per stage over the whole job (not only this page or filter). */
  counts: Record<string, number>;
  /** One page, most recently moved first. */
  items: PipelineCard[];
  /** The `offset` of the next page, or null on the last one. */
  nextOffset: number | null;
}

/** Response of `POST /api/accommodation-requests/:id/approval`. */
export interface ApprovalResponse {
  approval: ApprovalView;
}

/** An approval as HR sees it. */
export interface ApprovalView {
  id: number;
  kind: ApprovalKind;
  status: ApprovalStatusView;
  processInstanceId: string | null;
  approverUserIds: string[];
  approvalMode: 'AND' | 'OR';
  decidedByUserId: string | null;
  remark: string | null;
  lastError: string | null;
  offer: Record<string, string> | null;
  startedAt: string;
  decidedAt: string | null;
}

/** One stage change, from the audit log. */
export interface StageChange {
  at: string;
  from: Stage | null;
  to: Stage | null;
  transition: string | null;
  by: 'system' | 'hr' | 'approver' | 'candidate' | null;
  actorKind: 'employee' | 'candidate' | 'system';
  actorId: number | null;
  /** DingTalk userid of the approver, when an approval moved it. */
  approver: string | null;
  reason: string;
}

/**
 * The scoring report summary the review keeps (the `report.ready` event's data, see
 * `shared/events.ts`; named here field by field so this module does not import the event map).
 */
export interface ReviewReport {
  reportId: number;
  overall: number;
  strengths: string[];
  gaps: Array<{ competency: string; text: string; suggestion: string }>;
  flags: string[];
  recommendation: string;
}

/** The part of an application everyone allowed to read it sees. */
export interface ApplicationBase {
  id: number;
  stage: Stage;
  version: number;
  stageChangedAt: string;
  candidate: { id: number; name: string };
  job: { id: number; title: string };
  /** Transitions the reader may take now (the buttons a screen shows). */
  actions: string[];
}

/** The application as employees see it (HR gets `actions`, others an empty list). */
export interface ApplicationDetail extends ApplicationBase {
  personOnly: boolean;
  review: {
    overall: number | null;
    suggestion: Suggestion;
    reason: string;
    remark: string | null;
    report: ReviewReport | null;
  } | null;
  approvals: ApprovalView[];
  history: StageChange[];
}

/** Response of `GET /api/applications/:id`: the candidate's own view lacks the review parts. */
export interface ApplicationResponse {
  application: ApplicationBase | ApplicationDetail;
}

/** Response of a decision or an offer answer: where the application is now. */
export interface StageResponse {
  stage: Stage;
  version: number;
}

/** The candidate's own application. */
export interface MyApplicationView {
  id: number;
  jobTitle: string;
  stage: Stage;
  version: number;
  /** Offer terms, once the offer was approved and sent. */
  offer: Record<string, string> | null;
}

/** Response of `GET /api/my/applications`. */
export interface MyApplicationsResponse {
  items: MyApplicationView[];
}
