/**
 * A long follow-up recording with OSS storage (sandbox OSS through ali-oss), like an interview
 * answer's: the grant says how large a part is, the recording goes up as a multipart upload
 * (half the parts, a part cut by a drop, resume from ListParts, complete), the stored object is
 * byte for byte the recording and passes the media checks. Another candidate cannot drive the
 * upload, bad input names the field, and once checked the upload is closed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { sessionToken } from '../../testing/booking';
import { makeApplication, makeCandidate, uniq } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { makeRecordings } from '../../testing/interview';
import { recording } from '../../testing/media';
import { followUpMediaCheck } from './mediaCheck';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-followup-oss-'));
let long: string;
beforeAll(async () => {
  const files = await makeRecordings(dir);
  long = await recording(dir, 'long', { seconds: 12, wav: files.wav });
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeEachDialect('a long follow-up recording through OSS multipart', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // Small parts so a 12 s test recording goes up in several (OSS's minimum is 100 KB).
    t = await startTestApp(dialect, { env: { STORAGE_DRIVER: 'oss', UPLOAD_PART_KB: '100' } });
  }, 60_000);
  afterAll(async () => t?.close());

  /** A pending follow-up that takes a video answer, for a new candidate; its id and the candidate's token. */
  async function pendingFollowUp() {
    const em = t.orm.em.fork();
    const candidate = await makeCandidate(em, { name: uniq('候选人') });
    const application = await makeApplication(em, { candidate, stage: 'in_review' });
    const f = em.create(FollowUp, {
      answerId: 800_000_000 + application.id,
      sessionId: 800_000_000 + application.id,
      applicationId: application.id,
      candidateId: candidate.id,
      questionId: 1,
      position: 1,
      questionText: '讲一次你和同事意见不一致的经历。',
      language: 'zh',
      gap: 'role',
      reason: 'only we',
      ruleText: '你本人具体负责了哪一部分？',
      text: '你本人具体负责了哪一部分？',
      phrasedBy: 'rules',
      rulesVersion: 'followup-rules-1',
      status: 'pending',
      answerMode: 'video',
      transcriptAt: new Date(),
      availableAt: new Date(),
    } as never);
    await em.flush();
    return { id: f.id, token: await sessionToken(t, 'candidate', candidate.id) };
  }

  it('half the parts, a drop, resume, complete; the object is the recording and passes the checks', async () => {
    const { id, token } = await pendingFollowUp();
    const data = fs.readFileSync(long);
    const g = await t.api('POST', `/api/followups/${id}/recording`, {
      token,
      body: { contentType: 'video/webm', bytes: data.length },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    expect(g.body.grant).toMatchObject({ mode: 'oss', partBytes: 100 * 1024 });
    expect(data.length).toBeGreaterThan(g.body.grant.partBytes);
    const mp = (body: Record<string, unknown>, as = token) =>
      t.api('POST', `/api/followups/${id}/recording/multipart`, { token: as, body });

    const init = await mp({ op: 'init', bytes: data.length });
    expect(init.status, JSON.stringify(init.body)).toBe(200);
    const { uploadId, partBytes, partCount } = init.body;
    expect(partCount).toBe(Math.ceil(data.length / partBytes));
    expect(partCount).toBeGreaterThanOrEqual(3);
    const slice = (n: number) => data.subarray((n - 1) * partBytes, Math.min(data.length, n * partBytes));
    const put = (url: string, body: Buffer) =>
      fetch(url, { method: 'PUT', headers: { 'Content-Type': 'video/webm' }, body: new Uint8Array(body) });

    // Another candidate cannot drive this upload.
    const other = await pendingFollowUp();
    expect((await mp({ op: 'resume', bytes: data.length, uploadId }, other.token)).status).toBe(404);

    const half = Math.floor(partCount / 2);
    for (let n = 1; n <= half; n++) expect((await put(init.body.urls[n - 1].url, slice(n))).status).toBe(200);
    await put(init.body.urls[half].url, slice(half + 1).subarray(0, 1000));
    const early = await mp({ op: 'complete', bytes: data.length, uploadId });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('parts_missing');
    // Checking the recording before it is assembled: it has not arrived, and nothing changes.
    const notYet = await t.api('POST', `/api/followups/${id}/recording/complete`, { token });
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.code).toBe('upload_missing');

    const resumed = await mp({ op: 'resume', bytes: data.length, uploadId });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body.urls.map((u: { partNumber: number }) => u.partNumber)).toEqual(
      Array.from({ length: partCount - half }, (_, i) => half + 1 + i),
    );
    for (const u of resumed.body.urls) expect((await put(u.url, slice(u.partNumber))).status).toBe(200);
    const joined = await mp({ op: 'complete', bytes: data.length, uploadId });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.completed).toEqual({ bytes: data.length });
    expect((await t.sandbox.ossObject(g.body.grant.key))?.sha256).toBe(sha256(data));

    const done = await t.api('POST', `/api/followups/${id}/recording/complete`, { token });
    expect(done.status, JSON.stringify(done.body)).toBe(202);
    // A worker checks it (ffmpeg reads the object back from OSS through a signed URL).
    expect(await followUpMediaCheck.run(t.runtime.deps, 'oss-test')).toBe(1);
    const checked = await t.api('GET', `/api/followups/${id}/recording`, { token });
    expect(checked.body).toMatchObject({ status: 'verified', ok: true, durationMs: 12000 });
    const row = await t.orm.em.fork().findOneOrFail(FollowUp, { id });
    expect([row.recordingStatus, row.objectKey]).toEqual(['verified', g.body.grant.key]);
    // Checked and handed to transcription: the upload is closed.
    const closed = await mp({ op: 'resume', bytes: data.length, uploadId });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('follow_up_transcribing');
  }, 90_000);

  it('bad input names the field; no grant, no upload', async () => {
    const { id, token } = await pendingFollowUp();
    const mp = (body: Record<string, unknown>) =>
      t.api('POST', `/api/followups/${id}/recording/multipart`, { token, body });
    // Before any grant there is nothing to upload to.
    const none = await mp({ op: 'init', bytes: 500_000 });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('attempt_closed');
    await t.api('POST', `/api/followups/${id}/recording`, {
      token,
      body: { contentType: 'video/webm', bytes: 500_000 },
    });
    const missing = await mp({ op: 'init' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('bytes');
    expect((await mp({ op: 'init', bytes: 10 })).body.error.code).toBe('upload_empty');
    expect((await mp({ op: 'init', bytes: 10 * 1024 ** 3 })).status).toBe(413);
    expect((await mp({ op: 'resume', bytes: 500_000 })).body.error.code).toBe('upload_id_required');
    const bogus = await mp({ op: 'resume', bytes: 500_000, uploadId: 'NOPE' });
    expect(bogus.body.error.code).toBe('upload_not_found');
    const key = await mp({ op: 'init', bytes: 500_000, key: 'followups/1/x.webm' });
    expect(key.status).toBe(400);
    expect(
      (
        await t.api('POST', '/api/followups/999999/recording/multipart', {
          token,
          body: { op: 'init', bytes: 500_000 },
        })
      ).status,
    ).toBe(404);
  }, 60_000);
});
