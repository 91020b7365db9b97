import { z } from 'zod';
import { EMPLOYEE_ROLES, PRINCIPAL_KINDS } from '../roles';

/** Body of `POST /api/auth/dingtalk`: the 免登 auth code from `dd.requestAuthCode`. */
export const dingtalkSignInBody = z.strictObject({
  code: z.string().min(1).max(128),
});

/** Body of `POST /api/auth/oauth/exchange`: what DingTalk's OAuth2 redirect handed the browser. */
export const oauthExchangeBody = z.strictObject({
  code: z.string().min(1).max(256),
  state: z.string().min(1).max(2048),
});

/** Body of `POST /api/auth/invitation`: the signed invitation token from the link. */
export const invitationSignInBody = z.strictObject({
  token: z.string().min(1).max(4096),
});

/** The signed-in principal as the API shows it. */
export const meSchema = z.object({
  id: z.number().int(),
  kind: z.enum(PRINCIPAL_KINDS),
  name: z.string(),
  roles: z.array(z.enum(EMPLOYEE_ROLES)),
  department: z.string().nullable(),
  home: z.enum(['candidate', 'hr', 'manager', 'interviewer']),
  locale: z.enum(['zh-CN', 'en']),
  /** Set when the candidate signed in through an invitation: the job it is bound to. */
  invitationJobId: z.number().int().nullable(),
});
/** The signed-in principal. */
export type Me = z.infer<typeof meSchema>;

/** Response of every sign-in route. */
export const signInResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  me: meSchema,
});
/** Response of every sign-in route. */
export type SignInResponse = z.infer<typeof signInResponse>;

/** Public, non-secret settings the mini-app needs before sign-in (`GET /api/auth/config`). */
export const authConfigSchema = z.object({
  corpId: z.string(),
  clientId: z.string(),
  demo: z.boolean(),
  oauthStartUrl: z.string(),
});
/** Public sign-in settings. */
export type AuthConfig = z.infer<typeof authConfigSchema>;

/** The JSON error body every API error uses. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Response of `GET /api/me`. */
export const meResponse = z.object({ me: meSchema });
/** Response of `GET /api/me`. */
export type MeResponse = z.infer<typeof meResponse>;
