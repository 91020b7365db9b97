import { z } from 'zod';

export { dingtalkSignInBody, invitationSignInBody, oauthExchangeBody } from '../../../shared/api/auth';

/** Query of `GET /api/auth/oauth/start`: where to go after sign-in (same-origin path only). */
export const oauthStartQuery = z.strictObject({
  next: z
    .string()
    .max(500)
    .regex(/^\/(?!\/)[^\s]*$/, 'must be a same-origin path starting with /')
    .optional(),
});
