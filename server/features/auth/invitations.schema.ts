import { z } from 'zod';

/** Body of `POST /api/invitations`. */
export const createInvitationBody = z.strictObject({
  candidateId: z.number().int().positive(),
  jobId: z.number().int().positive(),
  expiresInDays: z.number().int().min(1).max(90).optional(),
});
/** Body of `POST /api/invitations`. */
export type CreateInvitationBody = z.infer<typeof createInvitationBody>;
