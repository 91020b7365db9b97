import { z } from 'zod';

/** Query of `GET /api/candidates`. */
export const listCandidatesQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
