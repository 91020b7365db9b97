import type { AuthConfig, Me, SignInResponse } from '../../../shared/api/auth';
import { ApiError, apiRequest } from '../api';
import { isInDingTalk, requestDingTalkAuthCode } from '../dingtalk';
import { loadAuthSchemas } from './schemasLoader';
import { clearSession, getSession, isSessionValid, type StoredSession, saveSession } from './session';
import { authConfigShape, meResponseShape } from './shapes';
import { findUrlCredential, type UrlCredential, urlWithoutCredential } from './urlCredential';

/** Why sign-in did not succeed, in the terms the UI needs to explain it. */
export interface SignInFailure {
  /** Error code; the UI shows its text from the catalogue (`shared/errors.ts`). */
  code: string;
  /** The raw message (server's or client's), for developers; never shown. */
  message: string;
  /** The user cancelled on DingTalk's page, as opposed to something failing. */
  cancelled: boolean;
  /**
   * Retrying should start over from the sign-in page, because the credential in the URL is
   * spent or will never work; otherwise the same attempt is worth repeating (network, 5xx).
   */
  restart: boolean;
  /** The error's details (e.g. `no_access` names the admins to ask), for the catalogue's text. */
  details?: unknown;
}

/** Where the start-up sign-in ended. */
export type BootstrapResult =
  | { status: 'signedIn'; config: AuthConfig; me: Me; inDingTalk: boolean; replaceUrl: string | null }
  | {
      status: 'signedOut';
      config: AuthConfig;
      inDingTalk: boolean;
      failure: SignInFailure | null;
      replaceUrl: string | null;
    }
  /** Not even the public config could be loaded. */
  | { status: 'unavailable'; failure: SignInFailure };

/** Sign-in routes of the API, each answering {@link SignInResponse}. */
export type SignInRoute = '/api/auth/dingtalk' | '/api/auth/oauth/exchange' | '/api/auth/invitation';

/**
 * A sign-in response. The OAuth2 exchange adds `nextPath`: the page the user was on when they
 * started signing in (passed as `?next=` to the start route), to return to afterwards.
 */
export type SignInResult = SignInResponse & { nextPath?: string };

/** Everything start-up sign-in touches, injectable so the decision order can be unit-tested. */
export interface BootstrapDeps {
  url: URL;
  getConfig(): Promise<AuthConfig>;
  getMe(): Promise<Me>;
  signIn(route: SignInRoute, body: Record<string, string>): Promise<SignInResult>;
  getSession(): StoredSession | null;
  saveSession(session: StoredSession): void;
  clearSession(): void;
  inDingTalk(): Promise<boolean>;
  requestAuthCode(corpId: string, clientId: string): Promise<string>;
  now(): number;
}

// Checked without zod (`shapes.ts`): a returning user's first screen should not wait for it.
const fetchConfig = () => apiRequest('/api/auth/config', { schema: authConfigShape, auth: false });
const fetchMe = async () => (await apiRequest('/api/me', { schema: meResponseShape })).me;

/** Start-up requests already in flight ({@link startSignInRequests}), each used once. */
let early: { config: Promise<AuthConfig> | null; me: Promise<Me> | null } = { config: null, me: null };
let earlyStarted = false;

/**
 * Sends the requests sign-in will certainly make (the public config, and `GET /api/me` for a
 * stored session when the URL carries no credential) as soon as the app's code runs, instead of
 * after React's first render and effects: on a slow phone that is several hundred milliseconds
 * earlier. {@link browserDeps} hands each promise to the first sign-in attempt only; a retry asks
 * again.
 */
export function startSignInRequests(url: URL = new URL(window.location.href)): void {
  if (earlyStarted) return;
  earlyStarted = true;
  const swallow = <T>(p: Promise<T>) => {
    p.catch(() => {}); // handled when bootstrap awaits it; never an unhandled rejection before
    return p;
  };
  early = {
    config: swallow(fetchConfig()),
    me: isSessionValid(getSession()) && !findUrlCredential(url, true) ? swallow(fetchMe()) : null,
  };
}

function takeEarly<K extends keyof typeof early>(key: K): (typeof early)[K] {
  const value = early[key];
  early = { ...early, [key]: null };
  return value;
}

/** The real dependencies: the product API, localStorage and dingtalk-jsapi. */
export function browserDeps(url: URL = new URL(window.location.href)): BootstrapDeps {
  return {
    url,
    getConfig: () => takeEarly('config') ?? fetchConfig(),
    getMe: () => takeEarly('me') ?? fetchMe(),
    signIn: (route, body) =>
      apiRequest(route, {
        method: 'POST',
        body,
        schema: loadAuthSchemas().then((m) => m.signInResult),
        auth: false,
      }),
    getSession,
    saveSession,
    clearSession,
    inDingTalk: isInDingTalk,
    requestAuthCode: requestDingTalkAuthCode,
    now: () => Date.now(),
  };
}

