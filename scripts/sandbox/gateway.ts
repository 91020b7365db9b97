/**
 * The checks DingTalk's API gateways make before an API runs: where the token must be, whether it
 * is valid, and the per-app per-API QPS limit (reference §1, §9). Route handlers put one of these
 * in front of themselves; anonymous token endpoints use none (and so are never rate limited).
 */
import type { RouterContext } from '@koa/router';
import type { Context, Next } from 'koa';
import { NEW_API, OLD_API, sendNewApiError, sendOldApiError } from './errors';
import type { SandboxState, UserToken } from './state';

/** Who is calling, set on `ctx.state.caller` by the gateway middlewares. */
export interface Caller {
  appKey: string;
  /** Present when the call was made with a user (OAuth2) token. */
  user?: UserToken;
}

/** The caller a gateway middleware identified. */
export function callerOf(ctx: Context): Caller {
  return ctx.state.caller as Caller;
}

/** The API's identity for rate limiting: method plus route pattern (not the concrete path). */
function apiOf(ctx: Context): string {
  return `${ctx.method} ${String((ctx as RouterContext)._matchedRoute ?? ctx.path)}`;
}

/**
 * New API (`/v1.0/*`): the token must be in `x-acs-dingtalk-access-token`. A token elsewhere
 * (`Authorization: Bearer`, `?access_token=`) counts as missing, as on the real gateway.
 * `kind` says whether the API wants the app's token or a user's OAuth2 token.
 */
export function newApi(state: SandboxState, kind: 'app' | 'user') {
  return async (ctx: Context, next: Next) => {
    const token = ctx.get('x-acs-dingtalk-access-token');
    if (!token) return sendNewApiError(ctx, NEW_API.missingToken);
    let caller: Caller | undefined;
    if (kind === 'app') {
      const appKey = state.appKeyOf(token);
      caller = appKey ? { appKey } : undefined;
    } else {
      const user = state.userOf(token);
      caller = user ? { appKey: user.clientId, user } : undefined;
    }
    if (!caller) return sendNewApiError(ctx, NEW_API.invalidToken);
    if (!state.takeQps(caller.appKey, apiOf(ctx))) return sendNewApiError(ctx, NEW_API.qpsLimit);
    ctx.state.caller = caller;
    await next();
  };
}

/** Old API (`/topapi/*`): the app token goes in `?access_token=`; errors are HTTP 200 bodies. */
export function oldApi(state: SandboxState) {
  return async (ctx: Context, next: Next) => {
    const token = ctx.query.access_token;
    if (typeof token !== 'string' || !token) return sendOldApiError(ctx, OLD_API.blankToken);
    const appKey = state.appKeyOf(token);
    if (!appKey) return sendOldApiError(ctx, OLD_API.invalidToken);
    if (!state.takeQps(appKey, apiOf(ctx))) return sendOldApiError(ctx, OLD_API.qpsLimit);
    ctx.state.caller = { appKey } satisfies Caller;
    await next();
  };
}

/** The JSON (or form) body as a plain object; anything else reads as empty. */
export function bodyOf(ctx: Context): Record<string, unknown> {
  const b = ctx.request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/** A non-empty string field, else undefined (DingTalk treats wrong types as missing). */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
