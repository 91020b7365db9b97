import { describe, expect, it } from 'vitest';
import {
  type CallbackCryptoError,
  callbackSignature,
  decryptCallback,
  encryptCallback,
  openCallback,
  sealEvent,
  sealReply,
} from './callbackCrypto';

// The official test vector (dingtalk-reference.md §5a).
const V = {
  token: 'mryue',
  aesKey: 'Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7',
  ownerKey: 'ding6ccabc44d2c8d38b',
  timestamp: '1608001896814',
  nonce: 'WL4PK6yA',
  signature: '03044561471240d4a14bb09372dfcfd4fd0e40cb',
  encrypt:
    '0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchzNukR+t8SB/qk4ROMu3',
};
const secrets = { token: V.token, aesKey: V.aesKey, ownerKey: V.ownerKey };
const query = { msg_signature: V.signature, timestamp: V.timestamp, nonce: V.nonce };

describe('DingTalk callback crypto', () => {
  it('verifies and decrypts the official vector', () => {
    expect(callbackSignature(V.token, V.timestamp, V.nonce, V.encrypt)).toBe(V.signature);
    expect(decryptCallback(secrets, V.encrypt)).toBe('{"EventType":"check_url"}');
    expect(openCallback(secrets, query, V.encrypt, { now: Number(V.timestamp), windowMs: 60_000 })).toEqual({
      EventType: 'check_url',
    });
  });

  it('accepts the old parameter spellings (signature, timeStamp)', () => {
    const old = { signature: V.signature, timeStamp: V.timestamp, nonce: V.nonce };
    expect(openCallback(secrets, old, V.encrypt, { now: Number(V.timestamp), windowMs: 60_000 })).toEqual({
      EventType: 'check_url',
    });
  });

  it('round-trips with padding of every length and the 32-byte block', () => {
    for (let n = 0; n < 70; n++) {
      const msg = JSON.stringify({ s: 'x'.repeat(n) });
      const enc = encryptCallback(secrets, msg);
      expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
      expect(decryptCallback(secrets, enc)).toBe(msg);
    }
  });

  it('rejects a tampered signature, a tampered body, an old timestamp, the wrong owner and a bad key', () => {
    const at = { now: Number(V.timestamp), windowMs: 60_000 };
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as CallbackCryptoError).reason;
      }
      return 'accepted';
    };
    expect(
      reason(() =>
        openCallback(secrets, { ...query, msg_signature: `1${V.signature.slice(1)}` }, V.encrypt, at),
      ),
    ).toBe('bad_signature');
    expect(reason(() => openCallback(secrets, query, `A${V.encrypt.slice(1)}`, at))).toBe('bad_signature');
    expect(reason(() => openCallback(secrets, query, V.encrypt, { ...at, now: at.now + 3_600_000 }))).toBe(
      'stale_timestamp',
    );
    expect(reason(() => openCallback({ ...secrets, ownerKey: 'dingother' }, query, V.encrypt, at))).toBe(
      'owner_mismatch',
    );
    expect(reason(() => decryptCallback({ ...secrets, aesKey: 'short' }, V.encrypt))).toBe('bad_aes_key');
  });

  it('seals replies and events that open again', () => {
    const reply = sealReply(secrets, 'success', 1_700_000_000_000);
    expect(reply.nonce).toHaveLength(16);
    expect(callbackSignature(V.token, reply.timeStamp, reply.nonce, reply.encrypt)).toBe(reply.msg_signature);
    expect(decryptCallback(secrets, reply.encrypt)).toBe('success');
    const ev = sealEvent(secrets, { EventType: 'bpms_instance_change', type: 'finish' }, 1_700_000_000_000);
    expect(
      openCallback(secrets, ev.query, ev.body.encrypt, { now: 1_700_000_000_500, windowMs: 60_000 }),
    ).toEqual({
      EventType: 'bpms_instance_change',
      type: 'finish',
    });
  });
});
