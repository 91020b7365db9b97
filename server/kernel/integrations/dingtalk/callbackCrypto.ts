/**
 * DingTalk HTTP callback encryption (dingtalk-reference.md §5a; same algorithm as
 * open-dingtalk/DingTalk-Callback-Crypto): SHA-1 signature over the sorted
 * [token, timestamp, nonce, encrypt], AES-256-CBC with iv = key[0..16), PKCS#7 padding to a
 * 32-byte block, plaintext = random(16) | uint32 BE length | message | ownerKey.
 * Used by the callback route and by the sandbox that delivers events.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Why a callback was refused (mapped to the library's codes in comments). */
export class CallbackCryptoError extends Error {
  constructor(
    readonly reason: 'bad_aes_key' | 'bad_signature' | 'bad_payload' | 'owner_mismatch' | 'stale_timestamp',
    message: string,
  ) {
    super(message);
    this.name = 'CallbackCryptoError';
  }
}

/** The console's settings for one callback subscription. */
export interface CallbackSecrets {
  token: string;
  /** Exactly 43 characters [A-Za-z0-9]. */
  aesKey: string;
  /** AppKey (console subscription), corpId (legacy) or suiteKey (ISV). */
  ownerKey: string;
}

const BLOCK = 32;

function keyOf(aesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(aesKey))
    throw new CallbackCryptoError('bad_aes_key', 'aes_key must be 43 alphanumerics'); // 900004
  const key = Buffer.from(`${aesKey}=`, 'base64');
  if (key.length !== 32) throw new CallbackCryptoError('bad_aes_key', 'aes_key does not decode to 32 bytes');
  return key;
}

/** `sha1_hex(sorted([token, timestamp, nonce, encrypt]).join(''))`. */
export function callbackSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** Encrypts a message for `ownerKey` (the reply, or the sandbox's deliveries). */
export function encryptCallback(secrets: CallbackSecrets, message: string, random = randomBytes(16)): string {
  const key = keyOf(secrets.aesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([random, len, msg, Buffer.from(secrets.ownerKey, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** Decrypts and checks the trailing owner key; returns the message (a JSON string). */
export function decryptCallback(secrets: CallbackSecrets, encrypt: string): string {
  const key = keyOf(secrets.aesKey);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  } catch {
    throw new CallbackCryptoError('bad_payload', 'cannot decrypt');
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || plain.length < 20 + pad)
    throw new CallbackCryptoError('bad_payload', 'bad padding');
  const body = plain.subarray(0, plain.length - pad);
  const len = body.readUInt32BE(16);
  if (20 + len > body.length) throw new CallbackCryptoError('bad_payload', 'bad length');
  const msg = body.subarray(20, 20 + len).toString('utf8');
  const owner = body.subarray(20 + len).toString('utf8');
  if (owner !== secrets.ownerKey) throw new CallbackCryptoError('owner_mismatch', 'owner key mismatch'); // 900010
  return msg;
}

/** Query parameters of a callback request (both spellings DingTalk has used). */
export interface CallbackQuery {
  msg_signature?: string;
  signature?: string;
  timestamp?: string;
  timeStamp?: string;
  nonce?: string;
}

/**
 * Verifies signature and timestamp window, then decrypts. Throws {@link CallbackCryptoError};
 * returns the parsed event object.
 */
export function openCallback(
  secrets: CallbackSecrets,
  query: CallbackQuery,
  encrypt: string,
  opts: { now: number; windowMs: number },
): Record<string, unknown> {
  const signature = query.msg_signature ?? query.signature ?? '';
  const timestamp = query.timestamp ?? query.timeStamp ?? '';
  const nonce = query.nonce ?? '';
  const expected = callbackSignature(secrets.token, timestamp, nonce, encrypt);
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw new CallbackCryptoError('bad_signature', 'signature mismatch'); // 900005/900006
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(opts.now - ts) > opts.windowMs)
    throw new CallbackCryptoError('stale_timestamp', 'timestamp outside the accepted window');
  const msg = decryptCallback(secrets, encrypt);
  try {
    const parsed = JSON.parse(msg) as unknown;
    if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new CallbackCryptoError('bad_payload', 'message is not a JSON object');
  }
}

/** The encrypted, signed reply `{ msg_signature, timeStamp, nonce, encrypt }` for `message` ("success"). */
export function sealReply(secrets: CallbackSecrets, message: string, now: number) {
  const nonce = randomBytes(12).toString('base64url').slice(0, 16);
  const timeStamp = String(now);
  const encrypt = encryptCallback(secrets, message);
  return {
    msg_signature: callbackSignature(secrets.token, timeStamp, nonce, encrypt),
    timeStamp,
    nonce,
    encrypt,
  };
}

/** Seals a request body + query the way DingTalk sends an event (used by the sandbox and tests). */
export function sealEvent(secrets: CallbackSecrets, event: Record<string, unknown>, now: number) {
  const reply = sealReply(secrets, JSON.stringify(event), now);
  return {
    query: { msg_signature: reply.msg_signature, timestamp: reply.timeStamp, nonce: reply.nonce },
    body: { encrypt: reply.encrypt },
  };
}
