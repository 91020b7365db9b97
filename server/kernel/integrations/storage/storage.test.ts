import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../testing/sandbox';
import { LocalObjectStore, OffsetMismatchError, TooLargeError } from './local';
import { isRegionalEndpoint, OssObjectStore } from './oss';
import { deriveKey, signToken, verifyToken } from './signing';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('signed tokens', () => {
  const key = deriveKey('a-secret-that-is-long-enough-0123456789', 'upload');
  it('verifies, and refuses tampering, expiry, another purpose and another key', () => {
    const now = Date.now();
    const token = signToken(key, {
      use: 'upload',
      key: 'interviews/1/2/3.webm',
      exp: Math.floor(now / 1000) + 60,
    });
    const ok = verifyToken<{ use: string; exp: number; key: string }>(key, token, 'upload', now);
    expect(ok.ok && ok.payload.key).toBe('interviews/1/2/3.webm');
    // Re-pointing the payload at another key breaks the signature.
    const [, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ use: 'upload', key: 'interviews/9/9/9.webm', exp: 9e9 })).toString('base64url')}.${mac}`;
    expect(verifyToken(key, forged, 'upload', now)).toEqual({ ok: false, problem: 'bad_signature' });
    expect(verifyToken(key, token, 'upload', now + 61_000)).toEqual({ ok: false, problem: 'expired' });
    expect(verifyToken(key, token, 'get', now)).toEqual({ ok: false, problem: 'wrong_use' });
    expect(
      verifyToken(deriveKey('another-secret-that-is-long-0123456789', 'upload'), token, 'upload', now),
    ).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
    expect(verifyToken(key, 'garbage', 'upload', now)).toEqual({ ok: false, problem: 'malformed' });
  });
  it('derived keys differ per purpose', () => {
    expect(deriveKey('s'.repeat(40), 'get').equals(deriveKey('s'.repeat(40), 'upload'))).toBe(false);
  });
});

describe('local object store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-store-'));
  const store = new LocalObjectStore(dir, 'http://app.test', 'secret-secret-secret-secret-secret-secret');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('puts, heads, reads ranges, signs URLs and deletes', async () => {
    const info = await store.put(
      'interviews/1/a.txt',
      Readable.from([Buffer.from('hello '), Buffer.from('world')]),
      {
        contentType: 'text/plain',
      },
    );
    expect(info).toMatchObject({ size: 11, contentType: 'text/plain' });
    expect(await store.head('interviews/1/a.txt')).toMatchObject({ size: 11, contentType: 'text/plain' });
    expect(await text(await store.openRead('interviews/1/a.txt', { start: 6, end: 10 }))).toBe('world');
    expect(await store.signedGetUrl('interviews/1/a.txt', 60)).toMatch(
      /^http:\/\/app\.test\/api\/objects\/interviews\/1\/a\.txt\?t=/,
    );
    await store.delete('interviews/1/a.txt');
    expect(await store.head('interviews/1/a.txt')).toBeNull();
    await store.delete('interviews/1/a.txt'); // missing is fine
  });

  it('refuses keys that could escape the folder', async () => {
    for (const bad of ['../x', 'a/../../x', '/abs', 'a//b', '']) {
      await expect(store.head(bad)).rejects.toThrow(/invalid object key/);
    }
  });

  it('resumable chunks: wrong offset, overflow, completion', async () => {
    const key = 'interviews/2/b.webm';
    const opts = { total: 10, contentType: 'video/webm' };
    expect(
      await store.writeChunk(key, { ...opts, offset: 0 }, Readable.from([Buffer.from('01234')])),
    ).toEqual({
      offset: 5,
      complete: false,
    });
    await expect(
      store.writeChunk(key, { ...opts, offset: 0 }, Readable.from([Buffer.from('xx')])),
    ).rejects.toBeInstanceOf(OffsetMismatchError);
    await expect(
      store.writeChunk(key, { ...opts, offset: 5 }, Readable.from([Buffer.from('56789abc')])),
    ).rejects.toBeInstanceOf(TooLargeError);
    // The overflowing chunk was cut; the first five bytes are intact.
    expect(await store.uploadedBytes(key)).toBe(5);
    expect(await store.head(key)).toBeNull();
    expect(
      await store.writeChunk(key, { ...opts, offset: 5 }, Readable.from([Buffer.from('56789')])),
    ).toEqual({
      offset: 10,
      complete: true,
    });
    expect(await store.head(key)).toMatchObject({ size: 10, contentType: 'video/webm' });
    expect(await text(await store.openRead(key))).toBe('0123456789');
  });
});

describe('OSS driver against the sandbox (ali-oss, real HTTP)', () => {
  let sandbox: TestSandbox;
  let store: OssObjectStore;
  // The sandbox bucket and its demo credentials, read from the sandbox itself.
  let oss: { bucket: string; accessKeyId: string; accessKeySecret: string };
  const settings = () => ({
    endpoint: sandbox.url,
    bucket: oss.bucket,
    accessKeyId: oss.accessKeyId,
    accessKeySecret: oss.accessKeySecret,
  });
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    oss = await sandbox.client.ossSettings();
    store = new OssObjectStore(settings());
  });
  afterAll(async () => sandbox?.close());

  it('regional endpoints use the bucket sub-domain; others are cname', () => {
    expect(isRegionalEndpoint('https://oss-cn-hangzhou.aliyuncs.com')).toBe(true);
    expect(isRegionalEndpoint('http://localhost:3900')).toBe(false);
  });

  it('put (buffer and stream), head, ranged read, signed URL, delete', async () => {
    await store.put('interviews/1/x.txt', Buffer.from('hello world'), { contentType: 'text/plain' });
    await store.put('interviews/1/y.txt', Readable.from([Buffer.from('streamed')]), {
      contentType: 'text/plain',
    });
    expect(await store.head('interviews/1/x.txt')).toMatchObject({ size: 11, contentType: 'text/plain' });
    expect(await text(await store.openRead('interviews/1/x.txt', { start: 6, end: 10 }))).toBe('world');
    expect(await text(await store.openRead('interviews/1/y.txt'))).toBe('streamed');
    const url = await store.signedGetUrl('interviews/1/x.txt', 60);
    expect(url).toContain('OSSAccessKeyId=');
    const res = await fetch(url, { headers: { range: 'bytes=0-4' } });
    expect(res.status).toBe(206);
    expect(await res.text()).toBe('hello');
    // A signed URL for one key does not open another.
    const other = url.replace('x.txt', 'y.txt');
    const denied = await fetch(other);
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    // Expired signed URL.
    await sandbox.client.setClockOffset(120_000);
    const late = await fetch(url);
    expect(late.status).toBe(403);
    await sandbox.client.setClockOffset(0);
    await store.delete('interviews/1/x.txt');
    expect(await store.head('interviews/1/x.txt')).toBeNull();
    await store.delete('interviews/1/x.txt');
    await expect(store.openRead('interviews/1/x.txt')).rejects.toMatchObject({
      status: 404,
      code: 'NoSuchKey',
    });
  });

  it('wrong secret or unknown key id is refused with OSS error codes', async () => {
    const bad = new OssObjectStore({ ...settings(), accessKeySecret: 'wrong' });
    await expect(
      bad.put('interviews/1/z.txt', Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const unknown = new OssObjectStore({ ...settings(), accessKeyId: 'nobody' });
    await expect(
      unknown.put('interviews/1/z.txt', Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toMatchObject({
      code: 'InvalidAccessKeyId',
    });
    expect(await sandbox.client.ossObject('interviews/1/z.txt')).toBeNull();
  });

  it('multipart upload: parts, complete, abort', async () => {
    const big = Buffer.alloc(350 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    await store.client.multipartUpload('interviews/1/big.bin', big, {
      partSize: 100 * 1024,
      mime: 'video/webm',
    });
    const ops = await sandbox.client.ossOps();
    expect(ops.filter((o) => o === 'UploadPart').length).toBe(4);
    expect(ops).toContain('CompleteMultipartUpload');
    expect((await sandbox.client.ossObject('interviews/1/big.bin'))?.sha256).toBe(sha256(big));
    const { uploadId } = await store.client.initMultipartUpload('interviews/1/aborted.bin');
    await store.client.abortMultipartUpload('interviews/1/aborted.bin', uploadId);
    await expect(
      store.client.completeMultipartUpload('interviews/1/aborted.bin', uploadId, [{ number: 1, etag: 'x' }]),
    ).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('PostObject: the policy binds key, size range, type and expiry', async () => {
    const form = store.postObjectForm({
      key: 'interviews/7/8/1-abc.webm',
      minBytes: 10,
      maxBytes: 100,
      contentType: 'video/webm',
      ttlSeconds: 300,
    });
    // What the policy says.
    expect(form.policy.conditions).toEqual([
      { bucket: oss.bucket },
      ['content-length-range', 10, 100],
      ['eq', '$key', 'interviews/7/8/1-abc.webm'],
      ['eq', '$Content-Type', 'video/webm'],
    ]);
    expect(Date.parse(form.policy.expiration) - Date.now()).toBeGreaterThan(290_000);
    expect(form.fields).toMatchObject({
      key: 'interviews/7/8/1-abc.webm',
      OSSAccessKeyId: oss.accessKeyId,
    });
    const post = (fields: Record<string, string>, bytes: number, origin?: string) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      fd.append('file', new Blob([Buffer.alloc(bytes, 1)], { type: 'video/webm' }), 'answer.webm');
      return fetch(form.url, { method: 'POST', body: fd, headers: origin ? { origin } : {} });
    };
    const ok = await post(form.fields, 50, 'http://localhost:5173');
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await ok.text()).toContain('<Key>interviews/7/8/1-abc.webm</Key>');
    expect(await store.head('interviews/7/8/1-abc.webm')).toMatchObject({
      size: 50,
      contentType: 'video/webm',
    });
    const otherKey = await post({ ...form.fields, key: 'interviews/7/8/2-evil.webm' }, 50);
    expect(otherKey.status).toBe(403);
    expect(await otherKey.text()).toContain('Policy Condition failed');
    const tooBig = await post(form.fields, 101);
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toContain('<Code>EntityTooLarge</Code>');
    const tooSmall = await post(form.fields, 5);
    expect(await tooSmall.text()).toContain('<Code>EntityTooSmall</Code>');
    const wrongType = await post({ ...form.fields, 'Content-Type': 'text/html' }, 50);
    expect(wrongType.status).toBe(403);
    const forged = await post({ ...form.fields, Signature: 'AAAA' }, 50);
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    await sandbox.client.setClockOffset(301_000);
    const expired = await post(form.fields, 50);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Policy expired');
    await sandbox.client.setClockOffset(0);
    expect(await sandbox.client.ossObject('interviews/7/8/2-evil.webm')).toBeNull();
    // CORS preflight for the browser's form upload.
    const pre = await fetch(form.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
