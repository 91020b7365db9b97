import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact signed tokens for URLs the server hands out (object downloads, local upload grants):
 * `base64url(JSON payload).base64url(HMAC-SHA256)`. The payload carries its own expiry (`exp`,
 * Unix seconds), so a token is useless after it and cannot be re-pointed at another key.
 */
export interface SignedPayload {
  /** Purpose, so a download token is never accepted as an upload grant and vice versa. */
  use: string;
  /** Expiry, Unix seconds. */
  exp: number;
  [k: string]: unknown;
}

/** Derived keys by label and secret (a process has one secret and a handful of labels). */
const derived = new Map<string, Buffer>();
/** Bound on {@link derived}: tests make an app (and a secret) per file, production one. */
const DERIVED_MAX = 64;

/**
 * Derives a purpose-specific key so object tokens never share a key with session tokens.
 * Derived once per secret and label: an HMAC per call was a measurable share of the upload
 * grant's CPU (BENCHMARKS.md, load). The key is only ever read (HMAC keys), never written.
 */
export function deriveKey(secret: string, label: string): Buffer {
  const id = `${label}\u0000${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = createHmac('sha256', secret).update(`aii-storage:${label}`).digest();
    if (derived.size >= DERIVED_MAX) derived.delete(derived.keys().next().value as string);
    derived.set(id, key);
  }
  return key;
}

/** Signs a payload. */
export function signToken(key: Buffer, payload: SignedPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const mac = createHmac('sha256', key).update(body).digest('base64url');
  return `${body}.${mac}`;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'bad_signature' | 'expired' | 'wrong_use';

/** Verifies a token; returns the payload or the problem. */
export function verifyToken<T extends SignedPayload>(
  key: Buffer,
  token: string,
  use: string,
  nowMs: number,
): { ok: true; payload: T } | { ok: false; problem: TokenProblem } {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return { ok: false, problem: 'malformed' };
  // Compare the exact base64url text, not decoded bytes: base64 decoding ignores the spare low
  // bits of the last character, so several spellings of one MAC would otherwise all verify.
  const expected = Buffer.from(createHmac('sha256', key).update(body).digest('base64url'));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'bad_signature' };
  let payload: T;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (payload.use !== use) return { ok: false, problem: 'wrong_use' };
  if (typeof payload.exp !== 'number' || payload.exp * 1000 < nowMs) return { ok: false, problem: 'expired' };
  return { ok: true, payload };
}

/** Object keys the product writes: plain relative paths, no `..`, no empty segments. */
export const OBJECT_KEY = /^(?!.*\/\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9][A-Za-z0-9._\-/]{0,500}$/;

/** Throws on a key that could escape the store's folder or confuse a provider. */
export function assertObjectKey(key: string): void {
  if (!OBJECT_KEY.test(key)) throw new Error(`invalid object key: ${JSON.stringify(key)}`);
}
