import { readStored, removeStored, writeStored } from '../storage';

/** The server-issued session token kept on this device. */
export interface StoredSession {
  token: string;
  /** ISO-8601 instant after which the server rejects the token. */
  expiresAt: string;
}

const SESSION_KEY = 'session';

/**
 * Margin before expiry at which a token counts as expired. A token that dies while the first
 * request is in flight would bounce the user to sign-in for no visible reason.
 */
const EXPIRY_SKEW_MS = 30_000;

/** The token in memory, so requests need not hit localStorage (which may be unavailable). */
let current: StoredSession | null = null;
let loaded = false;

/** Whether a session is still usable at `now`. */
export function isSessionValid(session: StoredSession | null, now: number = Date.now()): boolean {
  if (!session) return false;
  const expires = Date.parse(session.expiresAt);
  return Number.isFinite(expires) && expires - EXPIRY_SKEW_MS > now;
}

/** Parses what localStorage held; anything malformed counts as no session. */
export function parseStoredSession(raw: string | null): StoredSession | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as StoredSession).token === 'string' &&
      typeof (value as StoredSession).expiresAt === 'string'
    ) {
      const { token, expiresAt } = value as StoredSession;
      return { token, expiresAt };
    }
  } catch {
    // Corrupt entry: treat as signed out; the next sign-in overwrites it.
  }
  return null;
}

/** The stored session if any (valid or not). */
export function getSession(): StoredSession | null {
  if (!loaded) {
    current = parseStoredSession(readStored(SESSION_KEY));
    loaded = true;
  }
  return current;
}

/**
 * Who the token was issued to (`k` claim: `candidate` or `employee`), read without verifying
 * it, only to guess which screen to fetch first; the server decides what the session may do.
 * `null` when the token is not a readable JWT.
 */
export function sessionKind(session: StoredSession | null): 'candidate' | 'employee' | null {
  const payload = session?.token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const kind = (claims as { k?: unknown }).k;
    return kind === 'candidate' || kind === 'employee' ? kind : null;
  } catch {
    return null;
  }
}

/** Keeps a new session for this and later visits. */
export function saveSession(session: StoredSession): void {
  current = { token: session.token, expiresAt: session.expiresAt };
  loaded = true;
  writeStored(SESSION_KEY, JSON.stringify(current));
}

/** Forgets the session (sign-out, expiry, or a 401 from the server). */
export function clearSession(): void {
  current = null;
  loaded = true;
  removeStored(SESSION_KEY);
}
