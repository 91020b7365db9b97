/**
 * Contracts of the hiring workflow: approval kinds and the bodies of its HTTP routes. The data
 * of the domain events it consumes and emits are in `shared/events.ts`.
 */
import { z } from 'zod';

/** Kinds of DingTalk approval the workflow starts. */
export const APPROVAL_KINDS = ['second_round', 'offer'] as const;
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
