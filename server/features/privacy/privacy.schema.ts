import { z } from 'zod';

/** Body of a deletion request: the candidate confirms; HR says why (e.g. "asked by e-mail"). */
export const deletionBody = z.strictObject({
  confirm: z.literal(true, { message: 'confirm must be true' }),
  reason: z.string().trim().min(1).max(500).optional(),
});

/** Body of HR's request on a candidate's behalf (the reason is required). */
export const hrDeletionBody = deletionBody.extend({ reason: z.string().trim().min(1).max(500) });
