import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { PrincipalKind } from '../../../shared/roles';
import { routes } from '../../../shared/routes';
import { unauthorized } from '../errors';

/**
 * Signed tokens the server issues: short-lived session tokens (after any sign-in) and
 * invitation tokens (in links sent to candidates). HS256 with SESSION_SECRET; the `typ`
 * claim keeps one kind from being accepted as the other.
 */

const ISSUER = 'ai-interviews';

const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The HMAC key of a secret, imported once per process: importing it on every request was a
 * measurable share of each authenticated read (`npm run bench -- api`).
 */
function key(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, k);
  }
  return k;
}

/** Claims of a session token. */
export interface SessionClaims {
  kind: PrincipalKind;
  id: number;
  /** Job the candidate's invitation is bound to, when they signed in by invitation. */
  invitationJobId: number | null;
  /**
   * The person's session generation when the token was issued (absent = 0). A bump of the
   * row's generation (erasure, deactivation, leaving the organisation) ends older sessions.
   */
  generation?: number;
}

/** Issues a session token; returns it with its expiry. */
export async function issueSessionToken(
  secret: string,
  claims: SessionClaims,
  ttlMinutes: number,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  const token = await new SignJWT({
    typ: 'session',
    k: claims.kind,
    inv: claims.invitationJobId,
    gen: claims.generation ?? 0,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(String(claims.id))
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await key(secret));
  return { token, expiresAt };
}

/** Most verified session tokens a process remembers (about 300 bytes each). */
export const VERIFIED_TOKENS_MAX = 4_096;

/** A session token already verified once: its claims and its expiry (seconds, as in `exp`). */
interface VerifiedToken {
  claims: SessionClaims;
  exp: number;
}

const verified = new Map<string, Map<string, VerifiedToken>>();

/**
 * Remembers a verified token (per secret, so a rotated secret never accepts the old tokens).
 * Why: every authenticated request verifies the same few tokens again and again, and the HMAC
 * runs as a WebCrypto job, about 6 % of a web process's CPU on a hot read (CPU profile of
 * `npm run bench -- api`). A signed token cannot change, so its signature needs checking only
 * once; its expiry is still checked on every request, and revocation never depended on the
 * signature (the person's row is reloaded and its session generation compared in `requireAuth`).
 * The oldest entry goes first when the map is full.
 */
function remember(secret: string, token: string, entry: VerifiedToken): void {
  let bySecret = verified.get(secret);
  if (!bySecret) {
    bySecret = new Map();
    verified.set(secret, bySecret);
  }
  if (bySecret.size >= VERIFIED_TOKENS_MAX) bySecret.delete(bySecret.keys().next().value as string);
  bySecret.set(token, entry);
}

/** Verifies a session token; 401 `session_expired` or `session_invalid` otherwise. */
export async function verifySessionToken(
  secret: string,
  token: string,
  now = new Date(),
): Promise<SessionClaims> {
  const known = verified.get(secret)?.get(token);
  if (known) {
    // jose's rule: expired once `now` reaches `exp` (no clock tolerance is configured).
    if (Math.floor(now.getTime() / 1000) >= known.exp) {
      verified.get(secret)?.delete(token);
      throw unauthorized('session_expired', 'Session expired; please sign in again');
    }
    return { ...known.claims };
  }
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (
      payload.typ !== 'session' ||
      (payload.k !== 'employee' && payload.k !== 'candidate') ||
      !payload.sub
    ) {
      throw unauthorized('session_invalid', 'Session token is invalid');
    }
    const claims: SessionClaims = {
      kind: payload.k,
      id: Number(payload.sub),
      invitationJobId: typeof payload.inv === 'number' ? payload.inv : null,
      generation: typeof payload.gen === 'number' ? payload.gen : 0,
    };
    // Every session token carries `exp` (issueSessionToken); one without is never remembered.
    if (typeof payload.exp === 'number') remember(secret, token, { claims, exp: payload.exp });
    return { ...claims };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      throw unauthorized('session_expired', 'Session expired; please sign in again');
    if (err instanceof Error && err.name === 'AppError') throw err;
    throw unauthorized('session_invalid', 'Session token is invalid');
  }
}

/**
 * The path of an invitation link: `/invite#<token>`. The token is in the fragment, which the
 * browser keeps to itself, so it never reaches a request line or an access log. (Links sent
 * before this change, `/invite/<token>`, still work; the request logger redacts them.)
 */
export function invitationLink(token: string): string {
  return routes.invite(token);
}

/** The token of an invitation link (fragment form, or the older path form). */
export function invitationTokenOf(url: string): string {
  const u = new URL(url, 'http://link.invalid');
  if (u.hash.length > 1) return decodeURIComponent(u.hash.slice(1));
  return decodeURIComponent(u.pathname.split('/').pop() ?? '');
}

/** Issues the token carried by an invitation link. It names the invitation row only. */
export async function issueInvitationToken(
  secret: string,
  invitationId: number,
  expiresAt: Date,
): Promise<string> {
  return new SignJWT({ typ: 'invitation' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(String(invitationId))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await key(secret));
}

/**
 * Verifies an invitation token's signature and expiry; returns the invitation id.
 * 401 `invitation_expired` or `invitation_invalid` (tampered, wrong kind, garbage).
 */
export async function verifyInvitationToken(
  secret: string,
  token: string,
  now = new Date(),
): Promise<number> {
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (payload.typ !== 'invitation' || !payload.sub) throw new Error('wrong token kind');
    return Number(payload.sub);
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      throw unauthorized('invitation_expired', 'This invitation link has expired; ask HR for a new one');
    throw unauthorized('invitation_invalid', 'This invitation link is not valid');
  }
}
