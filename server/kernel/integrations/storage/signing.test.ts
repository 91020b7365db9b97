import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, signToken, verifyToken } from './signing';

describe('storage token signing', () => {
  const key = Buffer.alloc(32, 7);
  const now = Date.now();
  const token = signToken(key, { use: 'upload', exp: Math.floor(now / 1000) + 60 } as never);

  it('accepts the token as issued and refuses every other spelling of its MAC', () => {
    expect(verifyToken(key, token, 'upload', now).ok).toBe(true);
    const [body, mac] = token.split('.');
    // Same decoded bytes, different text: the last character's spare bits changed.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(mac[mac.length - 1]);
    const twin = `${mac.slice(0, -1)}${alphabet[last ^ 0b11]}`;
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    expect(verifyToken(key, `${body}.${twin}`, 'upload', now)).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
    expect(verifyToken(key, `${body}.${mac.slice(0, -2)}xx`, 'upload', now).ok).toBe(mac.endsWith('xx'));
  });

  it('refuses other uses and expired tokens', () => {
    expect(verifyToken(key, token, 'download', now)).toEqual({ ok: false, problem: 'wrong_use' });
    expect(verifyToken(key, token, 'upload', now + 120_000)).toEqual({ ok: false, problem: 'expired' });
  });
});

describe('deriveKey', () => {
  const direct = (secret: string, label: string) =>
    createHmac('sha256', secret).update(`aii-storage:${label}`).digest();

  it('gives the HMAC-derived key of each secret and label, also after many secrets (kept once each)', () => {
    const secrets = Array.from({ length: 150 }, (_, i) => `secret-${i}`);
    for (let round = 0; round < 2; round++)
      for (const secret of secrets)
        for (const label of ['upload', 'get'])
          expect(deriveKey(secret, label).equals(direct(secret, label))).toBe(true);
    expect(deriveKey('a', 'upload').equals(deriveKey('a', 'get'))).toBe(false);
    expect(deriveKey('a', 'upload').equals(deriveKey('b', 'upload'))).toBe(false);
    // A label and secret that would run together in a naive cache key stay apart.
    expect(deriveKey('x', 'ab').equals(deriveKey('bx', 'a'))).toBe(false);
    expect(deriveKey('x', 'ab').equals(direct('x', 'ab'))).toBe(true);
  });
});
