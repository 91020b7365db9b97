/**
 * The summary report (面试总结报告): the arithmetic against a hand computation, and the route
 * through the real app on both dialects: two interviewers rate, HR and the department's manager
 * see both raters with the combined score, its rule and the disagreement flag; an interviewer
 * sees only their own rating (and no people's average); candidates and unassigned interviewers
 * get 404; HR changes the weights per job (bad input names the field, nothing changes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Department } from '../../kernel/db/entities/Department';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { Job } from '../../kernel/db/entities/Job';
import { ReviewAssignment } from '../../kernel/db/entities/Scoring';
import { SummaryRules } from '../../kernel/db/entities/SummaryRules';
import { User } from '../../kernel/db/entities/User';
import { sessionToken } from '../../testing/booking';
import { makeApplication, makeCandidate, makeReport, uniq } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { DEFAULT_SUMMARY_RULES, ratingTo100, summarise } from './combine';

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
          reviewerId: 1,
          ratings: [
            { competency: '沟通协作', score: 5 },
            { competency: '问题解决', score: 4 },
          ],
        },
        {
          reviewerId: 2,
          ratings: [
            { competency: '沟通协作', score: 2 },
            { competency: '问题解决', score: 3 },
          ],
        },
      ],
    });
    expect(s.raterScores.get(1)).toBe(87.5);
    expect(s.raterScores.get(2)).toBe(37.5);
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
          reviewerId: 1,
          ratings: [
            { competency: 'a', score: 5 },
            { competency: 'b', score: 5 },
            { competency: 'c', score: 3 },
          ],
        },
        { reviewerId: 2, ratings: [{ competency: 'a', score: 5 }] },
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
      raters: [{ reviewerId: 1, ratings: [{ competency: 'a', score: 5 }] }],
    });
    expect(review.suggestion).toBe('second_round');
    const reject = summarise({
      ...base,
      ai: 30,
      raters: [{ reviewerId: 1, ratings: [{ competency: 'a', score: 1 }] }],
    });
    // 0.4 x 30 + 0.6 x 0 = 12 < 50; AI 30 vs people 0 is 30 apart: flagged but still 不录用 (a suggestion).
    expect([reject.combined, reject.suggestion]).toEqual([12, 'reject']);
    expect(reject.disagreements.map((d) => d.kind)).toEqual(['ai_vs_people']);
    expect(DEFAULT_SUMMARY_RULES).toEqual({ aiWeight: 40, disagreementPoints: 25 });
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
      });
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
