import { z } from 'zod';
import { VERDICT_WAIT_MAX_MS } from '../../../shared/api/interview';

/** Query of `GET /api/interview`. */
export const overviewQuery = z.strictObject({ locale: z.enum(['zh-CN', 'en']).optional() });

/** Body of `POST /api/interview/consent`: the two consents are separate, unticked choices. */
export const consentBody = z.strictObject({
  noticeHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the notice hash you were shown'),
  locale: z.enum(['zh-CN', 'en']),
  videoProcessing: z.boolean(),
  aiEvaluation: z.boolean(),
  personOnly: z.boolean(),
});
/** Consent body. */
export type ConsentBody = z.infer<typeof consentBody>;

/** Body of `POST /api/interview/start`. */
export const startBody = z.strictObject({
  audioOnly: z.boolean().optional(),
  recorderMime: z
    .string()
    .max(100)
    .regex(/^[a-z]+\/[a-z0-9.+-]+(;[a-z0-9=.,\s"-]*)?$/i, 'must be a MIME type')
    .optional(),
});
/** Start body. */
export type StartBody = z.infer<typeof startBody>;

/** Route params with an answer id. */
export const answerParams = z.strictObject({ answerId: z.coerce.number().int().positive() });

/** Path of `GET /api/interview/answers/:answerId/attempts/:attempt` (the check's verdict). */
export const attemptParams = z.strictObject({
  answerId: z.coerce.number().int().positive(),
  attempt: z.coerce.number().int().positive(),
});

/**
 * Query of the verdict poll: `wait` ms to hold the request while the check runs (0, the default:
 * answer at once).
 */
export const attemptQuery = z.strictObject({
  wait: z.coerce.number().int().min(0).max(VERDICT_WAIT_MAX_MS).optional(),
});

/** Body of `POST /api/interview/answers/:answerId/grant`. */
export const grantBody = z.strictObject({
  contentType: z.string().min(3).max(100),
  bytes: z.number().int().min(0),
  resume: z.boolean().optional(),
});
/** Grant body. */
export type GrantBody = z.infer<typeof grantBody>;

/** Body of `POST /api/interview/answers/:answerId/complete`. */
export const completeBody = z.strictObject({ attempt: z.number().int().positive() });

/** Body of `POST /api/interview/answers/:answerId/text`. */
export const textBody = z.strictObject({ text: z.string().max(20_000) });

/** Body of `POST /api/interview/answers/:answerId/multipart` (OSS mode). */
export const multipartBody = z.strictObject({
  attempt: z.number().int().positive(),
  op: z.enum(['init', 'resume', 'complete']),
  bytes: z.number().int().min(0).optional(),
  uploadId: z
    .string()
    .regex(/^[0-9A-Za-z._-]{1,128}$/, 'must be the uploadId the init step returned')
    .optional(),
});
