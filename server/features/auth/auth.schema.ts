import { z } from 'zod';

export { dingtalkSignInBody, invitationSignInBody, oauthExchangeBody } from '../../../shared/api/auth';

/** Query of `GET /api/auth/oauth/start`: where to go after sign-in (same-origin path only). */
export const oauthStartQuery = z.strictObject({
  next: z
    .string()
    .max(500)
    // Browsers read a backslash as a slash (`/\evil.example` is `//evil.example`): refused
    // anywhere in the path, like `//` at its start and whitespace.
    .regex(/^\/(?![/\\])[^\s\\]*$/, 'must be a same-origin path starting with /')
    .optional(),
});
