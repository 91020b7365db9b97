import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkMedia } from '../../kernel/media/checks';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import {
  candidateToken,
  completeAndCheck,
  createTestJob,
  giveConsent,
  makeRecordings,
} from '../../testing/interview';
import { recording } from '../../testing/media';
import { loadSubmittedAnswers } from './submitted';

/** Content hash, to compare an object in the sandbox bucket with the bytes sent. */
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-interview-oss-'));
let files: Awaited<ReturnType<typeof makeRecordings>>;
let long: string;
beforeAll(async () => {
  files = await makeRecordings(dir);
  long = await recording(dir, 'long', { seconds: 12, wav: files.wav });
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeEachDialect('AI interview with OSS storage (sandbox OSS through ali-oss)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // Small parts so a 12 s test recording goes up in several (OSS's minimum is 100 KB).
    t = await startTestApp(dialect, { env: { STORAGE_DRIVER: 'oss', UPLOAD_PART_KB: '100' } });
  }, 60_000);
  afterAll(async () => t?.close());

  /** Uploads like the browser: a form POST straight to OSS with the granted policy. */
  async function postForm(grant: any, file: string, fields: Record<string, string> = {}) {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ ...grant.fields, ...fields })) fd.append(k, v as string);
    fd.append(
      'file',
      new Blob([new Uint8Array(fs.readFileSync(file))], { type: grant.contentType }),
      'answer',
    );
    return fetch(grant.url, { method: 'POST', body: fd });
  }

  async function record(token: string, answerId: number, file: string) {
    const g = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: fs.statSync(file).size },
    });
    expect(g.status).toBe(201);
    expect(g.body.grant).toMatchObject({ mode: 'oss', url: `${t.sandbox.url}/` });
    const up = await postForm(g.body.grant, file);
    expect(up.status, await up.clone().text()).toBe(201);
    const done = await completeAndCheck(t, token, answerId, g.body.grant.attempt);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return { grant: g.body.grant, done: done.body };
  }

  it('records, verifies over signed URLs, retakes and submits; grants bind the key', async () => {
    const jobId = await createTestJob(t, `oss-${dialect}`);
    const token = await candidateToken(t, '陈静', jobId);
    await giveConsent(t, token);
    await t.api('POST', '/api/interview/start', { token, body: {} });
    const p = await t.api('POST', '/api/interview/next', { token });
    const practice = await record(token, p.body.answer.id, files.speech);
    expect(practice.done).toMatchObject({ ok: true, durationMs: 3000 });
    // The policy is for one key: the same form cannot write another key, or a larger file.
    const reuse = await postForm(practice.grant, files.speech, { key: `${practice.grant.key}.evil` });
    expect(reuse.status).toBe(403);
    await t.api('POST', `/api/interview/answers/${p.body.answer.id}/accept`, { token });

    const q1 = await t.api('POST', '/api/interview/next', { token });
    const first = await record(token, q1.body.answer.id, files.speech);
    expect(first.done.ok).toBe(true);
    await t.api('POST', `/api/interview/answers/${q1.body.answer.id}/retake`, { token });
    // A broken file in OSS: rejected and removed; the candidate records again for free.
    const broken = await record(token, q1.body.answer.id, files.garbage);
    expect(broken.done).toMatchObject({ ok: false, problem: { code: 'recording_broken' } });
    expect(await t.sandbox.ossObject(broken.grant.key)).toBeNull();
    const second = await record(token, q1.body.answer.id, files.speech);
    expect(second.done.answer).toMatchObject({ state: 'verified', retakesUsed: 1 });
    await t.api('POST', `/api/interview/answers/${q1.body.answer.id}/accept`, { token });
    const q2 = await t.api('POST', '/api/interview/next', { token });
    await t.api('POST', `/api/interview/answers/${q2.body.answer.id}/text`, {
      token,
      body: { text: '很期待加入。' },
    });
    const sub = await t.api('POST', '/api/interview/submit', { token });
    expect(sub.body.session.status).toBe('submitted');

    const handed = await loadSubmittedAnswers(t.orm.em.fork(), sub.body.session.id);
    const video = handed.answers[0];
    expect(video).toMatchObject({ kind: 'video', durationMs: 3000 });
    // The stored object, fetched back from OSS, has the recorded duration.
    const stored = await t.sandbox.ossObject(video.objectKey as string);
    expect(stored?.sha256).toBe(sha256(fs.readFileSync(files.speech)));
    const probe = await checkMedia(await t.storage.signedGetUrl(video.objectKey as string, 60));
    expect(probe).toMatchObject({ durationMs: 3000, videoCodec: 'vp8', audioCodec: 'opus', flags: [] });
  }, 90_000);

  it('multipart: half the parts, a drop (one part cut), resume from ListParts, complete, verify', async () => {
    const jobId = await createTestJob(t, `oss-mp-${dialect}`);
    const token = await candidateToken(t, '王五', jobId);
    await giveConsent(t, token);
    await t.api('POST', '/api/interview/start', { token, body: {} });
    const p = await t.api('POST', '/api/interview/next', { token });
    const answerId = p.body.answer.id;
    const data = fs.readFileSync(long);
    const g = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: data.length },
    });
    expect(g.body.grant.partBytes).toBe(100 * 1024);
    const { attempt } = g.body.grant;
    const mp = (body: Record<string, unknown>, as = token) =>
      t.api('POST', `/api/interview/answers/${answerId}/multipart`, {
        token: as,
        body: { attempt, ...body },
      });

    const init = await mp({ op: 'init', bytes: data.length });
    expect(init.status, JSON.stringify(init.body)).toBe(200);
    const { uploadId, partBytes, partCount } = init.body;
    expect(partCount).toBe(Math.ceil(data.length / partBytes));
    expect(partCount).toBeGreaterThanOrEqual(3);
    expect(init.body.urls.map((u: any) => u.partNumber)).toEqual(
      Array.from({ length: partCount }, (_, i) => i + 1),
    );
    const slice = (n: number) => data.subarray((n - 1) * partBytes, Math.min(data.length, n * partBytes));
    const put = (url: string, body: Buffer, type = 'video/webm') =>
      fetch(url, { method: 'PUT', headers: { 'Content-Type': type }, body: new Uint8Array(body) });

    // The part URLs are signed for their part, upload id and content type only.
    const url1: string = init.body.urls[0].url;
    expect((await put(url1, slice(1), 'text/html')).status).toBe(403);
    expect((await put(url1.replace('partNumber=1', 'partNumber=2'), slice(2))).status).toBe(403);
    // Another candidate cannot drive this upload.
    const stranger = await candidateToken(t, '陈静', jobId);
    expect((await mp({ op: 'resume', bytes: data.length, uploadId }, stranger)).status).toBe(404);

    // Half the parts arrive; then the network drops in the middle of the next one.
    const half = Math.floor(partCount / 2);
    for (let n = 1; n <= half; n++) expect((await put(init.body.urls[n - 1].url, slice(n))).status).toBe(200);
    await put(init.body.urls[half].url, slice(half + 1).subarray(0, 1000));
    const early = await mp({ op: 'complete', bytes: data.length, uploadId });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('parts_missing');

    // Resume: the server lists the parts OSS has and signs URLs for the missing or cut ones.
    const resumed = await mp({ op: 'resume', bytes: data.length, uploadId });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body.uploaded.map((u: any) => u.partNumber)).toEqual(
      Array.from({ length: half + 1 }, (_, i) => i + 1),
    );
    expect(resumed.body.urls.map((u: any) => u.partNumber)).toEqual(
      Array.from({ length: partCount - half }, (_, i) => half + 1 + i),
    );
    expect(await t.sandbox.ossOps()).toContain('ListParts');
    for (const u of resumed.body.urls) expect((await put(u.url, slice(u.partNumber))).status).toBe(200);
    const joined = await mp({ op: 'complete', bytes: data.length, uploadId });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.completed).toEqual({ bytes: data.length });
    expect((await t.sandbox.ossObject(g.body.grant.key))?.sha256).toBe(sha256(data));

    const done = await completeAndCheck(t, token, answerId, attempt);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ ok: true, durationMs: 12000 });
    // The attempt is closed: no more multipart steps for it.
    expect((await mp({ op: 'resume', bytes: data.length, uploadId })).body.error.code).toBe('attempt_closed');
  }, 90_000);

  it('multipart: bad input is refused with the field named', async () => {
    const jobId = await createTestJob(t, `oss-mp-bad-${dialect}`);
    const token = await candidateToken(t, '王五', jobId);
    await giveConsent(t, token);
    await t.api('POST', '/api/interview/start', { token, body: {} });
    const p = await t.api('POST', '/api/interview/next', { token });
    const answerId = p.body.answer.id;
    const g = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });
    const mp = (body: Record<string, unknown>) =>
      t.api('POST', `/api/interview/answers/${answerId}/multipart`, { token, body });
    const a = g.body.grant.attempt;
    expect((await mp({ attempt: a, op: 'init' })).body.error.code).toBe('bytes_required');
    expect((await mp({ attempt: a, op: 'init', bytes: 10 })).body.error.code).toBe('upload_empty');
    expect((await mp({ attempt: a, op: 'init', bytes: 10 * 1024 ** 3 })).status).toBe(413);
    expect((await mp({ attempt: a, op: 'resume', bytes: 5000 })).body.error.code).toBe('upload_id_required');
    const bogus = await mp({ attempt: a, op: 'resume', bytes: 5000, uploadId: 'NOPE' });
    expect(bogus.body.error.code).toBe('upload_not_found');
    expect((await mp({ attempt: a + 1, op: 'init', bytes: 5000 })).status).toBe(404);
    const extra = await mp({ attempt: a, op: 'init', bytes: 5000, key: 'interviews/1/x' });
    expect(extra.status).toBe(400);
  }, 60_000);
});
