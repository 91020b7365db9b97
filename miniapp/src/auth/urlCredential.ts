/**
 * Sign-in credentials that arrive in the page URL. Each is single use, so the URL is cleaned
 * after it has been spent; a reload must not replay it.
 */
import { ROUTE_PATTERNS } from '../../../shared/routes';
import { getSession, isSessionValid, type StoredSession } from './session';

/** Query parameter the DingTalk sandbox console uses to hand over a 免登 code (demo only). */
export const SANDBOX_CODE_PARAM = 'sandbox_auth_code';
/** Path DingTalk's OAuth2 login redirects back to. */
export const OAUTH_CALLBACK_PATH = ROUTE_PATTERNS.authCallback;
/** Path of invitation links (`/invite#<token>`); the token is in the fragment, which never reaches a server log. */
export const INVITE_PATH = ROUTE_PATTERNS.invite;
/** Prefix of older invitation links, `/invite/<token>` (still honoured). */
export const INVITE_PATH_PREFIX = `${ROUTE_PATTERNS.invite}/`;

/** A credential found in the URL, or what went wrong with it. */
export type UrlCredential =
  /** The sandbox console standing in for the DingTalk client (`?sandbox_auth_code=`). */
  | { kind: 'sandbox'; code: string }
  /** DingTalk's OAuth2 redirect: `authCode` (or `code`) plus our CSRF `state`. */
  | { kind: 'oauth'; code: string; state: string }
  /** The user declined on DingTalk's consent page (`?error=`). */
  | { kind: 'oauthCancelled'; error: string }
  /** A callback with neither a code and state nor an error. */
  | { kind: 'oauthInvalid' }
  /** A signed invitation link for candidates without DingTalk. */
  | { kind: 'invitation'; token: string };

/**
 * Finds the credential in `url`, if any. The sandbox code only counts in demo mode: in
 * production nothing but the DingTalk client may hand out 免登 codes.
 */
export function findUrlCredential(url: URL, demo: boolean): UrlCredential | null {
  const params = url.searchParams;
  const sandboxCode = params.get(SANDBOX_CODE_PARAM);
  if (sandboxCode && demo) return { kind: 'sandbox', code: sandboxCode };

  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === OAUTH_CALLBACK_PATH) {
    const error = params.get('error');
    if (error) return { kind: 'oauthCancelled', error };
    // DingTalk documents `authCode`; some reports show a duplicate `code`, so accept either.
    const code = params.get('authCode') || params.get('code');
    const state = params.get('state');
    if (code && state) return { kind: 'oauth', code, state };
    return { kind: 'oauthInvalid' };
  }

  if (path === INVITE_PATH && url.hash.length > 1) {
    const raw = url.hash.slice(1);
    try {
      return { kind: 'invitation', token: decodeURIComponent(raw) };
    } catch {
      return { kind: 'invitation', token: raw };
    }
  }
  if (path.startsWith(INVITE_PATH_PREFIX)) {
    const raw = path.slice(INVITE_PATH_PREFIX.length);
    if (raw && !raw.includes('/')) {
      try {
        return { kind: 'invitation', token: decodeURIComponent(raw) };
      } catch {
        return { kind: 'invitation', token: raw };
      }
    }
  }
  return null;
}

/**
 * The address to show once a URL credential has been used (or rejected): the sandbox code is
 * stripped from the current address, while callback and invitation pages give way to the home.
 */
export function urlWithoutCredential(url: URL, credential: UrlCredential): string {
  if (credential.kind === 'sandbox') {
    const params = new URLSearchParams(url.search);
    params.delete(SANDBOX_CODE_PARAM);
    const search = params.toString();
    return `${url.pathname}${search ? `?${search}` : ''}${url.hash}`;
  }
  return '/';
}

/**
 * The OAuth2 start URL, with `?next=` when the user is on a deeper page (an interview link
 * opened while signed out), so DingTalk login brings them back there.
 */
export function oauthStartHref(startUrl: string, location: Pick<Location, 'pathname' | 'search'>): string {
  const here = `${location.pathname}${location.search}`;
  if (here === '/' || location.pathname === OAUTH_CALLBACK_PATH) return startUrl;
  return `${startUrl}${startUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(here)}`;
}

/**
 * The stored session a start-up may count on, before sign-in has confirmed it: valid, and the
 * address carries no credential (which signs someone in afresh). Used to send the first screen's
 * requests early (`main.tsx`, `start.tsx`); sign-in itself still decides (`bootstrap.ts`).
 */
export function returningSession(url: URL = new URL(window.location.href)): StoredSession | null {
  const stored = getSession();
  return stored && isSessionValid(stored) && !findUrlCredential(url, true) ? stored : null;
}
