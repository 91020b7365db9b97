import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from './signing';

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
