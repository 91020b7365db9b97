/**
 * Referrer tokens of shared job links (`/j/<slug>?r=<token>`). A token says "this link was
 * shared by candidate 12" (or employee 3), signed with the server's secret so nobody can claim
 * someone else's referral by editing the link. It grants nothing: whoever holds it can only
 * read the public job page and apply, which anyone can do without it, so the link is never a
 * personal credential.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who shared a link. */
export interface Referrer {
  kind: 'candidate' | 'employee';
  id: number;
}

const PREFIX = { candidate: 'c', employee: 'e' } as const;

// 16 bytes of the MAC are plenty for an attribution (forging one buys a line in a statistic).
const mac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(`job-referral:${body}`).digest('base64url').slice(0, 22);

/** The token of `who` (e.g. `c12.Xy…`). */
export function referralToken(secret: string, who: Referrer): string {
  const body = `${PREFIX[who.kind]}${who.id}`;
  return `${body}.${mac(secret, body)}`;
}

/** Who a token names; null when it is malformed or not signed by this server. */
export function readReferralToken(secret: string, token: string): Referrer | null {
  const m = /^([ce])(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const want = Buffer.from(mac(secret, `${m[1]}${m[2]}`));
  const got = Buffer.from(m[3]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return { kind: m[1] === 'c' ? 'candidate' : 'employee', id: Number(m[2]) };
}
