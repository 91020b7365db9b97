/**
 * Follow-ups through the real product on both dialects: candidates answer an AI interview
 * (typed answers), the scoring worker writes the report, follow-ups are chosen in the same
 * transaction and the candidate is messaged; the candidate lists and answers them (scored on
 * the same rubric); HR reads question, answer, follow-up and follow-up answer together; other
 * people get 404/403; bad input is refused naming the field; HR switches follow-ups off per plan.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Department } from '../../kernel/db/entities/Department';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken, giveConsent } from '../../testing/interview';
import { phraseSessionFollowUps } from './commands';

// A complete STAR answer with figures for question 1 (nothing to ask); "we" only for question 2.
const COMPLETE =
  '去年支付接口大量超时，我先看监控定位到根本原因是慢查询，我对比了加索引和加缓存两个方案，选了加索引，用压测数据验证，失败率从5%降到0.1%，之后我复盘并加了慢查询告警，预防再次发生。';
const WE_ONLY =
  '去年我们团队和产品经理在上线时间上有分歧，我们一起开会讨论，大家用数据说明了风险，最后双方达成共识，推迟一周上线，没有出现事故。';
const FOLLOW_UP_ANSWER =
  '我负责整理风险清单，我主动约产品经理沟通，先倾听了他对上线时间的顾虑，再用上个版本延期三天的数据说服他，最后我们达成共识。';

describeEachDialect('follow-up questions', (dialect) => {
  let t: TestApp;
  let jobId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const job = em.create(Job, {
      slug: `followups-${dialect}`,
      title: '后端工程师',
      department: await em.findOneOrFail(Department, { name: '研发中心' }),
    });
    const plan = em.create(InterviewPlan, { job, name: 'followups' });
    const base = {
      plan,
      thinkSeconds: 5,
      answerSeconds: 60,
      retakes: 0,
      answerType: 'text' as const,
      maxChars: 500,
    };
    em.create(InterviewQuestion, {
      ...base,
      position: 1,
      text: '请讲一次你解决复杂问题的经历。',
      competencies: ['问题解决'],
    });
    em.create(InterviewQuestion, {
      ...base,
      position: 2,
      text: '讲一次你和同事意见不一致的经历。',
      competencies: ['沟通协作'],
    });
    await em.flush();
    jobId = job.id;
  }, 60_000);
  afterAll(async () => t?.close());

  async function interview(name: string, answers: string[]) {
    const token = await candidateToken(t, name, jobId);
    const overview = await t.api('GET', '/api/interview', { token });
    const notice = (overview.body.notice.sections as Array<{ id: string; body: string }>).find(
      (x) => x.id === 'evaluated',
    )?.body;
    await giveConsent(t, token);
    expect(
      (await t.api('POST', '/api/interview/start', { token, body: { recorderMime: 'video/webm' } })).status,
    ).toBe(200);
    for (const text of answers) {
      const q = (await t.api('POST', '/api/interview/next', { token })).body.answer;
      const res = await t.api('POST', `/api/interview/answers/${q.id}/text`, { token, body: { text } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const sub = await t.api('POST', '/api/interview/submit', { token });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    return { token, sessionId: sub.body.session.id as number, notice };
  }
  /** Runs the scoring consumer once, as the worker's timer would. */
  const score = () => {
    const job = t.runtime.jobs.find((j) => j.name === 'consumer.scoring');
    if (!job) throw new Error('consumer.scoring is not registered');
    return job.run(t.deps, 'followups-test') as Promise<number>;
  };

  it('chooses one follow-up where the answer lacks something, and the candidate answers it', async () => {
    const a = await interview('陈静', [COMPLETE, WE_ONLY]);
    // The candidate was told in the notice they consented to.
    expect(a.notice).toContain('追问');
    const none = await t.api('GET', '/api/followups', { token: a.token });
    expect(none.body).toEqual({ items: [], pending: 0 });
    expect(await score()).toBe(1);

    const em = t.orm.em.fork();
    const rows = await em.find(FollowUp, { sessionId: a.sessionId });
    expect(rows.map((r) => [r.position, r.gap])).toEqual([[2, 'role']]);
    expect(rows[0]).toMatchObject({
      phrasedBy: 'rules',
      rulesVersion: 'followup-rules-1',
      status: 'pending',
    });
    expect(rows[0].availableAt.getTime()).toBeGreaterThanOrEqual(rows[0].transcriptAt.getTime());
    // The candidate has left the session (transcription starts on submit): a DingTalk message with the link.
    const msg = await em.find(OutboxMessage, { topic: 'candidate.followups' });
    // One row per channel the candidate is reached on (e.g. the in-app inbox and the gateway).
    expect(msg.length).toBeGreaterThanOrEqual(1);
    for (const m of msg)
      expect(m.payload).toMatchObject({
        template: 'candidate.followups',
        data: { jobTitle: '后端工程师', count: 1 },
      });

    const list = await t.api('GET', '/api/followups', { token: a.token });
    expect(list.status).toBe(200);
    expect(list.body.pending).toBe(1);
    const [item] = list.body.items;
    expect(item).toMatchObject({
      position: 2,
      questionText: '讲一次你和同事意见不一致的经历。',
      status: 'pending',
    });
    expect(item.text).toContain('你本人');
    // What the rules saw stays with HR.
    expect(item).not.toHaveProperty('reason');

    // Bad input: clear error naming the field, nothing changes.
    const empty = await t.api('POST', `/api/followups/${item.id}/answer`, {
      token: a.token,
      body: { text: ' ' },
    });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body.error)).toContain('text');
    const extra = await t.api('POST', `/api/followups/${item.id}/answer`, {
      token: a.token,
      body: { text: 'x', score: 5 },
    });
    expect(extra.status).toBe(400);
    // Another candidate cannot see or answer it; an employee cannot answer at all.
    const b = await interview('张三', [COMPLETE, COMPLETE]);
    expect((await t.api('GET', '/api/followups', { token: b.token })).body.items).toEqual([]);
    const other = await t.api('POST', `/api/followups/${item.id}/answer`, {
      token: b.token,
      body: { text: FOLLOW_UP_ANSWER },
    });
    expect(other.status).toBe(404);
    const hr = await t.signInEmployee('hr01');
    expect(
      (await t.api('POST', `/api/followups/${item.id}/answer`, { token: hr, body: { text: 'x' } })).status,
    ).toBe(403);
    expect((await em.fork().findOneOrFail(FollowUp, { id: item.id })).status).toBe('pending');

    const ans = await t.api('POST', `/api/followups/${item.id}/answer`, {
      token: a.token,
      body: { text: FOLLOW_UP_ANSWER },
    });
    expect(ans.status, JSON.stringify(ans.body)).toBe(200);
    expect(ans.body.followUp).toMatchObject({ status: 'answered', answerText: FOLLOW_UP_ANSWER });
    const again = await t.api('POST', `/api/followups/${item.id}/answer`, {
      token: a.token,
      body: { text: FOLLOW_UP_ANSWER },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('follow_up_answered');
    const stored = await em.fork().findOneOrFail(FollowUp, { id: item.id });
    // Scored on the same rubric (沟通协作) as the question it follows.
    expect(stored.answerScore).toBeGreaterThan(0);
    expect(
      (stored.answerResult as { competencies: Array<{ name: string }> }).competencies.map((c) => c.name),
    ).toEqual(['沟通协作']);

    // HR reads question, answer, follow-up and follow-up answer together.
    const report = await em.fork().findOneOrFail(InterviewReport, { sessionId: a.sessionId });
    const view = await t.api('GET', `/api/followups/reports/${report.id}`, { token: hr });
    expect(view.status).toBe(200);
    expect(view.body.items).toEqual([
      expect.objectContaining({
        position: 2,
        questionText: '讲一次你和同事意见不一致的经历。',
        answerText: WE_ONLY,
        followUp: item.text,
        gap: 'role',
        status: 'answered',
        followUpAnswer: FOLLOW_UP_ANSWER,
        followUpScore: stored.answerScore,
      }),
    ]);
    // An interviewer not assigned to the report gets 404, and so does the candidate (ids cannot be probed).
    const int = await t.signInEmployee('int04');
    expect((await t.api('GET', `/api/followups/reports/${report.id}`, { token: int })).status).toBe(404);
    expect((await t.api('GET', `/api/followups/reports/${report.id}`, { token: a.token })).status).toBe(404);
  }, 120_000);

  it('HR switches follow-ups off per plan: pending ones are withdrawn and new sessions get none', async () => {
    const hr = await t.signInEmployee('hr01');
    expect((await t.api('GET', `/api/followups/plans/${jobId}`, { token: hr })).body).toEqual({
      jobId,
      enabled: true,
    });
    const c = await interview('李四', [WE_ONLY, WE_ONLY]);
    await score();
    expect(await t.orm.em.fork().count(FollowUp, { sessionId: c.sessionId, status: 'pending' })).toBe(2);

    // With an LLM configured (here the sandbox's, which answers only what is registered), the
    // wording is rephrased: kept when its quote is in the transcript, recorded either way.
    await t.sandbox.registerLlmResponse({
      match: WE_ONLY,
      content: JSON.stringify({
        question: '你提到“我们一起开会讨论”，其中你本人具体做了什么？',
        quotes: ['我们一起开会讨论'],
      }),
      model: 'qwen-plus-sandbox',
    });
    const llm = { url: t.sandbox.url, apiKey: 'sk-test', model: 'qwen-plus', timeoutMs: 5000 };
    expect(await phraseSessionFollowUps(t.orm.em.fork(), llm, c.sessionId)).toBe(2);
    const phrased = await t.orm.em.fork().find(FollowUp, { sessionId: c.sessionId });
    for (const f of phrased) {
      expect(f).toMatchObject({
        phrasedBy: 'llm',
        text: '你提到“我们一起开会讨论”，其中你本人具体做了什么？',
      });
      expect(f.ruleText).not.toBe(f.text);
      expect(f.llm).toMatchObject({ promptVersion: 'followup-phrase-1', model: 'qwen-plus-sandbox' });
    }
    // Phrased ones are not asked again.
    expect(await phraseSessionFollowUps(t.orm.em.fork(), llm, c.sessionId)).toBe(0);

    const bad = await t.api('PUT', `/api/followups/plans/${jobId}`, { token: hr, body: { enabled: 'no' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('enabled');
    const cand = await t.api('PUT', `/api/followups/plans/${jobId}`, {
      token: c.token,
      body: { enabled: false },
    });
    expect(cand.status).toBe(403);
    expect(
      (await t.api('PUT', '/api/followups/plans/999999', { token: hr, body: { enabled: false } })).status,
    ).toBe(404);

    const off = await t.api('PUT', `/api/followups/plans/${jobId}`, { token: hr, body: { enabled: false } });
    expect(off.body).toEqual({ jobId, enabled: false });
    expect((await t.api('GET', '/api/followups', { token: c.token })).body).toEqual({
      items: [],
      pending: 0,
    });
    const withdrawn = await t.orm.em.fork().findOneOrFail(FollowUp, { sessionId: c.sessionId, position: 1 });
    expect(
      (
        await t.api('POST', `/api/followups/${withdrawn.id}/answer`, {
          token: c.token,
          body: { text: FOLLOW_UP_ANSWER },
        })
      ).body.error.code,
    ).toBe('follow_up_withdrawn');

    const d = await interview('王五', [WE_ONLY, WE_ONLY]);
    expect(d.notice).not.toContain('追问');
    await score();
    const em = t.orm.em.fork();
    expect(await em.count(InterviewReport, { sessionId: d.sessionId })).toBe(1);
    expect(await em.count(FollowUp, { sessionId: d.sessionId })).toBe(0);
    // Nobody else's candidate is in this test's candidates table twice.
    expect(await em.count(Candidate, { name: '王五' })).toBe(1);
  }, 120_000);
});
