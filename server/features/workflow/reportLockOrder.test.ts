import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNNEL_RANK } from '../../../shared/api/analytics';
import { Application } from '../../kernel/db/entities/Application';
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

  it('the scoring worker and a candidate submitting in the same job both commit; the rollups stay exact', async () => {
    const jobId = await createTestJob(t, 'lock-order');
    await candidateToken(t, '李四', jobId);
    await candidateToken(t, '张三', jobId);
    const em = fresh();
    // `mover` (older, no review) is the candidate about to submit; `scored` gets its report.
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
    await publishApplicationEvent(t.orm, 'interview.submitted', `test:${scored.id}:submitted`, {
      ...base,
      sessionId: 1,
    });
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
      const report = publishApplicationEvent(t.orm, 'report.ready', `test:${scored.id}:report`, {
        ...base,
        reportId: 1000 + scored.id,
        overall: 64,
        competencies: [{ name: '沟通协作', score: 64, evidence: ['我每周和产品对齐一次需求'] }],
        strengths: [],
        gaps: [],
        flags: [],
        recommendation: '建议 HR 评估',
        reportUrl: 'http://localhost:1/reports/1',
      }).then(
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
      // the rollup rows here (its `score` move came first) while waiting for the gap: a deadlock,
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

    const after = fresh();
    expect((await after.findOneOrFail(Application, { id: mover.id })).stage).toBe('submitted');
    expect((await after.findOneOrFail(Application, { id: scored.id })).stage).toBe('in_review');
    expect(await after.findOneOrFail(ApplicationReview, { application: scored.id })).toMatchObject({
      overall: 64,
      reason: 'between_thresholds',
    });
    // The triggers' rollups equal a recomputation from the source tables.
    expect(await rollupRows(after)).toEqual(await recomputedRollupRows(after, 'mysql'));
    const counts = await after.execute(
      `select stage, decile, sum(n) as n from analytics_application_counts
        where grain = 'job' and job_id = ? and n <> 0 group by stage, decile order by stage`,
      [jobId],
    );
    expect(counts.map((r) => [r.stage, Number(r.decile), Number(r.n)])).toEqual([
      ['in_review', 6, 1],
      ['submitted', -1, 1],
    ]);
  }, 60_000);
});
