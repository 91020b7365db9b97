/**
 * Follow-up answers recorded like interview answers, through the real product on both
 * dialects: a recorded interview answer gets a follow-up that must be recorded too (typing is
 * refused), the follow-up's recording goes through the same grant -> upload -> complete path
 * and media checks, the worker transcribes it with the sandbox's DashScope (which returns only
 * the registered transcript) and scores it on the question's rubric; a typed question's
 * follow-up stays typed. Bad input, other candidates and silent recordings change nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Department } from '../../kernel/db/entities/Department';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { Job } from '../../kernel/db/entities/Job';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken, completeAndCheck, giveConsent, makeRecordings } from '../../testing/interview';
import { checkClaimedFollowUp, followUpMediaCheck } from './mediaCheck';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-followup-rec-'));
let files: Awaited<ReturnType<typeof makeRecordings>>;
beforeAll(async () => {
  files = await makeRecordings(dir);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// What the sandbox ASR returns for the interview recording: "we" only, no own part.
const SPOKEN =
  '去年我们团队和产品经理在上线时间上有分歧，我们一起开会讨论，大家用数据说明了风险，最后双方达成共识，推迟一周上线。';
const TYPED = '我们团队一起讨论了这个问题，大家分工合作，最后顺利完成了，结果还不错。';
// What the sandbox ASR returns for the follow-up recording.
const FOLLOW_UP_SPOKEN =
  '我负责整理风险清单，我主动约产品经理沟通，先倾听了他对上线时间的顾虑，再用上个版本延期三天的数据说服他，最后我们达成共识。';

describeEachDialect('follow-up answers recorded', (dialect) => {
  let t: TestApp;
  let jobId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect, {
      env: { ASR_POLL_MS: '20', RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE: '100', MEDIA_CHECK_LEASE_SECONDS: '30' },
    });
    const em = t.orm.em.fork();
    const job = em.create(Job, {
      slug: `followup-rec-${dialect}`,
      title: '后端工程师',
      department: await em.findOneOrFail(Department, { name: '研发中心' }),
    });
    const plan = em.create(InterviewPlan, { job, name: 'rec' });
    const base = { plan, thinkSeconds: 5, answerSeconds: 20, retakes: 0 };
    em.create(InterviewQuestion, {
      ...base,
      position: 1,
      text: '讲一次你和同事意见不一致的经历。',
      competencies: ['沟通协作'],
    });
    em.create(InterviewQuestion, {
      ...base,
      position: 2,
      text: '讲一次你和团队合作完成任务的经历。',
      competencies: ['沟通协作'],
      answerType: 'text',
      maxChars: 300,
    });
    await em.flush();
    jobId = job.id;
    await t.sandbox.registerTranscript({ match: 'interviews/', text: SPOKEN, durationMs: 3000 });
    await t.sandbox.registerTranscript({ match: 'followups/', text: FOLLOW_UP_SPOKEN, durationMs: 3000 });
  }, 60_000);
  afterAll(async () => t?.close());

  const put = async (url: string, file: string, type = 'video/webm') => {
    const data = fs.readFileSync(file);
    return fetch(`${t.url}${url}`, {
      method: 'PUT',
      headers: { 'content-type': type, 'upload-offset': '0', 'upload-length': String(data.length) },
      body: data,
    });
  };

  async function interview(name: string) {
    const token = await candidateToken(t, name, jobId);
    await giveConsent(t, token);
    await t.api('POST', '/api/interview/start', {
      token,
      body: { recorderMime: 'video/webm;codecs=vp8,opus' },
    });
    const q1 = (await t.api('POST', '/api/interview/next', { token })).body.answer;
    const g = await t.api('POST', `/api/interview/answers/${q1.id}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: fs.statSync(files.speech).size },
    });
    expect((await put(g.body.grant.url, files.speech)).status).toBe(200);
    await completeAndCheck(t, token, q1.id, g.body.grant.attempt);
    await t.api('POST', `/api/interview/answers/${q1.id}/accept`, { token });
    const q2 = (await t.api('POST', '/api/interview/next', { token })).body.answer;
    await t.api('POST', `/api/interview/answers/${q2.id}/text`, { token, body: { text: TYPED } });
    const sub = await t.api('POST', '/api/interview/submit', { token });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    return { token, sessionId: sub.body.session.id as number };
  }
  const recordingStatus = (token: string, id: number) =>
    t.api('GET', `/api/followups/${id}/recording`, { token });
  const run = (name: string) => {
    const job = t.runtime.jobs.find((j) => j.name === `consumer.${name}`);
    if (!job) throw new Error(`consumer.${name} is not registered`);
    return job.run(t.deps, 'followup-rec-test') as Promise<number>;
  };

  it('a recorded question gets a recorded follow-up: grant, upload, check, ASR, same rubric', async () => {
    const a = await interview('陈静');
    expect(await run('scoring')).toBe(1);
    const list = await t.api('GET', '/api/followups', { token: a.token });
    expect(list.status).toBe(200);
    const byPos = new Map(
      (list.body.items as Array<{ position: number; id: number; answerMode: string; recording: null }>).map(
        (i) => [i.position, i],
      ),
    );
    const video = byPos.get(1);
    const typed = byPos.get(2);
    expect(video).toMatchObject({ answerMode: 'video', recording: null });
    expect(typed).toMatchObject({ answerMode: 'text' });
    if (!video || !typed) throw new Error('expected a follow-up for both questions');

    // Typing a recorded question's follow-up is refused, and nothing changes.
    const typedRefused = await t.api('POST', `/api/followups/${video.id}/answer`, {
      token: a.token,
      body: { text: 'x' },
    });
    expect(typedRefused.status).toBe(400);
    expect(typedRefused.body.error.code).toBe('recorded_answer');
    // A typed question's follow-up takes no recording.
    const noGrant = await t.api('POST', `/api/followups/${typed.id}/recording`, {
      token: a.token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });
    expect(noGrant.status).toBe(400);
    expect(noGrant.body.error.code).toBe('text_answer');

    // Bad grant input names the field; another candidate sees 404; complete before any upload is 409.
    const badType = await t.api('POST', `/api/followups/${video.id}/recording`, {
      token: a.token,
      body: { contentType: 'image/png', bytes: 5000 },
    });
    expect([badType.status, badType.body.error.code]).toEqual([400, 'unsupported_type']);
    expect(badType.body.error.message).toContain('contentType');
    const missing = await t.api('POST', `/api/followups/${video.id}/recording`, {
      token: a.token,
      body: { bytes: 5000 },
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('contentType');
    const other = await candidateToken(t, '王五', jobId);
    expect(
      (
        await t.api('POST', `/api/followups/${video.id}/recording`, {
          token: other,
          body: { contentType: 'video/webm', bytes: 5000 },
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.api('POST', `/api/followups/${video.id}/recording/complete`, { token: a.token })).status,
    ).toBe(409);

    // A silent recording is refused by the same media checks and deleted; the candidate records again.
    const g0 = await t.api('POST', `/api/followups/${video.id}/recording`, {
      token: a.token,
      body: { contentType: 'video/webm', bytes: fs.statSync(files.silent).size },
    });
    expect(g0.status, JSON.stringify(g0.body)).toBe(201);
    expect(g0.body.grant.key).toMatch(new RegExp(`^followups/${video.id}/`));
    expect((await put(g0.body.grant.url, files.silent)).status).toBe(200);
    const c0 = await t.api('POST', `/api/followups/${video.id}/recording/complete`, { token: a.token });
    expect(c0.status).toBe(202);
    expect(c0.body).toMatchObject({ status: 'checking', followUp: { recording: 'checking' } });
    expect(await followUpMediaCheck.run(t.runtime.deps, 'followup-rec-test')).toBe(1);
    expect((await recordingStatus(a.token, video.id)).body).toMatchObject({
      status: 'failed',
      ok: false,
      problem: { code: 'recording_broken' },
    });
    expect(await t.storage.head(g0.body.grant.key)).toBeNull();
    // The old grant no longer accepts bytes.
    expect((await put(g0.body.grant.url, files.speech)).status).toBe(403);

    const g = await t.api('POST', `/api/followups/${video.id}/recording`, {
      token: a.token,
      body: { contentType: 'video/webm', bytes: fs.statSync(files.speech).size },
    });
    expect(g.status).toBe(201);
    expect((await put(g.body.grant.url, files.speech)).status).toBe(200);
    const c = await t.api('POST', `/api/followups/${video.id}/recording/complete`, { token: a.token });
    expect(c.status, JSON.stringify(c.body)).toBe(202);
    expect(c.body).toMatchObject({
      status: 'checking',
      followUp: { status: 'pending', recording: 'checking' },
    });
    expect(await followUpMediaCheck.run(t.runtime.deps, 'followup-rec-test')).toBe(1);
    const checked = await recordingStatus(a.token, video.id);
    expect(checked.body).toMatchObject({ status: 'verified', ok: true });
    expect(checked.body.durationMs).toBeGreaterThan(2000);
    // While it is transcribed: no second grant, no typing, no second complete.
    const again = await t.api('POST', `/api/followups/${video.id}/recording`, {
      token: a.token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'follow_up_transcribing']);

    expect(await run('followups.transcribe')).toBe(1);
    const em = t.orm.em.fork();
    const row = await em.findOneOrFail(FollowUp, { id: video.id });
    expect(row).toMatchObject({
      status: 'answered',
      answerMode: 'video',
      recordingStatus: 'transcribed',
      answerText: FOLLOW_UP_SPOKEN,
    });
    expect(row.transcriptProvider).toMatch(/^dashscope\//);
    // Scored on the question's rubric: the sandbox transcript shows the behaviours the first lacked.
    expect(row.answerScore).toBeGreaterThan(0);
    const competencies = (row.answerResult as { competencies: Array<{ name: string }> }).competencies;
    expect(competencies.map((x) => x.name)).toEqual(['沟通协作']);
    // The sandbox was asked to transcribe the follow-up's own object.
    const tasks = await t.sandbox.asrTasks();
    expect(JSON.stringify(tasks)).toContain(`followups`);

    // The typed follow-up stays typed.
    const typedOk = await t.api('POST', `/api/followups/${typed.id}/answer`, {
      token: a.token,
      body: { text: '我负责协调进度，我每天同步风险，最后提前两天交付。' },
    });
    expect(typedOk.status).toBe(200);

    // The report shows the recorded follow-up answer's transcript with its mode.
    const hr = await t.signInEmployee('hr01');
    const reportId = row.reportId as number;
    const rep = await t.api('GET', `/api/followups/reports/${reportId}`, { token: hr });
    expect(rep.status).toBe(200);
    expect(rep.body.items.find((i: { id: number }) => i.id === video.id)).toMatchObject({
      answerMode: 'video',
      followUpAnswer: FOLLOW_UP_SPOKEN,
      status: 'answered',
    });
    // Answered: no more uploads.
    const late = await t.api('POST', `/api/followups/${video.id}/recording`, {
      token: a.token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });
    expect(late.status).toBe(409);
  }, 120_000);

  /** A candidate's recorded follow-up with `file` uploaded under a fresh grant (not completed). */
  async function uploadedFollowUp(name: string, file: string) {
    const a = await interview(name);
    expect(await run('scoring')).toBe(1);
    const list = await t.api('GET', '/api/followups', { token: a.token });
    const video = (list.body.items as Array<{ id: number; answerMode: string }>).find(
      (i) => i.answerMode === 'video',
    );
    if (!video) throw new Error('expected a recorded follow-up');
    const g = await t.api('POST', `/api/followups/${video.id}/recording`, {
      token: a.token,
      body: { contentType: 'video/webm', bytes: fs.statSync(file).size },
    });
    expect(g.status).toBe(201);
    expect((await put(g.body.grant.url, file)).status).toBe(200);
    return { token: a.token, id: video.id, key: g.body.grant.key as string };
  }
  const complete = (u: { token: string; id: number }) =>
    t.api('POST', `/api/followups/${u.id}/recording/complete`, { token: u.token });

  it("complete answers 202 without checking; a repeat queues nothing; a crashed worker's lease is taken over; then transcription", async () => {
    const u = await uploadedFollowUp('张三', files.speech);
    const first = await complete(u);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'checking', followUp: { recording: 'checking' } });
    // Nothing was probed in the request: no duration, no flags, no transcription queued yet.
    const queued = await t.orm.em.fork().findOneOrFail(FollowUp, { id: u.id });
    expect(queued).toMatchObject({ recordingStatus: 'checking', durationMs: null, checkClaimedBy: null });
    expect(queued.recordingFlags ?? null).toBeNull();
    expect(await run('followups.transcribe')).toBe(0);
    // A double tap: the same state, still one check.
    const again = await complete(u);
    expect([again.status, again.body.status]).toEqual([202, 'checking']);
    // Another candidate neither polls nor completes it.
    const other = await candidateToken(t, '赵六', jobId);
    expect((await recordingStatus(other, u.id)).status).toBe(404);
    expect((await t.api('POST', `/api/followups/${u.id}/recording/complete`, { token: other })).status).toBe(
      404,
    );
    expect((await recordingStatus(u.token, 999_999)).status).toBe(404);
    // Bad id names the field.
    const bad = await t.api('GET', '/api/followups/abc/recording', { token: u.token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('id');

    // A worker claims it and dies: its lease holds for 30 s, then another worker checks it again.
    const [claimed] = await followUpMediaCheck.claim(t.runtime.deps, 'crashed', 10);
    expect(claimed).toBe(u.id);
    try {
      t.clock.advance(29_000);
      expect(await followUpMediaCheck.claim(t.runtime.deps, 'rescuer', 10)).toEqual([]);
      t.clock.advance(2_000);
      expect(await followUpMediaCheck.run(t.runtime.deps, 'rescuer')).toBe(1);
    } finally {
      t.clock.now = null;
    }
    // The crashed worker coming back writes nothing.
    expect(await checkClaimedFollowUp(t.runtime.deps, u.id, 'crashed')).toBe(false);
    expect(await followUpMediaCheck.run(t.runtime.deps, 'rescuer')).toBe(0);
    const v = await recordingStatus(u.token, u.id);
    expect(v.body).toMatchObject({ status: 'verified', ok: true, flags: [] });
    expect(v.body.durationMs).toBeGreaterThan(2000);
    // A repeat after the verdict returns it (200) and queues nothing.
    const late = await complete(u);
    expect([late.status, late.body.status]).toEqual([200, 'verified']);
    // Handed to transcription exactly once.
    expect(await run('followups.transcribe')).toBe(1);
    expect(await run('followups.transcribe')).toBe(0);
    expect((await recordingStatus(u.token, u.id)).body.status).toBe('transcribed');
    const row = await t.orm.em.fork().findOneOrFail(FollowUp, { id: u.id });
    expect(row).toMatchObject({ status: 'answered', answerText: FOLLOW_UP_SPOKEN, checkClaimedBy: null });
    expect((await complete(u)).body.status).toBe('transcribed');
  }, 120_000);

  it('a corrupt recording ends failed with the reason the candidate sees; the object is gone and a new grant works', async () => {
    const u = await uploadedFollowUp('李四', files.garbage);
    expect((await complete(u)).status).toBe(202);
    expect(await followUpMediaCheck.run(t.runtime.deps, 'w1')).toBe(1);
    const v = await recordingStatus(u.token, u.id);
    expect(v.body).toEqual({
      status: 'failed',
      ok: false,
      problem: { code: 'recording_broken', message: expect.stringContaining('record again') },
    });
    expect(await t.storage.head(u.key)).toBeNull();
    // Nothing is transcribed; the list says record again; a repeat complete says the same.
    expect(await run('followups.transcribe')).toBe(0);
    const list = await t.api('GET', '/api/followups', { token: u.token });
    expect(list.body.items.find((i: { id: number }) => i.id === u.id)).toMatchObject({
      status: 'pending',
      recording: 'failed',
    });
    expect((await complete(u)).body).toMatchObject({
      status: 'failed',
      problem: { code: 'recording_broken' },
    });
    const g = await t.api('POST', `/api/followups/${u.id}/recording`, {
      token: u.token,
      body: { contentType: 'video/webm', bytes: fs.statSync(files.speech).size },
    });
    expect(g.status).toBe(201);
    expect((await recordingStatus(u.token, u.id)).body).toEqual({ status: 'granted' });
  }, 120_000);
});
