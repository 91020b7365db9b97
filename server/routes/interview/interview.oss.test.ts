import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ossState } from '../../../scripts/sandbox/modules/oss';
import { loadSubmittedAnswers } from '../../interview/submitted';
import { checkMedia } from '../../media/checks';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken, createTestJob, giveConsent, makeRecordings } from './testkit';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-interview-oss-'));
let files: Awaited<ReturnType<typeof makeRecordings>>;
beforeAll(async () => {
  files = await makeRecordings(dir);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeEachDialect('AI interview with OSS storage (sandbox OSS through ali-oss)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { STORAGE_DRIVER: 'oss' } });
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
    const done = await t.api('POST', `/api/interview/answers/${answerId}/complete`, {
      token,
      body: { attempt: g.body.grant.attempt },
    });
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
    expect(ossState(t.sandbox.state).objects.has(broken.grant.key)).toBe(false);
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
    const stored = ossState(t.sandbox.state).objects.get(video.objectKey as string);
    expect(stored?.data.equals(fs.readFileSync(files.speech))).toBe(true);
    const probe = await checkMedia(await t.storage.signedGetUrl(video.objectKey as string, 60));
    expect(probe).toMatchObject({ durationMs: 3000, videoCodec: 'vp8', audioCodec: 'opus', flags: [] });
  }, 90_000);
});
