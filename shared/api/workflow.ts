/**
 * Contracts of the hiring workflow: the data of the domain events it consumes and emits
 * (other features import these schemas to emit exactly this shape) and the bodies of its
 * HTTP routes.
 */
import { z } from 'zod';
import { STAGES } from '../stages';

/** `booking.created|cancelled|no_show|rescheduled|completed` data (emitted by the booking feature). */
export const bookingEventData = z.object({
  bookingId: z.number().int(),
  applicationId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  kind: z.enum(['ai_interview', 'second_round']),
  interviewerId: z.number().int().nullable(),
  startAt: z.string(),
  endAt: z.string(),
  timezone: z.string(),
  reason: z.string().optional(),
});
/** Booking event data. */
export type BookingEventData = z.infer<typeof bookingEventData>;

/** `interview.submitted` data (emitted by the interview feature). */
export const interviewSubmittedData = z.object({
  applicationId: z.number().int(),
  sessionId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
});

/** One competency of a report. */
export const reportCompetency = z.object({
  name: z.string(),
  score: z.number().min(0).max(100),
  evidence: z.array(z.string()),
});

/** `report.ready` data (emitted by the scoring feature). */
export const reportReadyData = z.object({
  applicationId: z.number().int(),
  reportId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  overall: z.number().min(0).max(100),
  competencies: z.array(reportCompetency),
  strengths: z.array(z.string()),
  gaps: z.array(z.object({ competency: z.string(), text: z.string(), suggestion: z.string() })),
  /** Quality flags (e.g. `low_audio`, `possible_assistance`); any flag sends the report to review. */
  flags: z.array(z.string()),
  recommendation: z.string(),
  reportUrl: z.string(),
});
/** Report summary as the workflow receives it. */
export type ReportReadyData = z.infer<typeof reportReadyData>;

/** Kinds of DingTalk approval the workflow starts. */
export const APPROVAL_KINDS = ['second_round', 'offer'] as const;
/** Approval kind. */
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** `approval.started` / `approval.decided` data. */
export const approvalEventData = z.object({
  applicationId: z.number().int(),
  approvalId: z.number().int(),
  kind: z.enum(APPROVAL_KINDS),
  approverUserIds: z.array(z.string()),
  result: z.enum(['agree', 'refuse', 'terminated']).optional(),
  remark: z.string().optional(),
});

/** `application.stage_changed` data. */
export const stageChangedData = z.object({
  applicationId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  from: z.enum(STAGES),
  to: z.enum(STAGES),
  reason: z.string(),
});

/** `application.rejected` data: what the candidate is told. */
export const rejectedData = z.object({
  applicationId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  feedback: z.string(),
});

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