/** Turns anything thrown during sign-in into a {@link SignInFailure}. */
export function toFailure(error: unknown, fallbackCode = 'unknown', restart = true): SignInFailure {
  if (error instanceof ApiError) {
    const transient = error.status === 0 || error.status >= 500;
    return {
      code: error.code,
      message: error.message,
      cancelled: false,
      restart: restart && !transient,
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallbackCode, message, cancelled: false, restart };
}

/**
 * Accepts a return path only if it stays on this origin and is not itself a sign-in URL
 * (returning to a spent callback would loop).
 */
export function safeNextPath(next: string | undefined, demo: boolean): string | null {
  if (!next || next === '/' || !/^\/(?!\/)[^\s\\]*$/.test(next)) return null;
  const url = new URL(next, 'https://same.origin');
  return findUrlCredential(url, demo) ? null : `${url.pathname}${url.search}${url.hash}`;
}

function credentialRequest(
  credential: UrlCredential,
): { route: SignInRoute; body: Record<string, string> } | null {
  switch (credential.kind) {
    case 'sandbox':
      return { route: '/api/auth/dingtalk', body: { code: credential.code } };
    case 'oauth':
      return { route: '/api/auth/oauth/exchange', body: { code: credential.code, state: credential.state } };
    case 'invitation':
      return { route: '/api/auth/invitation', body: { token: credential.token } };
    default:
      return null;
  }
}

/**
 * Signs the user in when the app starts, in this order:
 * 1. a credential in the URL (sandbox 免登 code, OAuth2 callback, invitation link): it is an
 *    explicit, fresh request to become that person, so it beats a stored session (switching
 *    demo users in the sandbox console relies on this);
 * 2. a stored, unexpired session, confirmed with `GET /api/me`;
 * 3. inside DingTalk, a 免登 code from dingtalk-jsapi;
 * 4. otherwise the sign-in page.
 */
export async function bootstrapSignIn(deps: BootstrapDeps): Promise<BootstrapResult> {
  const dingTalkCheck = deps.inDingTalk().catch(() => false);
  let config: AuthConfig;
  try {
    config = await deps.getConfig();
  } catch (error) {
    return {
      status: 'unavailable',
      failure: { ...toFailure(error), code: 'config_unavailable', restart: false },
    };
  }
  const inDingTalk = await dingTalkCheck;
  const signedOut = (failure: SignInFailure | null, replaceUrl: string | null = null): BootstrapResult => ({
    status: 'signedOut',
    config,
    inDingTalk,
    failure,
    replaceUrl,
  });

  const complete = (response: SignInResult, replaceUrl: string | null): BootstrapResult => {
    deps.saveSession({ token: response.token, expiresAt: response.expiresAt });
    const next = safeNextPath(response.nextPath, config.demo);
    return { status: 'signedIn', config, me: response.me, inDingTalk, replaceUrl: next ?? replaceUrl };
  };

  const credential = findUrlCredential(deps.url, config.demo);
  if (credential) {
    const cleanUrl = urlWithoutCredential(deps.url, credential);
    if (credential.kind === 'oauthCancelled') {
      return signedOut(
        { code: 'oauth_cancelled', message: credential.error, cancelled: true, restart: true },
        cleanUrl,
      );
    }
    const request = credentialRequest(credential);
    if (!request) {
      return signedOut(
        { code: 'oauth_callback_invalid', message: 'callback without code', cancelled: false, restart: true },
        cleanUrl,
      );
    }
    try {
      return complete(await deps.signIn(request.route, request.body), cleanUrl);
    } catch (error) {
      const failure = toFailure(error);
      // A transient failure keeps the URL so that "retry" can spend the same credential again.
      return signedOut(failure, failure.restart ? cleanUrl : null);
    }
  }

  const stored = deps.getSession();
  if (stored && isSessionValid(stored, deps.now())) {
    try {
      return { status: 'signedIn', config, me: await deps.getMe(), inDingTalk, replaceUrl: null };
    } catch (error) {
      const rejected = error instanceof ApiError && error.status === 401;
      if (!rejected) return signedOut(toFailure(error, 'unknown', false));
      // The server no longer accepts the token: fall through to a fresh sign-in.
      deps.clearSession();
    }
  } else if (stored) {
    deps.clearSession();
  }

  if (inDingTalk) {
    let code: string;
    try {
      code = await deps.requestAuthCode(config.corpId, config.clientId);
    } catch (error) {
      return signedOut(toFailure(error, 'dingtalk_auth_failed', false));
    }
    try {
      return complete(await deps.signIn('/api/auth/dingtalk', { code }), null);
    } catch (error) {
      // A new attempt asks DingTalk for a new code, so retrying in place is always sensible.
      return signedOut(toFailure(error, 'unknown', false));
    }
  }

  return signedOut(null);
}
