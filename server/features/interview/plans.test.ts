import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { Job } from '../../kernel/db/entities/Job';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken, createTestJob, giveConsent } from '../../testing/interview';

describeEachDialect('interview plan editor and accommodations (HR)', (dialect) => {
  let t: TestApp;
  let hr: string;
  let jobId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    jobId = (await t.orm.em.fork().findOneOrFail(Job, { slug: 'backend' })).id;
  }, 60_000);
  afterAll(async () => t?.close());

  const q = (over: Record<string, unknown> = {}) => ({
    text: '请讲一次你推动跨团队协作的经历。',
    answerType: 'video',
    thinkSeconds: 30,
    answerSeconds: 120,
    retakes: 1,
    competencies: ['沟通协作'],
    indicators: { 沟通协作: ['说明了各方诉求', '给出了具体行动'] },
    referenceAnswers: ['STAR 结构，结果可量化'],
    weight: 2,
    ...over,
  });

  it('lists and edits questions: practice, indicators, reference answers, weight, order', async () => {
    const list = await t.api('GET', '/api/interview-plans', { token: hr });
    expect(list.body.items.find((i: any) => i.jobId === jobId).questions).toBe(3);
    const plan = await t.api('GET', `/api/interview-plans/${jobId}`, { token: hr });
    const [first, second] = plan.body.questions;
    const saved = await t.api('PUT', `/api/interview-plans/${jobId}/questions`, {
      token: hr,
      body: {
        questions: [
          q({ text: '练习：用一分钟介绍你自己。', practice: true, retakes: 0, weight: 0, indicators: {} }),
          q({ id: second.id, text: second.text }),
          q({ id: first.id, text: first.text, answerType: 'text', maxChars: 500 }),
        ],
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.questions.map((x: any) => [x.position, x.practice, x.answerType])).toEqual([
      [1, true, 'video'],
      [2, false, 'video'],
      [3, false, 'text'],
    ]);
    expect(saved.body.questions[1]).toMatchObject({
      id: second.id,
      weight: 2,
      referenceAnswers: ['STAR 结构，结果可量化'],
    });
    // The third original question was removed (nobody answered it).
    expect(await t.orm.em.fork().count(InterviewQuestion, { plan: { job: jobId } })).toBe(3);
  });

  it('bad input names the field and changes nothing; only HR may edit', async () => {
    const before = await t.api('GET', `/api/interview-plans/${jobId}`, { token: hr });
    const cases: Array<[unknown, string]> = [
      [{ questions: [] }, 'body.questions'],
      [{ questions: [q({ answerSeconds: 4 })] }, 'body.questions.0.answerSeconds'],
      [{ questions: [q({ answerType: 'dance' })] }, 'body.questions.0.answerType'],
      [{ questions: [q({ indicators: { 领导力: ['x'] } })] }, 'body.questions.0.indicators.领导力'],
      [{ questions: [q({ practice: true })] }, 'body.questions'],
      [{ questions: [q({ promptMediaKind: 'image' })] }, 'body.questions.0.promptMediaUrl'],
      [
        { questions: [q({ promptMediaKind: 'image', promptMediaUrl: 'http://x/a.png' })] },
        'body.questions.0.promptMediaUrl',
      ],
      [{ questions: [q({ surprise: 1 })] }, 'body.questions.0.surprise'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('PUT', `/api/interview-plans/${jobId}/questions`, { token: hr, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
    }
    const unknown = await t.api('PUT', `/api/interview-plans/${jobId}/questions`, {
      token: hr,
      body: { questions: [q({ id: 999999 })] },
    });
    expect(unknown.body.error.code).toBe('question_unknown');
    const after = await t.api('GET', `/api/interview-plans/${jobId}`, { token: hr });
    expect(after.body).toEqual(before.body);
    const interviewer = await t.signInEmployee('int01');
    expect(
      (
        await t.api('PUT', `/api/interview-plans/${jobId}/questions`, {
          token: interviewer,
          body: { questions: [q()] },
        })
      ).status,
    ).toBe(403);
    expect((await t.api('GET', '/api/interview-plans/999999', { token: hr })).status).toBe(404);
  });

  it('an answered question cannot be removed; accommodations change the candidate’s timing and retakes', async () => {
    // A job without an AI booking window (the demo jobs have one).
    const ownJob = await createTestJob(t, `acc-${dialect}`);
    const token = await candidateToken(t, '陈静', ownJob);
    const em = t.orm.em.fork();
    const cand = await em.findOneOrFail(Candidate, { name: '陈静' });
    const app = await em.findOneOrFail(Application, { candidate: cand, job: ownJob });
    const bad = await t.api('PUT', `/api/interview-plans/accommodations/${app.id}`, {
      token: hr,
      body: { extraTimePercent: 500, extraRetakes: 1, audioOnlyAllowed: true },
    });
    expect(bad.body.error.details[0].field).toBe('body.extraTimePercent');
    const acc = await t.api('PUT', `/api/interview-plans/accommodations/${app.id}`, {
      token: hr,
      body: {
        extraTimePercent: 50,
        extraRetakes: 2,
        audioOnlyAllowed: true,
        note: '视力障碍，需更多阅读时间',
      },
    });
    expect(acc.status).toBe(200);
    expect(await em.count(InterviewAccommodation, { application: app.id })).toBe(1);
    await giveConsent(t, token);
    const started = await t.api('POST', '/api/interview/start', { token, body: {} });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const served = await t.api('POST', '/api/interview/next', { token });
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    // practice: think 5 -> 8, answer 20 -> 30 (+50 %), unlimited retakes.
    expect(served.body.answer).toMatchObject({
      question: { practice: true, thinkSeconds: 8, answerSeconds: 30 },
      retakesLeft: null,
    });
    const overview = await t.api('GET', '/api/interview', { token });
    expect(overview.body.accommodations).toEqual({
      extraTimePercent: 50,
      extraRetakes: 2,
      audioOnlyAllowed: true,
    });
    // The practice question now has an answer: removing it is refused.
    const plan = await t.api('GET', `/api/interview-plans/${ownJob}`, { token: hr });
    const keep = plan.body.questions.filter((x: any) => !x.practice);
    const res = await t.api('PUT', `/api/interview-plans/${ownJob}/questions`, {
      token: hr,
      body: { questions: keep.map(({ position: _p, ...rest }: any) => rest) },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('question_in_use');
  }, 60_000);
});
