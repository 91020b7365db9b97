import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Department } from '../../kernel/db/entities/Department';
import { makeApplication, makeCandidate, makeJob } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

/** The pipeline board is read a page at a time, with filters and counts done by the database. */
describeEachDialect('pipeline board pages', (dialect) => {
  let t: TestApp;
  let hr: string;
  let jobId: number;
  const base = Date.parse('2026-11-01T00:00:00Z');

  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    const em = t.orm.em.fork();
    const department = await em.findOneOrFail(Department, { name: '研发中心' });
    const job = await makeJob(em, { title: '分页岗位', department });
    jobId = job.id;
    // 7 applications, moved a minute apart: 王0 most long ago ... 王6 most recently.
    for (let i = 0; i < 7; i++) {
      const candidate = await makeCandidate(em, { name: `王${i}` });
      const app = await makeApplication(em, { job, candidate, stage: i < 4 ? 'in_review' : 'invited' });
      app.stageChangedAt = new Date(base + i * 60_000);
      if (i < 4)
        em.create(ApplicationReview, {
          application: app,
          overall: 50 + i,
          suggestion: i % 2 ? 'pass' : 'review',
          reason: 'between_thresholds',
        });
    }
    await em.flush();
  }, 30_000);
  afterAll(async () => t?.close());

  const board = (query: string) => t.api('GET', `/api/pipeline/jobs/${jobId}?${query}`, { token: hr });

  it("the jobs list counts each job's applications by stage (only the stages it has)", async () => {
    const r = await t.api('GET', '/api/pipeline/jobs', { token: hr });
    expect(r.status).toBe(200);
    const mine = r.body.items.find((j: { id: number }) => j.id === jobId);
    expect(mine).toMatchObject({ title: '分页岗位', status: 'open' });
    expect(mine.counts).toEqual({ in_review: 4, invited: 3 });
    // Every other job's counts add up to its applications, as the board's own counts do.
    for (const j of r.body.items as Array<{ id: number; counts: Record<string, number> }>) {
      const total = await t.orm.em.fork().count(Application, { job: j.id });
      expect(Object.values(j.counts).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it('pages most recently moved first; counts cover the whole job; the last page says so', async () => {
    const first = await board('limit=3');
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { candidateName: string }) => c.candidateName)).toEqual([
      '王6',
      '王5',
      '王4',
    ]);
    expect(first.body.counts).toMatchObject({ in_review: 4, invited: 3, hired: 0 });
    expect(first.body.nextOffset).toBe(3);
    const second = await board('limit=3&offset=3');
    expect(second.body.items.map((c: { candidateName: string }) => c.candidateName)).toEqual([
      '王3',
      '王2',
      '王1',
    ]);
    const last = await board('limit=3&offset=6');
    expect(last.body.items.map((c: { candidateName: string }) => c.candidateName)).toEqual(['王0']);
    expect(last.body.nextOffset).toBeNull();
    // A card carries the review's figures and the dates as ISO strings on both dialects.
    const card = second.body.items[0];
    expect(card).toMatchObject({
      stage: 'in_review',
      overall: 53,
      suggestion: 'pass',
      personOnly: false,
      openApproval: null,
    });
    expect(card.stageChangedAt).toBe(new Date(base + 3 * 60_000).toISOString());
  });

  it('filters by stage, suggestion and name in the database', async () => {
    const names = async (q: string) =>
      (await board(q)).body.items.map((c: { candidateName: string }) => c.candidateName);
    expect(await names('stage=invited')).toEqual(['王6', '王5', '王4']);
    expect(await names('suggestion=pass')).toEqual(['王3', '王1']);
    expect(await names('q=王2')).toEqual(['王2']);
    // Wildcards are taken literally (dropped), not as "match anything".
    expect(await names('q=%25')).toHaveLength(7);
    expect(await names('q=nobody')).toEqual([]);
  });

  it('refuses a bad page request naming the field, and the default page is 50', async () => {
    for (const q of ['limit=0', 'limit=201', 'offset=-1', 'limit=abc']) {
      const r = await board(q);
      expect(r.status, q).toBe(400);
      expect(JSON.stringify(r.body.error), q).toMatch(q.startsWith('limit') ? /limit/ : /offset/);
    }
    const all = await board('');
    expect(all.body.items).toHaveLength(7);
    expect(all.body.nextOffset).toBeNull();
    expect(await t.orm.em.fork().count(Application, { job: jobId })).toBe(7);
  });
});
