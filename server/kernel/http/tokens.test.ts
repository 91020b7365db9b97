import { describe, expect, it } from 'vitest';
import { issueSessionToken, VERIFIED_TOKENS_MAX, verifySessionToken } from './tokens';

const SECRET = 'a-test-secret-of-enough-length-0123456789';
const claims = { kind: 'candidate' as const, id: 7, invitationJobId: 3, generation: 2 };

/** The 401 code a verification fails with. */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    return (err as { code: string }).code;
  }
}

describe('session tokens, verified once per process', () => {
  it('a remembered token is still refused once it has expired', async () => {
    const t0 = new Date('2026-12-04T10:00:00Z');
    const { token } = await issueSessionToken(SECRET, claims, 30, t0);
    expect(await verifySessionToken(SECRET, token, t0)).toEqual(claims);
    // Now remembered: still the same claims a minute before expiry...
    expect(await verifySessionToken(SECRET, token, new Date(t0.getTime() + 29 * 60_000))).toEqual(claims);
    // ...and refused at expiry, as jose refuses it (exp <= now).
    expect(await codeOf(verifySessionToken(SECRET, token, new Date(t0.getTime() + 30 * 60_000)))).toBe(
      'session_expired',
    );
  });

  it('a token is remembered per secret: after a rotation the old one is refused', async () => {
    const now = new Date();
    const { token } = await issueSessionToken(SECRET, claims, 30, now);
    await verifySessionToken(SECRET, token, now);
    expect(await codeOf(verifySessionToken(`${SECRET}-rotated`, token, now))).toBe('session_invalid');
  });

  it('a tampered copy of a remembered token is verified on its own and refused', async () => {
    const now = new Date();
    const { token } = await issueSessionToken(SECRET, claims, 30, now);
    await verifySessionToken(SECRET, token, now);
    const [h, p, s] = token.split('.');
    const forged = JSON.parse(Buffer.from(p, 'base64url').toString());
    forged.sub = '8';
    const tampered = [h, Buffer.from(JSON.stringify(forged)).toString('base64url'), s].join('.');
    expect(await codeOf(verifySessionToken(SECRET, tampered, now))).toBe('session_invalid');
  });

  it('callers cannot change what is remembered', async () => {
    const now = new Date();
    const { token } = await issueSessionToken(SECRET, claims, 30, now);
    const first = await verifySessionToken(SECRET, token, now);
    first.id = 99;
    expect((await verifySessionToken(SECRET, token, now)).id).toBe(7);
  });

  it('the memory is bounded: the oldest token is forgotten, and still verifies from its signature', async () => {
    const now = new Date();
    const { token: oldest } = await issueSessionToken(SECRET, { ...claims, id: 1 }, 30, now);
    await verifySessionToken(SECRET, oldest, now);
    for (let i = 0; i < VERIFIED_TOKENS_MAX; i++) {
      const { token } = await issueSessionToken(SECRET, { ...claims, id: 1000 + i }, 30, now);
      await verifySessionToken(SECRET, token, now);
    }
    expect((await verifySessionToken(SECRET, oldest, now)).id).toBe(1);
  });
});
