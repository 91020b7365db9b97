import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderMessage } from '../../../bot/messages';
import type { AgreementReport } from '../../../shared/api/agreement';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { InterviewReport, ReportRating } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { enqueueAgreementAlerts } from '../messaging';
import { AGREEMENT_THRESHOLDS, agreementStats } from './agreement';
import { pearson, quadraticWeightedKappa, scoreToBand } from './calibrate';

const DAY = 86_400_000;

/**
 * AI-vs-human agreement per job and competency (TRUST.md): numbers against a direct
 * computation, the low-agreement and drift flags, what is left out, who may see it, and the
 * weekly alert to HR.
 */
describeEachDialect('AI-vs-human agreement', (dialect) => {
  let t: TestApp;
  let jobId: number;
  let otherJobId: number;
  const now = new Date('2026-11-20T02:00:00Z');
  // "沟通": earlier ratings agree exactly (score band = rating); recent ones are reversed.
  // "专业": agrees throughout. Person-only reports and an unscored competency are left out.
  const earlier = Array.from({ length: 12 }, (_, i) => ({ ai: 10 + (i % 5) * 20, human: 1 + (i % 5) }));
  const recent = Array.from({ length: 12 }, (_, i) => ({ ai: 10 + (i % 5) * 20, human: 5 - (i % 5) }));
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const other = await em.findOneOrFail(Job, { slug: 'sales' });
    jobId = job.id;
    otherJobId = other.id;
    const rater = await em.findOneOrFail(User, { dingtalkUserId: 'int01' });
    let session = 50_000;
    const report = async (
      j: typeof job,
      scores: Record<string, number>,
      ratings: Record<string, number>,
      at: Date,
      status: 'ready' | 'person_only' = 'ready',
    ) => {
      const candidate = em.create(Candidate, {
        name: `一致${session}`,
        mobile: null,
        email: null,
        unionId: null,
      });
      const app = em.create(Application, { candidate, job: j, stage: 'in_review' });
      await em.flush();
      const rep = em.create(InterviewReport, {
        application: app,
        sessionId: session++,
        candidateId: candidate.id,
        jobId: j.id,
        status,
        overall: status === 'person_only' ? null : 50,
        competencies: Object.entries(scores).map(([name, score]) => ({
          name,
          score,
          evidence: [],
          matched: [],
          missing: [],
        })),
        strengths: [],
        gaps: [],
        flags: [],
        recommendation: 'consider',
      });
      for (const [competency, score] of Object.entries(ratings))
        em.create(ReportRating, { report: rep, reviewer: rater, competency, score, createdAt: at });
      await em.flush();
    };
    for (const [i, p] of earlier.entries())
      await report(
        job,
        { 沟通: p.ai, 专业: p.ai },
        { 沟通: p.human, 专业: p.human },
        new Date(now.getTime() - (90 - i) * DAY),
      );
    for (const [i, p] of recent.entries())
      await report(
        job,
        { 沟通: p.ai, 专业: p.ai },
        { 沟通: p.human, 专业: 1 + (i % 5) },
        new Date(now.getTime() - (10 - i / 2) * DAY),
      );
    // Left out: a person-only report, and a rating of a competency the AI did not score.
    await report(job, {}, { 沟通: 5 }, new Date(now.getTime() - DAY), 'person_only');
    await report(job, { 专业: 90 }, { 新能力: 1 }, new Date(now.getTime() - DAY));
    // Another job with a few ratings: numbers shown, never flagged (too few pairs).
    for (let i = 0; i < 4; i++) await report(other, { 沟通: 90 }, { 沟通: 1 }, new Date(now.getTime() - DAY));
  });
  afterAll(async () => t?.close());

  it('computes Pearson and QWK per job and competency, recent against earlier, and flags drift', async () => {
    const hr = await t.signInEmployee('hr01');
    t.clock.now = now;
    const res = await t.api<AgreementReport>('GET', '/api/scoring/agreement', { token: hr });
    expect(res.status).toBe(200);
    const job = res.body.jobs.find((j) => j.jobId === jobId);
    expect(job).toBeDefined();
    const talk = job?.competencies.find((c) => c.competency === '沟通');
    const all = [...earlier, ...recent];
    expect(talk?.n).toBe(24);
    expect(talk?.pearson).toBeCloseTo(
      pearson(
        all.map((p) => p.ai),
        all.map((p) => p.human),
      ),
      3,
    );
    expect(talk?.qwk).toBeCloseTo(
      quadraticWeightedKappa(
        all.map((p) => scoreToBand(p.ai)),
        all.map((p) => p.human),
      ),
      3,
    );
    expect(talk?.earlier).toMatchObject({ n: 12, qwk: 1, pearson: 1, bias: 0 });
    expect(talk?.recent.n).toBe(12);
    expect(talk?.recent.qwk).toBeLessThan(0);
    expect(talk?.flags.sort()).toEqual(['drift', 'low_agreement']);
    const craft = job?.competencies.find((c) => c.competency === '专业');
    expect(craft).toMatchObject({ n: 24, flags: [] });
    expect(job?.competencies.map((c) => c.competency)).not.toContain('新能力');
    expect(job?.flags.sort()).toEqual(['drift', 'low_agreement']);
    // Four pairs: numbers, no flags.
    const other = res.body.jobs.find((j) => j.jobId === otherJobId);
    expect(other?.competencies[0]).toMatchObject({ n: 4, flags: [] });
    expect(res.body.thresholds).toEqual(AGREEMENT_THRESHOLDS);
    // One job only.
    const one = await t.api<AgreementReport>('GET', `/api/scoring/agreement?jobId=${otherJobId}`, {
      token: hr,
    });
    expect(one.body.jobs.map((j) => j.jobId)).toEqual([otherJobId]);
  });

  it('is for HR: interviewers and candidates are refused; a bad window names the field', async () => {
    const interviewer = await t.signInEmployee('int01');
    expect((await t.api('GET', '/api/scoring/agreement', { token: interviewer })).status).toBe(403);
    const hr = await t.signInEmployee('hr01');
    const bad = await t.api('GET', '/api/scoring/agreement?recentDays=3', { token: hr });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('recentDays');
    expect((await t.api('GET', '/api/scoring/agreement')).status).toBe(401);
  });

  it('alerts HR once a week while a job and competency is flagged', async () => {
    const first = await enqueueAgreementAlerts(t.orm.em.fork(), now);
    const hrCount = (await t.orm.em.fork().find(User, { active: true })).filter(
      (u) => u.roles.includes('hr') || u.roles.includes('admin'),
    ).length;
    expect(first).toBe(hrCount);
    expect(await enqueueAgreementAlerts(t.orm.em.fork(), new Date(now.getTime() + DAY))).toBe(0);
    const row = await t.orm.em.fork().findOneOrFail(OutboxMessage, { topic: 'digest.agreement' });
    const payload = row.payload as { template: 'hr.agreement_alert'; data: never };
    const zh = renderMessage(payload.template, payload.data, 'zh-CN');
    expect(zh.text).toContain('沟通');
    expect(zh.text).toContain('下降');
    expect(renderMessage(payload.template, payload.data, 'en').text).toContain('dropped from 1.00');
  });

  it('needs at least three pairs for numbers', () => {
    expect(agreementStats([{ ai: 50, human: 3, at: 0 }])).toEqual({
      n: 1,
      pearson: null,
      qwk: null,
      bias: null,
    });
  });
});
