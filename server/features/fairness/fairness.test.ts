import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stage } from '../../../shared/stages';
import { DemographicSelfId } from '../../kernel/db/entities/DemographicSelfId';
import { Job } from '../../kernel/db/entities/Job';
import { ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import { User } from '../../kernel/db/entities/User';
import { makeApplication, makeCandidate, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

describeEachDialect('fairness audit route', (dialect) => {
  let t: TestApp;
  let jobId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    // Seeded applications are all still 'invited' (undecided), so only the population built
    // here, with known rates, is evaluated.
    const em = t.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    jobId = job.id;
    // 10 women: 3 advanced, 7 rejected; 10 men: 6 advanced, 4 rejected; 4 unknown; 3 pending.
    const population: Array<[string | null, Stage, number]> = [
      ...Array.from({ length: 3 }, () => ['female', 'second_round', 80] as [string, Stage, number]),
      ...Array.from({ length: 7 }, () => ['female', 'rejected', 50] as [string, Stage, number]),
      ...Array.from({ length: 6 }, () => ['male', 'offer_sent', 82] as [string, Stage, number]),
      ...Array.from({ length: 4 }, () => ['male', 'rejected', 55] as [string, Stage, number]),
      ...Array.from({ length: 4 }, () => [null, 'second_round', 70] as [null, Stage, number]),
      ...Array.from({ length: 3 }, () => ['female', 'in_review', 90] as [string, Stage, number]),
    ];
    for (const [i, [sex, stage, score]] of population.entries()) {
      const candidate = await makeCandidate(em, { name: `审计${i}` });
      const application = await makeApplication(em, { candidate, job, stage });
      if (sex) em.create(DemographicSelfId, { candidate, categories: { sex } });
      await makeReport(em, { application, overall: score, scores: {}, recommendation: 'review' });
    }
    // The résumé screening stage: 5 women screened, 1 invited; 5 men screened, 4 invited.
    const hrUser = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const screened: Array<[string, 'invite' | 'reject' | 'pool', number]> = [
      ['female', 'invite', 70],
      ...Array.from({ length: 2 }, () => ['female', 'reject', 40] as [string, 'reject', number]),
      ...Array.from({ length: 2 }, () => ['female', 'pool', 50] as [string, 'pool', number]),
      ...Array.from({ length: 4 }, () => ['male', 'invite', 75] as [string, 'invite', number]),
      ['male', 'reject', 45],
    ];
    for (const [i, [sex, decision, score]] of screened.entries()) {
      const candidate = await makeCandidate(em, { name: `筛选${i}` });
      em.create(DemographicSelfId, { candidate, categories: { sex } });
      em.create(ScreeningDecisionRow, { job, candidate, resume: null, decision, score, decidedBy: hrUser });
    }
    await em.flush();
  });
  afterAll(async () => t?.close());

  it('computes selection rates and impact ratios from decided applications only, for HR only', async () => {
    const hr = await t.signInEmployee('hr01');
    const res = await t.api('GET', `/api/fairness/audit?jobId=${jobId}`, { token: hr });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(24); // 3 pending ones are not evaluated yet
    const sex = res.body.dimensions.find((d: { dimension: string }) => d.dimension === 'sex');
    expect(sex.unknown).toBe(4);
    const female = sex.categories.find((c: { category: string }) => c.category === 'female');
    const male = sex.categories.find((c: { category: string }) => c.category === 'male');
    expect(female).toMatchObject({
      count: 10,
      selected: 3,
      selectionRate: 0.3,
      selectionImpactRatio: 0.5,
      flagged: true,
    });
    expect(male).toMatchObject({
      count: 10,
      selected: 6,
      selectionRate: 0.6,
      selectionImpactRatio: 1,
      flagged: false,
    });
    // The screening stage is audited too: invitations per category, flagged below four-fifths.
    const screeningSex = res.body.screening.dimensions.find(
      (d: { dimension: string }) => d.dimension === 'sex',
    );
    expect(res.body.screening.total).toBe(10);
    expect(screeningSex.categories.find((c: { category: string }) => c.category === 'female')).toMatchObject({
      count: 5,
      selected: 1,
      selectionRate: 0.2,
      selectionImpactRatio: 0.25,
      flagged: true,
    });
    expect(screeningSex.categories.find((c: { category: string }) => c.category === 'male')).toMatchObject({
      count: 5,
      selected: 4,
      flagged: false,
    });
    // No individual's demographics leave the route.
    expect(JSON.stringify(res.body)).not.toContain('审计');
    expect(JSON.stringify(res.body)).not.toContain('筛选');

    const int = await t.signInEmployee('int01');
    expect((await t.api('GET', '/api/fairness/audit', { token: int })).status).toBe(403);
    const bad = await t.api('GET', '/api/fairness/audit?jobId=x', { token: hr });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.jobId');
  });
});
