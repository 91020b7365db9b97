/**
 * `npm run bench -- analytics [--applications=100000] [--jobs=40] [--runs=30] [--rebooks=3] [--keep=1]
 *  [--surroundings=1] [--readers=1,2,5]`
 *
 * Against MariaDB (MYSQL_URL, default mysql://root@127.0.0.1:3306/test): a fresh database,
 * migrated, with the demo company and `jobs` more jobs over its departments, then
 * `applications` generated applications with their stage history (server/kernel/db/seeds/
 * history.ts: about 6 stage events each, plus two per `rebooks` cycle of every application that
 * books; `--rebooks=3` (the default) gives about 10.5, so 100,000 applications give about a
 * million events). Then every dashboard query, as HR sees it (all departments, no filter), as a manager
 * (one department), for one job, and for a 30-day range, `runs` times each after one warm-up:
 * p50/p99 per query in milliseconds. The target is p99 under 200 ms. The generation runs
 * with the analytics triggers off and rebuilds the rollups once (kernel/db/bulk.ts);
 * `generateSeconds` includes the rebuild.
 *
 * `--surroundings=1` (default): every job also gets an AI-interview and a second-round schedule
 * (reminder times varying by job: the default 24 h + 1 h, 1 h only, 24 h + 2 h + 15 min, none)
 * and the generator writes bookings with their reminders, reports and hire outcomes, so the
 * no-shows-by-reminder (`reminders`) and closed-loop validity (`outcomes`) queries are measured
 * too. `--readers`: for each count N, N concurrent readers each run the query `runs` times (the
 * p50/p99 are over all N × runs calls).
 */
import { outcomeValidity } from '../../server/features/analytics/outcomes';
import { aiValidity, funnel, type Scope, sources, times } from '../../server/features/analytics/queries';
import { reminderEffects } from '../../server/features/analytics/reminders';
import { bulkLoad } from '../../server/kernel/db/bulk';
import { Department } from '../../server/kernel/db/entities/Department';
import { InterviewPlan } from '../../server/kernel/db/entities/InterviewPlan';
import { Job } from '../../server/kernel/db/entities/Job';
import { PlanSchedule } from '../../server/kernel/db/entities/PlanSchedule';
import { openOrm } from '../../server/kernel/db/orm';
import { generateHistory } from '../../server/kernel/db/seeds/history';
import { seedDemoCompany } from '../../server/kernel/db/seeds/seed';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { arg, percentile, report } from './report';

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const applications = arg(args, 'applications', 100_000);
  const nJobs = arg(args, 'jobs', 40);
  const runs = arg(args, 'runs', 30);
  const rebooks = arg(args, 'rebooks', 3);
  // `--keep=1`: leave the generated database in place (its URL is printed) to inspect plans.
  const keep = arg(args, 'keep', 0) === 1;
  const surroundings = arg(args, 'surroundings', 1) === 1;
  const readerCounts = (args.find((a) => a.startsWith('--readers='))?.slice('--readers='.length) ?? '1')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  const { db, drop } = await createTestDatabase('mysql');
  const orm = await openOrm(db);
  try {
    await migrateDb(orm);
    await seedDemoCompany(orm.em);
    const em = orm.em.fork();
    const departments = await em.find(Department, {}, { orderBy: { id: 'asc' } });
    for (let i = 0; i < nJobs; i++)
      em.create(Job, {
        slug: `bench-${i}`,
        title: `基准岗位 ${i}`,
        department: departments[i % departments.length],
      });
    await em.flush();
    const jobs = await em.find(Job, {}, { orderBy: { id: 'asc' } });
    if (surroundings) {
      // Reminder times vary by job, so the no-show report has schedules to compare.
      const variants: Array<number[] | null> = [null, [60], [1440, 120, 15], []];
      for (const [i, job] of jobs.entries()) {
        const plan =
          (await em.findOne(InterviewPlan, { job })) ??
          em.create(InterviewPlan, { job, name: `${job.title} 面试` });
        const own = variants[i % variants.length];
        for (const kind of ['ai_interview', 'second_round'] as const) {
          const existing = await em.findOne(PlanSchedule, { plan, kind });
          const schedule =
            existing ??
            em.create(PlanSchedule, {
              plan,
              kind,
              sessionType: kind === 'second_round' ? 'live' : 'ai',
              durationMinutes: kind === 'second_round' ? 45 : 30,
              timeZone: 'Asia/Shanghai',
              weeklyHours: {},
              dateOverrides: [],
            });
          schedule.reminderOffsetsMinutes = own === null ? null : { candidate: own, interviewer: [] };
        }
      }
      await em.flush();
    }
    const now = new Date();
    const t0 = Date.now();
    // Triggers off while loading, then every rollup rebuilt once (kernel/db/bulk.ts).
    const wrote = await bulkLoad(orm.em, (tx) =>
      generateHistory(tx, {
        applications,
        jobIds: jobs.map((j) => j.id),
        now,
        days: 365,
        seed: 42,
        rebooks,
        ...(surroundings ? { surroundings: {} } : {}),
      }),
    );
    const generateSeconds = (Date.now() - t0) / 1000;
    await orm.em
      .fork()
      .execute(
        'analyze table applications, application_stage_events, candidates, jobs, bookings, outbox, interview_reports, hire_outcomes, analytics_application_counts, analytics_durations, analytics_reminder_counts',
      );

    const dept = jobs[0].department.id;
    const from = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
    const scopes: Array<[string, Scope]> = [
      ['hr all', { filters: {}, departmentIds: null }],
      ['manager dept', { filters: {}, departmentIds: [dept] }],
      ['one job', { filters: { jobId: jobs[0].id }, departmentIds: null }],
      ['last 30 days', { filters: { from }, departmentIds: null }],
      // The largest source (about 40 % of applications): the widest source-filtered scope.
      ['one source', { filters: { source: 'job_site' }, departmentIds: null }],
    ];
    const queries: Array<[string, (e: typeof em, s: Scope) => Promise<unknown>]> = [
      ['funnel', funnel],
      ['times', (e, s) => times(e, s, now)],
      ['sources', sources],
      ['ai-validity', aiValidity],
      ...(surroundings
        ? ([
            ['reminders', reminderEffects],
            ['outcomes', (e, s) => outcomeValidity(e, s, { minN: 30, groups: s.departmentIds === null })],
          ] as Array<[string, (e: typeof em, s: Scope) => Promise<unknown>]>)
        : []),
    ];
    const only = args
      .find((a) => a.startsWith('--queries='))
      ?.slice('--queries='.length)
      .split(',');
    const rows: Array<Record<string, string | number | boolean>> = [];
    for (const [qName, q] of queries.filter(([n]) => !only || only.includes(n)))
      for (const [sName, scope] of scopes)
        for (const readers of readerCounts) {
          await q(orm.em.fork(), scope);
          const ms: number[] = [];
          // Each reader its own EntityManager (and pooled connection), calling the query in turn.
          await Promise.all(
            Array.from({ length: readers }, async () => {
              for (let i = 0; i < runs; i++) {
                const s = performance.now();
                await q(orm.em.fork(), scope);
                ms.push(performance.now() - s);
              }
            }),
          );
          const p99 = percentile(ms, 99);
          rows.push({
            query: qName,
            scope: sName,
            readers,
            p50: Math.round(percentile(ms, 50)),
            p99: Math.round(p99),
            under200: p99 < 200,
          });
        }
    report('analytics', rows, { ...wrote, jobs: jobs.length, generateSeconds, runs, rebooks });
  } finally {
    await orm.close(true);
    if (keep) console.log(`kept ${db.url}`);
    else await drop();
  }
}
