/**
 * The summary report (面试总结报告): the arithmetic against a hand computation, and the route
 * through the real app on both dialects: two interviewers rate, HR and the department's manager
 * see both raters with the combined score, its rule and the disagreement flag; an interviewer
 * sees only their own rating (and no people's average); candidates and unassigned interviewers
 * get 404; HR changes the weights per job (bad input names the field, nothing changes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Department } from '../../kernel/db/entities/Department';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { Job } from '../../kernel/db/entities/Job';
import { LiveScorecard } from '../../kernel/db/entities/LiveScorecard';
import { ReviewAssignment } from '../../kernel/db/entities/Scoring';
import { SummaryRules } from '../../kernel/db/entities/SummaryRules';
import { User } from '../../kernel/db/entities/User';
import { type RunningJobs, startJobs } from '../../kernel/jobs/registry';
import { sessionToken } from '../../testing/booking';
import {
  makeApplication,
  makeBooking,
  makeCandidate,
  makeJob,
  makeReport,
  uniq,
} from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { approvalForm } from '../../testing/sandboxClient';
import { DEFAULT_SUMMARY_RULES, peopleRuleText, ratingTo100, summarise } from './combine';
import { summaryFormText } from './formText';

const base = {
  aiWeight: 40,
  disagreementPoints: 25,
  passThreshold: 75,
  rejectThreshold: 50,
  needsReview: false,
  personOnly: false,
};

describe('summary arithmetic', () => {
  it('maps ratings to 0-100, one score per rater, weights AI vs people as the rule says', () => {
    expect([1, 2, 3, 4, 5].map(ratingTo100)).toEqual([0, 25, 50, 75, 100]);
    // By hand: rater A (5, 4) -> (100 + 75) / 2 = 87.5; rater B (2, 3) -> (25 + 50) / 2 = 37.5;
    // people = (87.5 + 37.5) / 2 = 62.5; combined = 0.4 x 80 + 0.6 x 62.5 = 32 + 37.5 = 69.5.
    const s = summarise({
      ...base,
      ai: 80,
      raters: [
        {
          key: 'r1',
          source: 'report',
          ratings: [
            { competency: '沟通协作', score: 5 },
            { competency: '问题解决', score: 4 },
          ],
        },
        {
          key: 'r2',
          source: 'report',
          ratings: [
            { competency: '沟通协作', score: 2 },
            { competency: '问题解决', score: 3 },
          ],
        },
      ],
    });
    expect(s.raterScores.get('r1')).toBe(87.5);
    expect(s.raterScores.get('r2')).toBe(37.5);
    expect(s.people).toBe(62.5);
    expect(s.combined).toBe(69.5);
    expect(s.formula).toBe('AI 40% × 80 + 人工 60% × 62.5 = 69.5');
    // 沟通协作 100 vs 25 (75 apart) and 问题解决 75 vs 50 (25 apart, at the threshold) are flagged;
    // AI 80 vs people 62.5 (17.5) is not.
    expect(s.disagreements).toEqual([
      { kind: 'raters', competency: '沟通协作', low: 25, high: 100, spread: 75 },
      { kind: 'raters', competency: '问题解决', low: 50, high: 75, spread: 25 },
    ]);
    expect(s.suggestion).toBe('second_round');
    expect(s.reasons.map((r) => r.key)).toEqual(['combined_between', 'raters_disagree']);
  });

  it('a rater with more competencies counts once; agreement and a high score suggest 录用', () => {
    const s = summarise({
      ...base,
      ai: 90,
      raters: [
        {
          key: 'r1',
          source: 'report',
          ratings: [
            { competency: 'a', score: 5 },
            { competency: 'b', score: 5 },
            { competency: 'c', score: 3 },
          ],
        },
        { key: 'r2', source: 'report', ratings: [{ competency: 'a', score: 5 }] },
      ],
    });
    // Rater 1: (100 + 100 + 50) / 3 = 83.3; rater 2: 100; people = 91.7 (not (100+100+50+100)/4 = 87.5).
    expect(s.people).toBe(91.7);
    expect(s.combined).toBe(Math.round((0.4 * 90 + 0.6 * 91.65) * 10) / 10);
    expect(s.disagreements).toEqual([]);
    expect(s.suggestion).toBe('hire');
  });

  it('the AI alone never suggests 录用 or 不录用; a report sent to a person caps at 复试', () => {
    const high = summarise({ ...base, ai: 95, raters: [] });
    expect([high.combined, high.suggestion]).toEqual([95, 'second_round']);
    expect(high.reasons.map((r) => r.key)).toContain('no_human_ratings');
    const low = summarise({ ...base, ai: 20, raters: [] });
    expect(low.suggestion).toBe('second_round');
    const review = summarise({
      ...base,
      ai: 90,
      needsReview: true,
      raters: [{ key: 'r1', source: 'report', ratings: [{ competency: 'a', score: 5 }] }],
    });
    expect(review.suggestion).toBe('second_round');
    const reject = summarise({
      ...base,
      ai: 30,
      raters: [{ key: 'r1', source: 'report', ratings: [{ competency: 'a', score: 1 }] }],
    });
    // 0.4 x 30 + 0.6 x 0 = 12 < 50; AI 30 vs people 0 is 30 apart: flagged but still 不录用 (a suggestion).
    expect([reject.combined, reject.suggestion]).toEqual([12, 'reject']);
    expect(reject.disagreements.map((d) => d.kind)).toEqual(['ai_vs_people']);
    expect(DEFAULT_SUMMARY_RULES).toEqual({ aiWeight: 40, disagreementPoints: 25 });
  });
});

describe('live-round scorecards in the combined score', () => {
  it('each submitted scorecard is one more assessment in the people part and in the flags', () => {
    const reportOnly = [
      {
        key: 'report:1',
        source: 'report' as const,
        ratings: [
          { competency: '沟通协作', score: 5 },
          { competency: '问题解决', score: 4 },
        ],
      },
    ];
    // By hand, the report rating alone: (100 + 75) / 2 = 87.5; 0.4 x 80 + 0.6 x 87.5 = 84.5 >= 75: 录用.
    const before = summarise({ ...base, ai: 80, raters: reportOnly });
    expect([before.people, before.combined, before.suggestion]).toEqual([87.5, 84.5, 'hire']);
    expect(before.sources).toEqual({ reportRatings: 1, liveScorecards: 0 });
    const s = summarise({
      ...base,
      ai: 80,
      raters: [
        ...reportOnly,
        {
          key: 'live:7:2',
          source: 'live_round',
          ratings: [
            { competency: '沟通协作', score: 3 },
            { competency: '问题解决', score: 3 },
          ],
        },
        {
          key: 'live:7:3',
          source: 'live_round',
          ratings: [
            { competency: '沟通协作', score: 4 },
            { competency: '问题解决', score: 5 },
          ],
        },
      ],
    });
    // Scorecards: (50 + 50) / 2 = 50 and (75 + 100) / 2 = 87.5. People = (87.5 + 50 + 87.5) / 3 = 75;
    // combined = 0.4 x 80 + 0.6 x 75 = 32 + 45 = 77.
    expect(s.raterScores.get('live:7:2')).toBe(50);
    expect(s.raterScores.get('live:7:3')).toBe(87.5);
    expect([s.people, s.combined]).toEqual([75, 77]);
    expect(s.sources).toEqual({ reportRatings: 1, liveScorecards: 2 });
    expect(s.formula).toBe('AI 40% × 80 + 人工 60% × 75 = 77');
    // 沟通协作 100 / 50 / 75 and 问题解决 75 / 50 / 100: both 50 apart, flagged; 77 passes but a
    // disagreement caps the suggestion at 复试.
    expect(s.disagreements.map((d) => [d.competency, d.low, d.high])).toEqual([
      ['沟通协作', 50, 100],
      ['问题解决', 50, 100],
    ]);
    expect(s.suggestion).toBe('second_round');
    expect(peopleRuleText(s.sources)).toBe(
      '人工 = 3 份评分的平均（报告评分 1 份，现场面试评分卡 2 份；每份取各能力 1-5 分折算为 0-100 后的平均：1→0，3→50，5→100；评分卡草稿不计）',
    );
  });
});

describe('the summary as the 录用 form words it', () => {
  it('no one has rated and no AI score: says so instead of inventing numbers', () => {
    const rules = { jobId: 1, aiWeight: 40, disagreementPoints: 25, custom: false };
    const s = summarise({ ...base, ai: null, personOnly: true, raters: [] });
    expect(summaryFormText(s, [], [], rules, null)).toEqual({
      AI综合评分: '（仅人工评估）',
      综合评分: '—',
      综合评分规则: '—（默认权重）\n人工：尚无评分（现场面试评分卡只计已提交的）\n分歧提示阈值：25 分',
      人工评分: '尚无人工评分',
      总结建议:
        '复试（建议，仅供参考，由人决定）\n· 尚无人工评分，不能只凭 AI 给出录用或不录用建议\n· 候选人选择仅由人工评估',
      待跟进事项: '无',
    });
  });
});

describeEachDialect('summary report route', (dialect) => {
  let t: TestApp;
  let reportId: number;
  let jobId: number;
  const tokens = {} as Record<'hr' | 'manager' | 'int01' | 'int02' | 'int03' | 'candidate', string>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const department = await em.findOneOrFail(Department, { name: '研发中心' });
    const job = em.create(Job, { slug: uniq('summary'), title: '后端工程师', department });
    await em.flush();
    jobId = job.id;
    const candidate = await makeCandidate(em, { name: uniq('候选人') });
    const application = await makeApplication(em, { job, candidate, stage: 'in_review' });
    const report = await makeReport(em, {
      application,
      overall: 80,
      competencies: [
        {
          name: '沟通协作',
          score: 80,
          evidence: [{ answerId: 1, quote: '我主动约产品经理沟通', indicator: '主动沟通', start: 0, end: 9 }],
          matched: ['主动沟通'],
          missing: [],
        },
        { name: '问题解决', score: 80, evidence: [], matched: [], missing: [] },
      ],
    });
    reportId = report.id;
    const user = (id: string) => em.findOneOrFail(User, { dingtalkUserId: id });
    for (const id of ['int01', 'int02'])
      em.create(ReviewAssignment, { application, reviewer: await user(id) } as never);
    em.create(FollowUp, {
      answerId: 900_000_000 + report.id,
      sessionId: report.sessionId,
      applicationId: application.id,
      candidateId: candidate.id,
      reportId: report.id,
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
      transcriptAt: new Date(),
      availableAt: new Date(),
    } as never);
    await em.flush();
    tokens.hr = await sessionToken(t, 'employee', (await user('hr01')).id);
    tokens.manager = await sessionToken(t, 'employee', (await user('mgr01')).id);
    tokens.int01 = await sessionToken(t, 'employee', (await user('int01')).id);
    tokens.int02 = await sessionToken(t, 'employee', (await user('int02')).id);
    tokens.int03 = await sessionToken(t, 'employee', (await user('int03')).id);
    tokens.candidate = await sessionToken(t, 'candidate', candidate.id);
    const rate = async (token: string, a: number, b: number, comment: string) => {
      const res = await t.api('PUT', `/api/reports/${reportId}/ratings`, {
        token,
        body: {
          ratings: [
            { competency: '沟通协作', score: a },
            { competency: '问题解决', score: b },
          ],
          comment,
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    };
    await rate(tokens.int01, 5, 4, '沟通主动，例子具体');
    await rate(tokens.int02, 2, 3, '没讲清自己的角色');
  }, 60_000);
  afterAll(async () => t?.close());

  const get = (token: string) => t.api('GET', `/api/summary/reports/${reportId}`, { token });

  it('HR and the manager see every rater, the combined score with its rule and the disagreement', async () => {
    for (const who of ['hr', 'manager'] as const) {
      const res = await get(tokens[who]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const b = res.body;
      expect(b.allRaters).toBe(true);
      expect(b.raters.map((r: { score: number; comment: string }) => [r.score, r.comment])).toEqual([
        [87.5, '沟通主动，例子具体'],
        [37.5, '没讲清自己的角色'],
      ]);
      expect(b.combined).toEqual({
        score: 69.5,
        ai: 80,
        people: 62.5,
        aiWeight: 40,
        custom: false,
        formula: 'AI 40% × 80 + 人工 60% × 62.5 = 69.5',
        sources: { reportRatings: 2, liveScorecards: 0 },
      });
      expect(b.raters.map((r: { source: string }) => r.source)).toEqual(['report', 'report']);
      // Stage in_review: no 录用 approval from here yet.
      expect(b.canRequestOffer).toBe(false);
      expect(b.disagreement.flagged).toBe(true);
      expect(b.disagreement.items.map((d: { competency: string }) => d.competency)).toEqual([
        '沟通协作',
        '问题解决',
      ]);
      expect(b.suggestion.value).toBe('second_round');
      expect(b.ai.competencies[0].evidence[0].quote).toBe('我主动约产品经理沟通');
      expect(b.followUps).toEqual([
        { kind: 'open_question', text: '你本人具体负责了哪一部分？', detail: 'unanswered' },
        { kind: 'reference', text: null, detail: null },
      ]);
    }
  });

  it('an interviewer sees only their own rating; others and candidates get 404', async () => {
    const own = await get(tokens.int02);
    expect(own.status).toBe(200);
    expect(own.body.allRaters).toBe(false);
    expect(own.body.raterCount).toBe(2);
    expect(own.body.raters).toHaveLength(1);
    expect(own.body.raters[0]).toMatchObject({ mine: true, score: 37.5, comment: '没讲清自己的角色' });
    // No way to read the other rater's numbers back out of the average or the flags.
    expect(own.body.combined.people).toBeNull();
    expect(own.body.combined.formula).toBe('AI 40% + 人工 60%');
    expect(own.body.combined.sources).toBeNull();
    expect(own.body.disagreement.items).toEqual([]);
    expect((await get(tokens.int03)).status).toBe(404);
    expect((await get(tokens.candidate)).status).toBe(404);
    expect((await t.api('GET', '/api/summary/reports/999999', { token: tokens.hr })).status).toBe(404);
    expect((await t.api('GET', '/api/summary/reports/abc', { token: tokens.hr })).status).toBe(400);
  });

  it('HR sets the weights per job; bad input names the field and changes nothing', async () => {
    const bad = await t.api('PUT', `/api/summary/jobs/${jobId}/rules`, {
      token: tokens.hr,
      body: { aiWeight: 150, disagreementPoints: 25 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('aiWeight');
    const unknown = await t.api('PUT', `/api/summary/jobs/${jobId}/rules`, {
      token: tokens.hr,
      body: { aiWeight: 50, disagreementPoints: 25, extra: 1 },
    });
    expect(unknown.status).toBe(400);
    const byInterviewer = await t.api('PUT', `/api/summary/jobs/${jobId}/rules`, {
      token: tokens.int01,
      body: { aiWeight: 100, disagreementPoints: 25 },
    });
    expect(byInterviewer.status).toBe(403);
    expect(await t.orm.em.fork().count(SummaryRules, { jobId })).toBe(0);

    const ok = await t.api('PUT', `/api/summary/jobs/${jobId}/rules`, {
      token: tokens.hr,
      body: { aiWeight: 100, disagreementPoints: 80 },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ jobId, aiWeight: 100, disagreementPoints: 80, custom: true });
    const b = (await get(tokens.hr)).body;
    // AI only: 80 >= 75, and no pair of raters is 80 apart (沟通协作 is 75): 录用 suggested.
    expect(b.combined).toMatchObject({ score: 80, aiWeight: 100, custom: true });
    expect(b.combined.formula).toBe('AI 100% × 80 + 人工 0% × 62.5 = 80');
    expect(b.disagreement).toMatchObject({ threshold: 80, flagged: false });
    expect(b.suggestion.value).toBe('hire');
    expect((await t.api('GET', `/api/summary/jobs/${jobId}/rules`, { token: tokens.hr })).body.aiWeight).toBe(
      100,
    );
  });
});

describeEachDialect('live scorecards in the summary and the 录用 approval filled from it', (dialect) => {
  let t: TestApp;
  let runner: RunningJobs;
  let reportId: number;
  let applicationId: number;
  let bookingId: number;
  const tokens = {} as Record<'hr' | 'manager' | 'int01' | 'int02', string>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    // The worker's jobs without timers: the test wakes the approval starter itself.
    runner = startJobs(t.runtime.jobs, t.deps, ['worker'], { timers: false });
    const em = t.orm.em.fork();
    const user = (id: string) => em.findOneOrFail(User, { dingtalkUserId: id });
    const [int01, int02, int03, mgr01] = await Promise.all(['int01', 'int02', 'int03', 'mgr01'].map(user));
    const job = await makeJob(em, {
      title: uniq('支付后端'),
      department: await em.findOneOrFail(Department, { name: '研发中心' }),
      hiringManager: mgr01,
      questions: [
        { text: '讲一次你解决难题的经历。', competencies: ['问题解决'] },
        { text: '讲一次意见不一致的经历。', competencies: ['沟通协作'] },
      ],
    });
    const candidate = await makeCandidate(em, { name: uniq('候选人') });
    const application = await makeApplication(em, { job, candidate, stage: 'second_round_booked' });
    applicationId = application.id;
    const report = await makeReport(em, { application, overall: 80, scores: { 问题解决: 80, 沟通协作: 80 } });
    reportId = report.id;
    em.create(ReviewAssignment, { application, reviewer: int01 } as never);
    await em.flush();
    const booking = await makeBooking(em, {
      application,
      kind: 'second_round',
      interviewer: int02,
      startAt: new Date(Date.now() - 2 * 3_600_000),
    });
    bookingId = booking.id;
    for (const who of ['hr01', 'mgr01', 'int01', 'int02'] as const)
      tokens[who === 'hr01' ? 'hr' : who === 'mgr01' ? 'manager' : who] = await t.signInEmployee(who);

    // int01 rates the AI interview's report: (5, 4) -> 87.5.
    const rated = await t.api('PUT', `/api/reports/${reportId}/ratings`, {
      token: tokens.int01,
      body: {
        ratings: [
          { competency: '沟通协作', score: 5 },
          { competency: '问题解决', score: 4 },
        ],
        comment: '录像里例子具体',
      },
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    // The interviewer and the hiring manager score the live round and submit.
    const score = async (token: string, comm: number, prob: number, notes: string) => {
      const put = await t.api('PUT', `/api/liveround/${bookingId}/scorecard`, {
        token,
        body: {
          ratings: [
            { competency: '沟通协作', score: comm },
            { competency: '问题解决', score: prob },
          ],
          notes,
        },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const sub = await t.api('POST', `/api/liveround/${bookingId}/scorecard/submit`, { token });
      expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    };
    await score(tokens.int02, 3, 3, '现场回答一般');
    await score(tokens.manager, 4, 5, '现场表现好');
    // A draft (never submitted) of a third person: it must not count anywhere.
    em.create(LiveScorecard, {
      bookingId,
      applicationId,
      jobId: job.id,
      raterId: int03.id,
      ratings: [
        { competency: '沟通协作', score: 1, note: '' },
        { competency: '问题解决', score: 1, note: '' },
      ],
      notes: '草稿',
    });
    await em.flush();
  }, 90_000);
  afterAll(async () => {
    await runner?.stop();
    await t?.close();
  });

  const get = (token: string) => t.api('GET', `/api/summary/reports/${reportId}`, { token });

  it('HR sees the report rating and both submitted scorecards in the combined score; the draft never counts', async () => {
    const b = (await get(tokens.hr)).body;
    // By hand: 87.5 (report), (50 + 50) / 2 = 50 and (75 + 100) / 2 = 87.5 (scorecards);
    // people = 225 / 3 = 75; combined = 0.4 x 80 + 0.6 x 75 = 77. With the draft's 0 it would be 62.5.
    expect(
      b.raters.map((r: { source: string; score: number; comment: string }) => [r.source, r.score, r.comment]),
    ).toEqual([
      ['report', 87.5, '录像里例子具体'],
      ['live_round', 50, '现场回答一般'],
      ['live_round', 87.5, '现场表现好'],
    ]);
    expect(b.combined).toMatchObject({
      score: 77,
      people: 75,
      formula: 'AI 40% × 80 + 人工 60% × 75 = 77',
      sources: { reportRatings: 1, liveScorecards: 2 },
    });
    expect(
      b.disagreement.items.map((d: { competency: string; spread: number }) => [d.competency, d.spread]),
    ).toEqual([
      ['沟通协作', 50],
      ['问题解决', 50],
    ]);
    expect(b.suggestion.value).toBe('second_round');
    expect(b.canRequestOffer).toBe(false); // still in the second round
    // The interviewer sees only their own scorecard.
    const own = (await get(tokens.int02)).body;
    expect(own.raters.map((r: { source: string; score: number }) => [r.source, r.score])).toEqual([
      ['live_round', 50],
    ]);
    expect(own.raterCount).toBe(3);
    expect(own.canRequestOffer).toBe(false);
  });

  it('HR starts the 录用 approval from the summary: the form DingTalk received carries the summary', async () => {
    const app = await t.orm.em.fork().findOneOrFail(Application, { id: applicationId });
    const done = await t.api('POST', `/api/applications/${applicationId}/decisions`, {
      token: tokens.hr,
      body: { action: 'complete_second_round', version: app.version },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const summary = (await get(tokens.hr)).body;
    expect(summary.canRequestOffer).toBe(true);
    expect(summary.application).toEqual({ stage: 'second_round_done', version: done.body.version });
    const offer = { salary: '30k×14', level: 'P6', startDate: '2027-02-01' };
    const body = { action: 'request_offer', version: summary.application.version, offer };
    // Only HR: the interviewer and the hiring manager may not start it; nothing changes.
    for (const who of ['int02', 'manager'] as const) {
      const res = await t.api('POST', `/api/applications/${applicationId}/decisions`, {
        token: tokens[who],
        body,
      });
      expect([403, 404], JSON.stringify(res.body)).toContain(res.status);
      expect((await get(tokens[who])).body.canRequestOffer).toBe(false);
    }
    expect(await t.orm.em.fork().count(Approval, { application: applicationId })).toBe(0);

    const res = await t.api('POST', `/api/applications/${applicationId}/decisions`, {
      token: tokens.hr,
      body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.stage).toBe('offer_approval');
    // Pending: a second start is 409, with the summary's version or the new one.
    for (const version of [summary.application.version, res.body.version]) {
      const again = await t.api('POST', `/api/applications/${applicationId}/decisions`, {
        token: tokens.hr,
        body: { ...body, version },
      });
      expect(again.status, JSON.stringify(again.body)).toBe(409);
    }
    expect(await t.orm.em.fork().count(Approval, { application: applicationId })).toBe(1);
    const after = (await get(tokens.hr)).body;
    expect(after.canRequestOffer).toBe(false);
    expect(after.offerApproval.status).toBe('requested');

    // The worker starts it in DingTalk (the sandbox) through the SDK; read what DingTalk received.
    await runner.run('consumer.workflow.start_approval');
    const approval = await t.orm.em
      .fork()
      .findOneOrFail(Approval, { application: applicationId, kind: 'offer' });
    expect(approval.status, approval.lastError ?? '').toBe('running');
    const form = approvalForm(await t.sandbox.approval(approval.processInstanceId as string));
    expect(form).toMatchObject({
      AI综合评分: '80',
      综合评分: '77',
      薪资: '30k×14',
      职级: 'P6',
      入职日期: '2027-02-01',
    });
    expect(form.综合评分规则).toContain('AI 40% × 80 + 人工 60% × 75 = 77（默认权重）');
    expect(form.综合评分规则).toContain('报告评分 1 份，现场面试评分卡 2 份');
    expect(form.综合评分规则).toContain('分歧提示阈值：25 分（已触发）');
    const lines = form.人工评分?.split('\n') ?? [];
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^· .+（报告评分）：87\.5 分｜沟通协作 5\/5，问题解决 4\/5｜“录像里例子具体”$/);
    // A scorecard lists the plan's competencies in the plan's order.
    expect(lines[1]).toMatch(/（现场面试评分卡）：50 分｜问题解决 3\/5，沟通协作 3\/5｜“现场回答一般”$/);
    expect(lines[2]).toMatch(/（现场面试评分卡）：87\.5 分｜问题解决 5\/5，沟通协作 4\/5｜“现场表现好”$/);
    expect(form.人工评分).not.toContain('草稿');
    expect(form.总结建议?.split('\n')).toEqual([
      '复试（建议，仅供参考，由人决定）',
      '· 综合得分 77 达到通过线 75',
      '· 评分人在以下能力上分歧较大：沟通协作、问题解决',
    ]);
    expect(form.待跟进事项).toBe('· 背景调查 / 联系推荐人');
  });
});
