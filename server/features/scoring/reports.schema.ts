import { z } from 'zod';

/** `GET /api/reports` query. */
export const listReportsQuery = z.strictObject({
  status: z.enum(['ready', 'needs_review', 'person_only']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `PUT /api/reports/:id/ratings` body: 1-5 per competency plus an optional comment. */
export const ratingsBody = z.strictObject({
  ratings: z
    .array(z.strictObject({ competency: z.string().min(1).max(100), score: z.number().int().min(1).max(5) }))
    .min(1)
    .max(20),
  comment: z.string().max(2000).optional(),
});

/** `POST /api/reports/:id/assignments` body. */
export const assignBody = z.strictObject({ userId: z.number().int().positive() });

/** `POST /api/feedback/:id/requests` body. */
export const feedbackRequestBody = z.strictObject({
  kind: z.enum(['explanation', 'human_review']),
  message: z.string().trim().min(1).max(1000),
});

/** `:id/media/:answerId` params. */
export const mediaParams = z.strictObject({
  id: z.coerce.number().int().positive(),
  answerId: z.coerce.number().int().positive(),
});

/** `POST /api/scoring/calibration` body. */
/** Refit: one model for the company (jobs and questions are levels inside it), so no fields. */
export const refitBody = z.strictObject({});
