/**
 * The whole path through the real product: a candidate records and submits an AI interview
 * (interview API, local storage, media checks), the `scoring` worker picks up
 * `interview.submitted`, the sandbox's DashScope returns the registered transcript, and a report
 * appears; a silent recording goes to a person instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Department } from '../../kernel/db/entities/Department';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { AnswerTranscript, InterviewReport, ReviewTask } from '../../kernel/db/entities/Scoring';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken, completeAndCheck, giveConsent, makeRecordings } from '../../testing/interview';
import { runScoringOnce, scoringDeps } from './worker';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-scoring-e2e-'));
let files: Awaited<ReturnType<typeof makeRecordings>>;
beforeAll(async () => {
  files = await makeRecordings(dir);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SPOKEN =
  '当时我负责订单系统的超时问题。首先我看监控和日志，找到根本原因是缺少索引，加索引后延迟降低了一半。';

describeEachDialect('scoring end to end', (dialect) => {
  let t: TestApp;
  let jobId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect, {
      env: { ASR_POLL_MS: '20', RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE: '100' },
    });
    const em = t.orm.em.fork();
    const job = em.create(Job, {
      slug: `score-e2e-${dialect}`,
      title: '后端工程师',
      department: await em.findOneOrFail(Department, { name: '研发中心' }),
    });
    const plan = em.create(InterviewPlan, { job, name: 'e2e' });
    const base = { plan, thinkSeconds: 5, answerSeconds: 20, retakes: 0 };
    em.create(InterviewQuestion, {
      ...base,
      position: 1,
      text: '线上服务出现大量超时，你会如何定位并解决？',
      competencies: ['问题解决'],
    });
    em.create(InterviewQuestion, {
      ...base,
      position: 2,
      text: '讲一次你和同事意见不一致的经历。',
      competencies: ['沟通协作'],
      answerType: 'text',
      maxChars: 300,
    });
    await em.flush();
    jobId = job.id;
  }, 60_000);
  afterAll(async () => t?.close());

  async function interview(name: string, recording: string, typed: string) {
    const token = await candidateToken(t, name, jobId);
    await giveConsent(t, token);
    expect(
      (
        await t.api('POST', '/api/interview/start', {
          token,
          body: { recorderMime: 'video/webm;codecs=vp8,opus' },
        })
      ).status,
    ).toBe(200);
    const q1 = (await t.api('POST', '/api/interview/next', { token })).body.answer;
    const g = await t.api('POST', `/api/interview/answers/${q1.id}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: fs.statSync(recording).size },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    const data = fs.readFileSync(recording);
    const put = await fetch(`${t.url}${g.body.grant.url}`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm', 'upload-offset': '0', 'upload-length': String(data.length) },
      body: data,
    });
    expect(put.status).toBe(200);
    await completeAndCheck(t, token, q1.id, g.body.grant.attempt);
    await t.api('POST', `/api/interview/answers/${q1.id}/accept`, { token });
    const q2 = (await t.api('POST', '/api/interview/next', { token })).body.answer;
    await t.api('POST', `/api/interview/answers/${q2.id}/text`, { token, body: { text: typed } });
    const sub = await t.api('POST', '/api/interview/submit', { token });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    return sub.body.session.id as number;
  }

  it('a submitted interview gets a report; a silent answer goes to human review', async () => {
    // The sandbox does not recognise speech: the test says what the recordings contain.
    await t.sandbox.registerTranscript({ match: 'interviews/', text: SPOKEN, durationMs: 15_000 });
    const typed =
      '我先主动和同事沟通，倾听他的顾虑，再用数据说明风险，最后我们商量出折中方案，达成共识，按期上线。';
    const good = await interview('陈静', files.speech, typed);
    const silent = await interview('张三', files.silent, typed);
    expect(await t.orm.em.fork().count(OutboxMessage, { recipientId: 'scoring', status: 'pending' })).toBe(2);

    const deps = scoringDeps(t.config, t.orm, t.storage);
    expect(await runScoringOnce(t.orm, deps, { workerId: 'e2e', leaseMs: 60_000 })).toBe(2);
    const em = t.orm.em.fork();
    const ok = await em.findOneOrFail(InterviewReport, { sessionId: good });
    expect(ok.overall).toBeGreaterThan(0);
    expect(ok.competencies.map((c) => c.name).sort()).toEqual(['沟通协作', '问题解决']);
    const spoken = await em.findOneOrFail(AnswerTranscript, { sessionId: good, status: 'done' });
    expect(spoken.text).toBe(SPOKEN);

    const bad = await em.findOneOrFail(InterviewReport, { sessionId: silent });
    expect(bad.status).toBe('needs_review');
    expect(
      bad.flags.some((f) => ['no_audio', 'mostly_silent', 'too_quiet', 'empty_transcript'].includes(f)),
    ).toBe(true);
    expect(await em.count(ReviewTask, { report: bad.id, kind: 'quality' })).toBe(1);
    // report.ready reached its consumers for both.
    expect(await em.count(OutboxMessage, { topic: 'report.ready' })).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
