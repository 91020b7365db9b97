import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNNEL_RANK } from '../../../shared/api/analytics';
import { Application, type IApplication } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { publishApplicationEvent } from '../../testing/events';
import { startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken, createTestJob } from '../../testing/interview';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';

// Row locks and deadlocks are MariaDB's; SQLite has one writer at a time.
describe.skipIf(!process.env.MYSQL_URL)('report.ready against a concurrent stage move [mysql]', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('mysql');
  }, 60_000);
  afterAll(async () => t?.close());

  const fresh = () => t.orm.em.fork();

  /**
   * Two applications of one job and one source: `mover` (no review) is a candidate about to make
   * a stage move; `other` gets the handler `react` runs, which writes its review. The candidate's
   * move runs statement by statement with the handler in between, in the order that deadlocked.
   */
  async function race(
    name: string,
    prepare: (
      other: IApplication,
      base: { applicationId: number; candidateId: number; jobId: number },
    ) => Promise<void>,
    react: (base: { applicationId: number; candidateId: number; jobId: number }) => Promise<void>,
  ) {
    const jobId = await createTestJob(t, name);
    await candidateToken(t, '李四', jobId);
    await candidateToken(t, '张三', jobId);
    const em = fresh();
    // `mover` (older, no review) is the candidate about to submit; `scored` gets the handler.
    const [mover, scored] = await em.find(
      Application,
      { job: jobId },
      { orderBy: { id: 'asc' }, populate: ['candidate'] },
    );
    // The same source, so both stage moves count in the same rollup rows.
    await em.execute('update candidates set source = ? where id = ?', [
      scored.candidate.source,
      mover.candidate.id,
    ]);
    const base = { applicationId: scored.id, candidateId: scored.candidate.id, jobId };
    await prepare(scored, base);
    expect(await em.count(ApplicationReview, { application: { $in: [mover.id, scored.id] } })).toBe(0);

    // The candidate's stage move, statement by statement as the analytics trigger runs it: the
    // read of the application's review (a shared lock on the reviews index gap where it would
    // go), then the stage UPDATE, whose trigger wants the rollup rows.
    const candidate = await mysql.createConnection(t.config.database.url);
    const watch = await mysql.createConnection(t.config.database.url);
    try {
      await candidate.query('begin');
      await candidate.query(
        'select overall from application_reviews where application_id = ? lock in share mode',
        [mover.id],
      );
      const report = react(base).then(
        () => null,
        (err: Error) => err,
      );
      // The handler's review insert waits for the candidate's gap lock (before the fix and after).
      let waiting = false;
      for (let i = 0; i < 400 && !waiting; i++) {
        const [rows] = await watch.query(
          `select count(*) as n from information_schema.processlist
            where db = database() and command = 'Query' and info like 'insert into \`application_reviews\`%'`,
        );
        waiting = Number((rows as Array<{ n: number }>)[0].n) > 0;
        if (!waiting) await new Promise((r) => setTimeout(r, 25));
      }
      expect(waiting).toBe(true);
      // The stage move (the transition's statement). Before the fix the handler already held
      // the rollup rows here (its own move came first) while waiting for the gap: a deadlock,
      // and one side rolled back.
      const moved = await candidate
        .query(
          `update applications set stage = 'submitted', version = version + 1,
             funnel_reach = case when funnel_reach > ? then funnel_reach else ? end
           where id = ?`,
          [FUNNEL_RANK.submitted, FUNNEL_RANK.submitted, mover.id],
        )
        .then(
          () => null,
          (err: Error) => err,
        );
      expect(moved?.message ?? null).toBeNull();
      await candidate.query('commit');
      expect((await report)?.message ?? null).toBeNull();
    } finally {
      await candidate.end();
      await watch.end();
    }

    return { jobId, mover, other: scored };
  }

  /** After the race: the candidate's move and the handler's both kept, the rollups exact. */
  async function expectBothKept(
    jobId: number,
    moverId: number,
    otherId: number,
    review: Record<string, unknown>,
    counts: Array<[string, number, number]>,
  ) {
    const after = fresh();
    expect((await after.findOneOrFail(Application, { id: moverId })).stage).toBe('submitted');
    expect((await after.findOneOrFail(Application, { id: otherId })).stage).toBe('in_review');
    expect(await after.findOneOrFail(ApplicationReview, { application: otherId })).toMatchObject(review);
    // The triggers' rollups equal a recomputation from the source tables.
    expect(await rollupRows(after)).toEqual(await recomputedRollupRows(after, 'mysql'));
    const rows = await after.execute(
      `select stage, decile, sum(n) as n from analytics_application_counts
        where grain = 'job' and job_id = ? and n <> 0 group by stage, decile order by stage`,
      [jobId],
    );
    expect(rows.map((r) => [r.stage, Number(r.decile), Number(r.n)])).toEqual(counts);
  }

  it('the scoring worker and a candidate submitting in the same job both commit; the rollups stay exact', async () => {
    const { jobId, mover, other } = await race(
      'lock-order',
      (_other, base) =>
        publishApplicationEvent(t.orm, 'interview.submitted', `test:${base.applicationId}:submitted`, {
          ...base,
          sessionId: 1,
        }),
      (base) =>
        publishApplicationEvent(t.orm, 'report.ready', `test:${base.applicationId}:report`, {
          ...base,
          reportId: 1000 + base.applicationId,
          overall: 64,
          competencies: [{ name: '沟通协作', score: 64, evidence: ['我每周和产品对齐一次需求'] }],
          strengths: [],
          gaps: [],
          flags: [],
          recommendation: '建议 HR 评估',
          reportUrl: 'http://localhost:1/reports/1',
        }),
    );
    await expectBothKept(jobId, mover.id, other.id, { overall: 64, reason: 'between_thresholds' }, [
      ['in_review', 6, 1],
      ['submitted', -1, 1],
    ]);
  }, 60_000);

  it('a person-only submission and another candidate submitting in the same job both commit', async () => {
    const { jobId, mover, other } = await race(
      'lock-order-person',
      async (o) => {
        await fresh().execute('update applications set person_only = ? where id = ?', [true, o.id]);
      },
      (base) =>
        publishApplicationEvent(t.orm, 'interview.submitted', `test:${base.applicationId}:submitted`, {
          ...base,
          sessionId: 1,
        }),
    );
    await expectBothKept(jobId, mover.id, other.id, { overall: null, reason: 'person_only' }, [
      ['in_review', -1, 1],
      ['submitted', -1, 1],
    ]);
  }, 60_000);
});
