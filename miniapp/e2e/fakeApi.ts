/**
 * A scripted stand-in for the product API's auth routes, answered inside the browser with
 * `context.route`. It lets the UI's sign-in decisions be tested without a server; the stack
 * test (signin.browser.test.ts) covers the real thing end to end.
 */
import type { BrowserContext, Route } from 'playwright-core';
import type { AuthConfig, Me, SignInResponse } from '../../shared/api/auth';

/** A request the fake API received. */
export interface FakeApiCall {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
}

/** A scripted answer for one credential: who it signs in, or which error it produces. */
export type FakeOutcome = { me: Me } | { status: number; code: string; message?: string };

/** What the fake API knows. Mutable between steps of a test. */
export interface FakeApiScript {
  config: AuthConfig;
  /** By 免登/sandbox code. */
  dingtalkCodes: Record<string, FakeOutcome>;
  /** By OAuth2 code (state must equal `oauthState`). */
  oauthCodes: Record<string, FakeOutcome>;
  oauthState: string;
  /** By invitation token. */
  invitations: Record<string, FakeOutcome>;
}

/** Builds a `Me` with sensible defaults. */
export function fakeMe(overrides: Partial<Me> & Pick<Me, 'name' | 'home'>): Me {
  const employee = overrides.home !== 'candidate';
  return {
    id: 1,
    kind: employee ? 'employee' : 'candidate',
    roles: employee ? [overrides.home === 'hr' ? 'hr' : overrides.home] : [],
    department: employee ? '研发中心' : null,
    locale: 'zh-CN',
    invitationJobId: null,
    ...overrides,
  } as Me;
}

/**
 * Installs the fake on every page of `context`. Tokens are `token-<n>`; the `/api/me` answer
 * is whoever that token was issued to, and 401 for anything else (like a revoked session).
 */
export async function installFakeApi(
  context: BrowserContext,
  script: FakeApiScript,
): Promise<{ calls: FakeApiCall[]; revokeAll(): void }> {
  const calls: FakeApiCall[] = [];
  const sessions = new Map<string, Me>();
  let issued = 0;

  const json = (route: Route, status: number, body: unknown) =>
    route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  const answer = (route: Route, outcome: FakeOutcome | undefined) => {
    if (!outcome) return json(route, 401, { error: { code: 'auth_code_invalid', message: 'unknown code' } });
    if ('me' in outcome) {
      issued += 1;
      const token = `token-${issued}`;
      sessions.set(token, outcome.me);
      const response: SignInResponse = {
        token,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        me: outcome.me,
      };
      return json(route, 200, response);
    }
    return json(route, outcome.status, {
      error: { code: outcome.code, message: outcome.message ?? outcome.code },
    });
  };

  // Match on the path: a glob like **/api/** would also catch Vite's /@fs/.../shared/api/*.ts modules.
  await context.route(
    (url) => url.pathname.startsWith('/api/'),
    async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const body = request.postData() ? JSON.parse(request.postData() as string) : undefined;
      const authorization = (await request.headerValue('authorization')) ?? null;
      calls.push({ method: request.method(), path: url.pathname, body, authorization });

      switch (`${request.method()} ${url.pathname}`) {
        case 'GET /api/auth/config':
          return json(route, 200, script.config);
        case 'GET /api/auth/oauth/start':
          // The real server 302s to DingTalk, which comes back to the callback; skip the middle.
          return route.fulfill({
            status: 302,
            headers: { location: `/auth/callback?authCode=oauth-ok&state=${script.oauthState}` },
          });
        case 'POST /api/auth/dingtalk':
          return answer(route, script.dingtalkCodes[body?.code]);
        case 'POST /api/auth/oauth/exchange':
          if (body?.state !== script.oauthState) {
            return json(route, 400, { error: { code: 'oauth_state_invalid', message: 'state mismatch' } });
          }
          return answer(route, script.oauthCodes[body?.code]);
        case 'POST /api/auth/invitation':
          return answer(route, script.invitations[body?.token]);
        case 'GET /api/me': {
          const me = sessions.get(authorization?.replace(/^Bearer /, '') ?? '');
          if (!me) return json(route, 401, { error: { code: 'unauthorized', message: 'no session' } });
          return json(route, 200, { me });
        }
        default:
          return json(route, 404, { error: { code: 'not_found', message: url.pathname } });
      }
    },
  );

  return { calls, revokeAll: () => sessions.clear() };
}
