import { z } from 'zod';
import { INVITE_CHANNELS } from '../../../shared/api/candidates';

/** Body of `POST /api/invitations`. `channel`: `link` (HR copies it) or `dingtalk` (a message is queued). */
export const createInvitationBody = z.strictObject({
  candidateId: z.number().int().positive(),
  jobId: z.number().int().positive(),
  expiresInDays: z.number().int().min(1).max(90).optional(),
  channel: z.enum(INVITE_CHANNELS).default('link'),
});
/** Body of `POST /api/invitations`. */
export type CreateInvitationBody = z.infer<typeof createInvitationBody>;
