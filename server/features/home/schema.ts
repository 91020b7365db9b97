import { z } from 'zod';

/** `GET /api/home/timeline`: which of the candidate's applications (default: the current one). */
export const timelineQuery = z.strictObject({
  applicationId: z.coerce.number().int().positive().optional(),
});
