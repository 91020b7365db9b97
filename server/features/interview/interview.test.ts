import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InterviewConsent } from '../../kernel/db/entities/InterviewConsent';
import { InterviewAttempt, InterviewSession } from '../../kernel/db/entities/InterviewSession';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { consumeEvents } from '../../kernel/events/consume';
import type { LocalObjectStore } from '../../kernel/integrations/storage/local';
import { checkMedia } from '../../kernel/media/checks';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import {
  completeAndCheck,
  createTestJob,
  giveConsent,
  makeRecordings,
  candidateToken as tokenFor,
} from '../../testing/interview';
import { deleteWithdrawnRecordings, INTERVIEW_DELETION_CONSUMER } from './recordingDeletion';
import { loadSubmittedAnswers } from './submitted';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-interview-'));
let files: Awaited<ReturnType<typeof makeRecordings>>;

beforeAll(async () => {
  files = await makeRecordings(dir);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeEachDialect('AI interview API', (dialect) => {
  let t: TestApp;
  let jobId: number;
  const tokens: Record<string, string> = {};

  const createJob = (slug: string) => createTestJob(t, slug);
  const candidateToken = (name: string, forJob: number) => tokenFor(t, name, forJob);
  const consent = (token: string, opts: { ai?: boolean; personOnly?: boolean } = {}) =>
    giveConsent(t, token, opts);

  /** Uploads a file to a local grant in chunks (resumable protocol). */
  async function upload(grant: any, file: string, chunk = 64 * 1024) {
    const data = fs.readFileSync(file);
    let offset = 0;
    while (offset < data.length) {
      const part = data.subarray(offset, offset + chunk);
      const res = await fetch(`${t.url}${grant.url}`, {
        method: 'PUT',
        headers: {
          'content-type': grant.contentType,
          'upload-offset': String(offset),
          'upload-length': String(data.length),
        },
        body: part,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      offset = Number(res.headers.get('upload-offset'));
    }
  }

  async function record(token: string, answerId: number, file: string, contentType = 'video/webm') {
    const g = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType, bytes: fs.statSync(file).size },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    await upload(g.body.grant, file);
    const done = await completeAndCheck(t, token, answerId, g.body.grant.attempt);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return { grant: g.body.grant, done: done.body };
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE: '25' } });
    jobId = await createJob(`itest-${dialect}`);
    tokens.a = await candidateToken('陈静', jobId);
    tokens.b = await candidateToken('张三', jobId);
  }, 60_000);
  afterAll(async () => t?.close());

  it('start page and notice: company, job, counts, deadline; the notice names what is never evaluated', async () => {
    const o = await t.api('GET', '/api/interview', { token: tokens.a });
    expect(o.status).toBe(200);
    expect(o.body).toMatchObject({
      job: { title: '测试工程师' },
      questionCount: 2,
      hasPractice: true,
      consent: null,
    });
    expect(o.body.deadlineAt).toBeTruthy();
    expect(o.body.notice.hash).toMatch(/^[0-9a-f]{64}$/);
    const never = o.body.notice.sections.find((s: any) => s.id === 'never');
    expect(never.body).toContain('面部');
    const en = await t.api('GET', '/api/interview?locale=en', { token: tokens.a });
    expect(en.body.notice.hash).not.toBe(o.body.notice.hash);
    expect(en.body.notice.sections.find((s: any) => s.id === 'never').body).toContain('emotions');
    // Employees have no interview; strangers' ids are hidden.
    const hr = await t.signInEmployee('hr01');
    expect((await t.api('GET', '/api/interview', { token: hr })).status).toBe(404);
  });

  it('consent gate: no session, no question, no upload before consent; bad consent input changes nothing', async () => {
    const token = await candidateToken('李四', jobId);
    for (const [m, p] of [
      ['POST', '/api/interview/start'],
      ['POST', '/api/interview/next'],
    ] as const) {
      const res = await t.api(m, p, { token, body: {} });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('consent_required');
    }
    const o = await t.api('GET', '/api/interview', { token });
    const good = {
      noticeHash: o.body.notice.hash,
      locale: 'zh-CN',
      videoProcessing: true,
      aiEvaluation: true,
      personOnly: false,
    };
    const cases: Array<[unknown, number, string]> = [
      [{ ...good, videoProcessing: false }, 400, 'consent_video_required'],
      [{ ...good, noticeHash: 'a'.repeat(64) }, 409, 'notice_changed'],
      [{ ...good, noticeHash: 'x' }, 400, 'validation_failed'],
      [{ ...good, extra: 1 }, 400, 'validation_failed'],
      [{ ...good, aiEvaluation: 'yes' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.api('POST', '/api/interview/consent', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    const em = t.orm.em.fork();
    const cand = await em.findOneOrFail(Candidate, { name: '李四' });
    expect(await em.count(InterviewConsent, { candidate: cand })).toBe(0);
    // AI evaluation refused -> person only, recorded on the application.
    const c = await consent(token, { ai: false });
    expect(c).toMatchObject({ personOnly: true, scopes: ['video_processing', 'person_only'] });
    const app = await em.findOneOrFail(Application, { candidate: cand, job: jobId });
    expect(app.personOnly).toBe(true);
    const row = await em.findOneOrFail(InterviewConsent, { candidate: cand });
    expect(row).toMatchObject({ action: 'grant', locale: 'zh-CN', noticeVersion: 'v1' });
    expect(row.noticeHash).toBe(o.body.notice.hash);
    expect(row.userAgent.length).toBeGreaterThan(0);
  });

  it('full flow: practice, recorded answer with one retake, resume, typed answer, submit; stored objects verified', async () => {
    const token = tokens.a;
    await consent(token);
    const s = await t.api('POST', '/api/interview/start', {
      token,
      body: { recorderMime: 'video/webm;codecs=vp8,opus' },
    });
    expect(s.status).toBe(200);
    // Starting moves the pipeline to 面试中 (interview.started), once: a resume changes nothing.
    const started = await t.orm.em
      .fork()
      .findOneOrFail(InterviewSession, { id: s.body.session.id }, { populate: ['application'] });
    expect(started.application.stage).toBe('interviewing');
    const version = started.application.version;
    expect((await t.api('POST', '/api/interview/start', { token, body: {} })).status).toBe(200);
    const afterResume = await t.orm.em.fork().findOneOrFail(Application, { id: started.application.id });
    expect([afterResume.stage, afterResume.version]).toEqual(['interviewing', version]);
    // Practice first: not counted, unlimited retakes.
    const p = await t.api('POST', '/api/interview/next', { token });
    expect(p.body.answer.question.practice).toBe(true);
    expect(p.body.answer.position).toEqual({ k: 0, n: 2 });
    expect(p.body.answer.retakesLeft).toBeNull();
    const pr = await record(token, p.body.answer.id, files.speech);
    expect(pr.done.ok).toBe(true);
    for (let i = 0; i < 2; i++) {
      const again = await t.api('POST', `/api/interview/answers/${p.body.answer.id}/retake`, { token });
      expect(again.status).toBe(200);
      await record(token, p.body.answer.id, files.speech);
    }
    expect((await t.api('POST', `/api/interview/answers/${p.body.answer.id}/accept`, { token })).status).toBe(
      200,
    );

    const q1 = await t.api('POST', '/api/interview/next', { token });
    expect(q1.body.answer.position).toEqual({ k: 1, n: 2 });
    expect(q1.body.answer.thinkSecondsLeft).toBeGreaterThan(0);
    // Moving on before the answer is verified and kept is impossible: next serves the same one.
    const same = await t.api('POST', '/api/interview/next', { token });
    expect(same.body.answer.id).toBe(q1.body.answer.id);
    const id = q1.body.answer.id;
    const first = await record(token, id, files.speech);
    expect(first.done).toMatchObject({ ok: true, durationMs: 3000, flags: [] });
    expect(first.done.answer.state).toBe('verified');
    const retake = await t.api('POST', `/api/interview/answers/${id}/retake`, { token });
    expect(retake.body.answer).toMatchObject({ state: 'retake', retakesUsed: 1, retakesLeft: 0 });
    const second = await record(token, id, files.speech);
    expect(second.done.answer).toMatchObject({ state: 'verified', attempts: 2 });
    const noMore = await t.api('POST', `/api/interview/answers/${id}/retake`, { token });
    expect(noMore.status).toBe(409);
    expect(noMore.body.error.code).toBe('no_retakes_left');
    // Reload in the middle: the overview and next show where the candidate is.
    const mid = await t.api('GET', '/api/interview', { token });
    expect(mid.body.session).toMatchObject({ status: 'open', answered: 0 });
    const resumed = await t.api('POST', '/api/interview/next', { token });
    expect(resumed.body.answer).toMatchObject({ id, state: 'verified', attempts: 2 });
    expect((await t.api('POST', `/api/interview/answers/${id}/accept`, { token })).body.answer.locked).toBe(
      true,
    );
    // Locked: no retake, no new upload.
    expect((await t.api('POST', `/api/interview/answers/${id}/retake`, { token })).body.error.code).toBe(
      'answer_locked',
    );
    const lockedGrant = await t.api('POST', `/api/interview/answers/${id}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });
    expect(lockedGrant.status).toBe(409);

    const q2 = await t.api('POST', '/api/interview/next', { token });
    expect(q2.body.answer.question).toMatchObject({ answerType: 'text', maxChars: 200 });
    const early = await t.api('POST', '/api/interview/submit', { token });
    expect(early.body.error.code).toBe('answers_missing');
    const tooLong = await t.api('POST', `/api/interview/answers/${q2.body.answer.id}/text`, {
      token,
      body: { text: 'x'.repeat(201) },
    });
    expect(tooLong.body.error.code).toBe('answer_too_long');
    const empty = await t.api('POST', `/api/interview/answers/${q2.body.answer.id}/text`, {
      token,
      body: { text: '  ' },
    });
    expect(empty.body.error.code).toBe('answer_empty');
    const txt = await t.api('POST', `/api/interview/answers/${q2.body.answer.id}/text`, {
      token,
      body: { text: '因为我喜欢你们的产品。' },
    });
    expect(txt.body.answer.state).toBe('submitted');
    expect((await t.api('POST', '/api/interview/next', { token })).body).toMatchObject({
      done: true,
      answered: 2,
    });

    const sub = await t.api('POST', '/api/interview/submit', { token });
    expect(sub.body.session.status).toBe('submitted');
    // Idempotent; and a submitted session takes no more answers.
    expect((await t.api('POST', '/api/interview/submit', { token })).body.session.id).toBe(
      sub.body.session.id,
    );
    expect((await t.api('POST', '/api/interview/next', { token })).body.error.code).toBe('session_submitted');

    const em = t.orm.em.fork();
    const handed = await loadSubmittedAnswers(em, sub.body.session.id);
    expect(handed).toMatchObject({ personOnly: false, aiConsent: true });
    expect(handed.answers.map((a) => a.kind)).toEqual(['video', 'text']);
    const video = handed.answers[0];
    const key = video.objectKey as string;
    expect(video).toMatchObject({
      durationMs: 3000,
      contentType: 'video/webm',
      flags: [],
      referenceAnswers: ['描述情境、任务、行动、结果'],
    });
    expect(video.objectKey).toMatch(new RegExp(`^interviews/${sub.body.session.id}/${video.questionId}/2-`));
    // The stored object is the recording: same bytes, same duration.
    const local = t.storage as import('../../kernel/integrations/storage/local').LocalObjectStore;
    expect(fs.readFileSync(local.filePath(key)).equals(fs.readFileSync(files.speech))).toBe(true);
    expect((await checkMedia(local.filePath(key))).durationMs).toBe(3000);
    // A signed download URL works (Range too), a tampered one does not.
    const url = new URL(await t.storage.signedGetUrl(key, 60));
    const got = await fetch(`${t.url}${url.pathname}${url.search}`, { headers: { range: 'bytes=0-3' } });
    expect(got.status).toBe(206);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
    const bad = await fetch(`${t.url}${url.pathname.replace(/\.webm$/, '.mp4')}${url.search}`);
    expect(bad.status).toBe(403);
    expect(
      await em.count(AuditLog, { action: 'interview.submitted', objectId: String(sub.body.session.id) }),
    ).toBe(1);
    // The event is in the outbox for every subscribed consumer (none registered yet is fine).
    const rows = await em.find(OutboxMessage, { topic: 'interview.submitted' });
    for (const r of rows) expect((r.payload as any).data).toMatchObject({ sessionId: sub.body.session.id });
  }, 60_000);

  it('object-level checks: candidate B never touches A’s answers', async () => {
    await consent(tokens.b);
    await t.api('POST', '/api/interview/start', { token: tokens.b, body: {} });
    const em = t.orm.em.fork();
    const a = await em.findOneOrFail(Candidate, { name: '陈静' });
    const attempts = await em.find(
      InterviewAttempt,
      { answer: { session: { candidate: a } } },
      { populate: ['answer'] },
    );
    expect(attempts.length).toBeGreaterThan(0);
    const foreign = attempts[0].answer.id;
    for (const p of ['start', 'retake', 'accept']) {
      const res = await t.api('POST', `/api/interview/answers/${foreign}/${p}`, { token: tokens.b });
      expect(res.status, p).toBe(404);
    }
    const g = await t.api('POST', `/api/interview/answers/${foreign}/grant`, {
      token: tokens.b,
      body: { contentType: 'video/webm', bytes: 5000 },
    });
    expect(g.status).toBe(404);
    const c = await t.api('POST', `/api/interview/answers/${foreign}/complete`, {
      token: tokens.b,
      body: { attempt: 1 },
    });
    expect(c.status).toBe(404);
    // Nor can they read the verdict of another candidate's recording.
    const v = await t.api('GET', `/api/interview/answers/${foreign}/attempts/1`, { token: tokens.b });
    expect(v.status).toBe(404);
    const own = await t.api('GET', `/api/interview/answers/${foreign}/attempts/1`, { token: tokens.a });
    expect(own.status).toBe(200);
    expect(own.body.status).toMatch(/verified|rejected/);
    const hr = await t.signInEmployee('hr01');
    expect((await t.api('GET', `/api/interview/answers/${foreign}/attempts/1`, { token: hr })).status).toBe(
      404,
    );
    const badPath = await t.api('GET', `/api/interview/answers/${foreign}/attempts/x`, { token: tokens.a });
    expect(badPath.status).toBe(400);
    // Without a token nothing is reachable.
    expect((await t.api('POST', `/api/interview/answers/${foreign}/start`)).status).toBe(401);
  });

  it('upload bad input: type, size, empty, expired or tampered grant, another key, broken or silent recording', async () => {
    const token = tokens.b;
    const next = await t.api('POST', '/api/interview/next', { token });
    const id = next.body.answer.id;
    const grantCases: Array<[unknown, number, string]> = [
      [{ contentType: 'application/pdf', bytes: 5000 }, 400, 'unsupported_type'],
      [{ contentType: 'video/webm', bytes: 0 }, 400, 'upload_empty'],
      [{ contentType: 'video/webm', bytes: 400 * 1024 * 1024 }, 413, 'upload_too_large'],
      [{ contentType: 'video/webm', bytes: -1 }, 400, 'validation_failed'],
      [{ contentType: 'video/webm' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of grantCases) {
      const res = await t.api('POST', `/api/interview/answers/${id}/grant`, { token, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (code === 'upload_too_large')
        expect(res.body.error.details).toEqual({ maxMegabytes: expect.any(Number) });
    }
    const g = (
      await t.api('POST', `/api/interview/answers/${id}/grant`, {
        token,
        body: { contentType: 'video/webm', bytes: 5000 },
      })
    ).body.grant;
    expect(g.mode).toBe('local');
    const put = (headers: Record<string, string>, body: Buffer, url = g.url) =>
      fetch(`${t.url}${url}`, { method: 'PUT', headers, body: new Uint8Array(body) });
    const data = fs.readFileSync(files.speech);
    const h = { 'content-type': 'video/webm', 'upload-offset': '0', 'upload-length': String(data.length) };
    const wrongType = await put({ ...h, 'content-type': 'video/mp4' }, data);
    expect(wrongType.status).toBe(415);
    const huge = await put({ ...h, 'upload-length': String(500 * 1024 * 1024) }, data);
    expect(huge.status).toBe(413);
    const over = await put({ ...h, 'upload-length': '2000' }, data);
    expect(over.status).toBe(413);
    const tampered = g.url.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    expect((await put(h, data, tampered)).status).toBe(403);
    // Resume after a drop: half arrives, HEAD says how much, the rest continues from there.
    const half = Math.floor(data.length / 2);
    expect((await put({ ...h }, data.subarray(0, half))).status).toBe(200);
    const wrongOffset = await put({ ...h, 'upload-offset': '0' }, data.subarray(0, 10));
    expect(wrongOffset.status).toBe(409);
    expect(wrongOffset.headers.get('upload-offset')).toBe(String(half));
    const head = await fetch(`${t.url}${g.url}`, { method: 'HEAD' });
    expect(head.headers.get('upload-offset')).toBe(String(half));
    // Completing before the object is whole: nothing is marked received.
    const early = await t.api('POST', `/api/interview/answers/${id}/complete`, {
      token,
      body: { attempt: g.attempt },
    });
    expect(early.body.error.code).toBe('upload_missing');
    // The grant expires; a new grant for the same attempt resumes at the same offset.
    t.clock.now = new Date(Date.now() + 11 * 60_000);
    const expired = await put({ ...h, 'upload-offset': String(half) }, data.subarray(half));
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as any).error.code).toBe('grant_expired');
    const again = await t.api('POST', `/api/interview/answers/${id}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: data.length, resume: true },
    });
    expect(again.body.grant).toMatchObject({ attempt: g.attempt, key: g.key });
    expect(
      (await put({ ...h, 'upload-offset': String(half) }, data.subarray(half), again.body.grant.url)).status,
    ).toBe(200);
    t.clock.now = null;
    // Broken recording: rejected, the candidate records again without losing a retake.
    const whole = await completeAndCheck(t, token, id, g.attempt);
    expect(whole.body).toMatchObject({ status: 'verified', ok: true, durationMs: 3000 });
    expect(
      (await t.api('POST', `/api/interview/answers/${id}/retake`, { token })).body.answer.retakesUsed,
    ).toBe(1);
    const bad = await record(token, id, files.garbage);
    expect(bad.done).toMatchObject({ ok: false, problem: { code: 'recording_broken' } });
    expect(bad.done.answer).toMatchObject({ state: 'answering' });
    // Silent: kept but flagged, and the next retake is free.
    const silent = await record(token, id, files.silent);
    expect(silent.done.ok).toBe(true);
    expect(silent.done.flags).toEqual(expect.arrayContaining(['too_quiet', 'mostly_silent']));
    expect(silent.done.warning.freeRetake).toBe(true);
    const free = await t.api('POST', `/api/interview/answers/${id}/retake`, { token });
    expect(free.body.answer).toMatchObject({ state: 'retake', retakesUsed: 1 });
    // Audio-only recording is accepted as audio.
    const audio = await record(token, id, files.audio, 'audio/webm');
    expect(audio.done).toMatchObject({ ok: true, flags: [] });
  }, 60_000);

  it('late answers are flagged, not dropped; after the deadline nothing new is served', async () => {
    const token = await candidateToken('王五', jobId);
    await consent(token);
    await t.api('POST', '/api/interview/start', { token, body: { audioOnly: true } });
    const base = Date.now();
    t.clock.now = new Date(base);
    const p = await t.api('POST', '/api/interview/next', { token });
    expect(p.body.answer.question.answerType).toBe('audio');
    // Video is refused when the session is audio only.
    const v = await t.api('POST', `/api/interview/answers/${p.body.answer.id}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });
    expect(v.body.error.code).toBe('audio_only');
    // think 5 + answer 20 + grace 15 = 40 s; at 41 s the answer is late.
    t.clock.now = new Date(base + 41_000);
    const late = await record(token, p.body.answer.id, files.audio, 'audio/webm');
    expect(late.done.answer).toMatchObject({ state: 'late', late: true });
    expect(late.done.flags).toContain('late');
    const noRetake = await t.api('POST', `/api/interview/answers/${p.body.answer.id}/retake`, { token });
    expect(noRetake.status).toBe(409);
    expect((await t.api('POST', `/api/interview/answers/${p.body.answer.id}/accept`, { token })).status).toBe(
      200,
    );
    // Deadline: move the application's deadline into the past.
    const em = t.orm.em.fork();
    const cand = await em.findOneOrFail(Candidate, { name: '王五' });
    const app = await em.findOneOrFail(Application, { candidate: cand, job: jobId });
    app.deadlineAt = new Date(base + 60_000);
    await em.flush();
    // A sitting begun before the deadline may run to its end (twice its expected length, see
    // takeMode.test.ts); an hour later it is over, and the deadline applies.
    t.clock.now = new Date(base + 3_600_000);
    const after = await t.api('POST', '/api/interview/next', { token });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('deadline_passed');
    expect(after.body.error.message).toContain('deadline');
    t.clock.now = null;
  }, 60_000);

  it('a plan with a booked AI interview window needs a booking inside it', async () => {
    // The demo jobs have an AI window (PlanSchedule kind ai_interview) and no booking yet; it is
    // taken any time unless the plan says booked.
    const backend = await t.orm.em.fork().findOneOrFail(Job, { slug: 'backend' });
    const em = t.orm.em.fork();
    const stage = await em.findOneOrFail(PlanSchedule, { plan: { job: backend.id }, kind: 'ai_interview' });
    expect(stage.takeMode).toBe('anytime');
    stage.takeMode = 'booked';
    await em.flush();
    const token = await candidateToken('钱七', backend.id);
    await consent(token);
    const res = await t.api('POST', '/api/interview/start', { token, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('booking_required');
  });

  it('DingTalk fallback: a multipart/form-data upload (dd.uploadFile) streams to the granted key', async () => {
    const job = await createJob(`itest-dd-${dialect}`);
    const token = await candidateToken('孙八', job);
    await consent(token);
    await t.api('POST', '/api/interview/start', { token, body: {} });
    const p = await t.api('POST', '/api/interview/next', { token });
    const answerId = p.body.answer.id;
    const data = fs.readFileSync(files.speech);
    const grant = async () =>
      (
        await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
          token,
          body: { contentType: 'video/webm', bytes: data.length },
        })
      ).body.grant;
    // Like dd.uploadFile: formData fields, then the file part (generic type from the bridge), no cookies.
    const post = (
      url: string,
      file: Buffer,
      type = 'application/octet-stream',
      extra: Record<string, string> = {},
    ) => {
      const fd = new FormData();
      fd.append('answerId', String(answerId));
      for (const [k, v] of Object.entries(extra)) fd.append(k, v);
      fd.append('file', new Blob([new Uint8Array(file)], { type }), 'answer.webm');
      return fetch(`${t.url}${url}`, { method: 'POST', body: fd });
    };
    const g = await grant();
    const wrongType = await post(g.url, data, 'text/html');
    expect(wrongType.status).toBe(415);
    const empty = await post(g.url, Buffer.alloc(10, 1));
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.code).toBe('upload_empty');
    const notForm = await fetch(`${t.url}${g.url}`, {
      method: 'POST',
      headers: { 'content-type': 'video/webm' },
      body: new Uint8Array(data),
    });
    expect((await notForm.json()).error.code).toBe('invalid_form');
    // Change one character inside the MAC (never a no-op, unlike overwriting the tail).
    const at = g.url.length - 10;
    const tampered = await post(
      `${g.url.slice(0, at)}${g.url[at] === 'A' ? 'B' : 'A'}${g.url.slice(at + 1)}`,
      data,
    );
    expect(tampered.status).toBe(403);
    // Nothing was stored by the refused requests.
    expect(await t.storage.head(g.key)).toBeNull();

    const ok = await post(g.url, data);
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect((await t.storage.head(g.key))?.size).toBe(data.length);
    expect(fs.readFileSync((t.storage as any).filePath(g.key)).equals(data)).toBe(true);
    const again = await post(g.url, data);
    expect(again.status).toBe(409);
    const done = await completeAndCheck(t, token, answerId, g.attempt);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ ok: true, durationMs: 3000 });
  });

  it('withdrawal stops uploads and queues deletion; grants are rate limited', async () => {
    const token = await candidateToken('赵六', jobId);
    await consent(token);
    await t.api('POST', '/api/interview/start', { token, body: {} });
    const n = await t.api('POST', '/api/interview/next', { token });
    const recorded = await record(token, n.body.answer.id, files.speech);
    const local = t.storage as LocalObjectStore;
    expect(await local.head(recorded.grant.key)).not.toBeNull();
    // A grant is now refused (the answer is verified), and a flood is cut by the limiter. Its
    // windows are whole minutes, so a flood that straddles a minute's end is split between two
    // of them: 2 x 25 + 1 asks always put 26 in one, however slow the machine (it stops at the
    // first 429).
    let limited = 0;
    let asked = 0;
    while (!limited && asked < 2 * 25 + 1) {
      asked++;
      const r = await t.api('POST', `/api/interview/answers/${n.body.answer.id}/grant`, {
        token,
        body: { contentType: 'video/webm', bytes: 5000 },
      });
      if (r.status === 429) limited++;
      else expect(r.status).toBe(409);
    }
    expect(limited).toBe(1);
    // An upload link issued before the withdrawal stops working with it.
    const em0 = t.orm.em.fork();
    const w = await t.api('POST', '/api/interview/consent/withdraw', { token });
    expect(w.status).toBe(200);
    expect((await t.api('POST', '/api/interview/consent/withdraw', { token })).body.error.code).toBe(
      'no_consent',
    );
    const late = await fetch(`${t.url}${recorded.grant.url}`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm', 'upload-offset': '0', 'upload-length': '5000' },
      body: new Uint8Array(5000),
    });
    expect(late.status).toBe(403);
    const res = await t.api('POST', '/api/interview/next', { token });
    expect(res.status).toBe(403);
    const em = t.orm.em.fork();
    const cand = await em.findOneOrFail(Candidate, { name: '赵六' });
    const rows = await em.find(InterviewConsent, { candidate: cand }, { orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.action)).toEqual(['grant', 'withdraw']);
    // The deletion consumer removes the recordings and leaves a tombstone.
    const handled = await consumeEvents<'interview.consent_withdrawn'>(em0, {
      consumer: INTERVIEW_DELETION_CONSUMER,
      workerId: 'test',
      handle: async (event, tx) => {
        await deleteWithdrawnRecordings(event, tx, t.storage);
      },
    });
    expect(handled).toBe(1);
    expect(await local.head(recorded.grant.key)).toBeNull();
    expect(await em.count(AuditLog, { action: 'interview.recordings_deleted' })).toBe(1);
  }, 60_000);
});
