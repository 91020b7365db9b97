import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransitionName } from '../../../shared/pipeline';
import type { IApplication } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import type { IJob } from '../../kernel/db/entities/Job';
import { FIRST_ROLLUP_SHARDS, ROLLUP_SHARDS } from '../../kernel/db/migrations/triggerSql';
import { migrateUp, type Orm, openOrm } from '../../kernel/db/orm';
import { emTx } from '../../kernel/db/tx';
import type { Em } from '../../kernel/db/types';
import { makeApplication, makeBooking, makeCandidate, makeJob, makeSchedule } from '../../testing/factories';
import {
  createTestDatabase,
  describeEachDialect,
  revertThrough,
  startTestApp,
  type TestApp,
} from '../../testing/harness';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';
import { transition, type WorkflowActor } from '../workflow';
import { aiValidity, funnel, type Scope, sources, times } from './queries';
import { reminderEffects } from './reminders';

/**
 * The analytics count rows are split into shards (migration `analytics_shards`): concurrent stage
 * moves of one job's applications add to different rows, the rollups still equal a recomputation
 * from the source tables, and the migration keeps every figure of a database that has data.
 */

const SYS: WorkflowActor = { by: 'system', person: null };
const HR: WorkflowActor = { by: 'hr', person: { kind: 'employee', id: 1 } };

/** `n` applications of one new job, one source, in the order created (consecutive ids). */
async function applicationsOfOneJob(em: Em, n: number, stage: 'invited' | 'booked' = 'invited') {
  const job = await makeJob(em);
  const apps: IApplication[] = [];
  for (let i = 0; i < n; i++) {
    const c = await makeCandidate(em, { name: `分片-${i}` });
    c.source = 'referral';
    apps.push(await makeApplication(em, { job, candidate: c, stage }));
  }
  return { job, apps };
}

/**
 * A stage move as the workflow writes it (the application, then its event, `hours` after it was
 * created), in plain SQL: the migration test's ORM runs without the event wiring.
 */
async function submitBySql(em: Em, app: IApplication, hours: number) {
  const at = emTx(em).date(new Date(app.createdAt.getTime() + hours * 3_600_000));
  await em.execute("update applications set stage = 'in_review', stage_changed_at = ? where id = ?", [
    at,
    app.id,
  ]);
  await em.execute(
    `insert into application_stage_events (application_id, job_id, from_stage, to_stage, transition, at, from_since, actor_kind, actor_id)
     select id, job_id, 'invited', 'in_review', 'submit', ?, created_at, 'system', null from applications where id = ?`,
    [at, app.id],
  );
}

/** Every dashboard figure the count tables answer, for a few scopes. */
async function figures(em: () => Em, job: IJob, now: Date) {
  const scopes: Scope[] = [
    { filters: {}, departmentIds: null },
    { filters: { jobId: job.id }, departmentIds: null },
    { filters: { source: 'referral' }, departmentIds: null },
    { filters: { from: '2020-01-01' }, departmentIds: null },
  ];
  const out = [];
  for (const scope of scopes)
    out.push({
      funnel: await funnel(em(), scope),
      times: await times(em(), scope, now),
      sources: await sources(em(), scope),
      ai: await aiValidity(em(), scope),
      reminders: await reminderEffects(em(), scope),
    });
  return out;
}

// Row locks are MariaDB's; SQLite has one writer at a time.
describe.skipIf(!process.env.MYSQL_URL)('sharded count rows under concurrent stage moves [mysql]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mysql');
  }, 60_000);
  afterAll(async () => t?.close());

  /** A connection as the app's transactions run (READ COMMITTED), waiting at most 1 s for a lock. */
  async function connection() {
    const c = await mysql.createConnection(t.config.database.url as string);
    await c.query('set session transaction isolation level read committed');
    await c.query('set session innodb_lock_wait_timeout = 1');
    return c;
  }

  /** The SQL of a stage move as the workflow writes it: the application, then its event. */
  async function move(c: mysql.Connection, app: IApplication) {
    await c.query("update applications set stage = 'in_review', stage_changed_at = now(3) where id = ?", [
      app.id,
    ]);
    await c.query(
      `insert into application_stage_events (application_id, job_id, from_stage, to_stage, transition, at, from_since, actor_kind, actor_id)
       select id, job_id, 'invited', 'in_review', 'submit', now(3), created_at, 'system', null from applications where id = ?`,
      [app.id],
    );
  }

  /** Moves `a` in one open transaction, then `b` in another: whether `b` got through. */
  async function secondProceeds(a: IApplication, b: IApplication): Promise<boolean> {
    const [c1, c2] = [await connection(), await connection()];
    try {
      await c1.beginTransaction();
      await move(c1, a);
      await c2.beginTransaction();
      try {
        await move(c2, b);
        await c2.commit();
        return true;
      } catch (err) {
        if ((err as { code?: string }).code !== 'ER_LOCK_WAIT_TIMEOUT') throw err;
        await c2.rollback();
        return false;
      } finally {
        await c1.commit();
      }
    } finally {
      await c1.end();
      await c2.end();
    }
  }

  it('two applications of one job in different shards move at once; in the same shard the second waits', async () => {
    const { apps } = await applicationsOfOneJob(t.orm.em.fork(), ROLLUP_SHARDS + FIRST_ROLLUP_SHARDS + 3);
    const [a, b] = apps;
    expect(a.id % ROLLUP_SHARDS).not.toBe(b.id % ROLLUP_SHARDS);
    // Different shards: no count row in common, so the second commits while the first is open.
    expect(await secondProceeds(a, b)).toBe(true);
    // The control (what every pair did before the shards): the same count rows, so it waits.
    const [c, d] = [apps[2], apps[2 + ROLLUP_SHARDS]];
    expect(c.id % ROLLUP_SHARDS).toBe(d.id % ROLLUP_SHARDS);
    expect(await secondProceeds(c, d)).toBe(false);
    // Ids 16 apart shared their count rows under migration analytics_shards' 16 shards; under 64
    // (analytics_shards_64) they do not.
    const e = apps[3];
    const f = apps.find((x) => x.id === e.id + FIRST_ROLLUP_SHARDS);
    expect(f).toBeDefined();
    expect(await secondProceeds(e, f as IApplication)).toBe(true);
    // Whatever committed is counted exactly.
    expect(await rollupRows(t.orm.em.fork())).toEqual(await recomputedRollupRows(t.orm.em.fork(), 'mysql'));
  });
});

describeEachDialect('sharded count rows after a mixed run', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  it('many applications of one job moved concurrently, scored, booked and deleted: sums equal the source', async () => {
    const em = t.orm.em.fork();
    const { job, apps } = await applicationsOfOneJob(em, 40);
    const schedule = await makeSchedule(em, { kind: 'ai_interview' });
    const paths: TransitionName[][] = [['submit'], ['submit', 'score'], ['submit', 'score', 'review'], []];
    // Every application's moves in its own transactions; on MariaDB all applications at once
    // (SQLite has one writer: one after another).
    const run = async (app: IApplication, i: number) => {
      for (const name of paths[i % paths.length])
        await t.orm.em
          .fork()
          .transactional((tx) =>
            transition(tx, { applicationId: app.id, name, actor: SYS, reason: 'test', now: new Date() }),
          );
    };
    if (dialect === 'mysql') await Promise.all(apps.map(run));
    else for (const [i, app] of apps.entries()) await run(app, i);
    for (const [i, app] of apps.entries()) {
      if (i % 3 === 0)
        em.create(ApplicationReview, {
          application: app,
          overall: 40 + i,
          suggestion: 'review',
          reason: 'x',
        });
      if (i % 5 === 0)
        await makeBooking(em, { application: app, schedule, status: i % 10 === 0 ? 'no_show' : 'booked' });
    }
    await em.flush();
    await t.orm.em.fork().transactional((tx) =>
      transition(tx, {
        applicationId: apps[3].id,
        name: 'reject',
        actor: HR,
        reason: 'test',
        now: new Date(),
      }),
    );
    await t.orm.em.fork().execute('delete from applications where id = ?', [apps[7].id]);

    expect(await rollupRows(t.orm.em.fork())).toEqual(await recomputedRollupRows(t.orm.em.fork(), dialect));
    // Not vacuous: the job's counts, durations and bookings are spread over several shards.
    for (const [table, where] of [
      ['analytics_application_counts', `job_id = ${job.id}`],
      ['analytics_durations', `grain = 'job' and job_id = ${job.id}`],
      ['analytics_reminder_counts', `job_id = ${job.id}`],
    ]) {
      const [row] = await t.orm.em
        .fork()
        .execute<Array<{ k: number | string }>>(
          `select count(distinct shard) as k from ${table} where ${where}`,
        );
      expect(Number(row.k), table).toBeGreaterThan(1);
    }
    const all = await funnel(t.orm.em.fork(), { filters: { jobId: job.id }, departmentIds: null });
    expect(all.overall.applications).toBe(39);
  });
});

describeEachDialect('migration analytics_shards on a database with data', (dialect) => {
  let orm: Orm;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase(dialect);
    drop = created.drop;
    orm = await openOrm(created.db);
  }, 60_000);
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('keeps every figure up and down, and the triggers count into shards afterwards', async () => {
    await migrateUp(orm);
    const em = orm.em.fork();
    const { job, apps } = await applicationsOfOneJob(em, 12);
    const schedule = await makeSchedule(em, { kind: 'ai_interview' });
    await makeBooking(em, { application: apps[0], schedule });
    await makeBooking(em, { application: apps[1], schedule, status: 'no_show' });
    // Back to before the shards: the data is counted by the unsharded triggers from here.
    await revertThrough(orm, '_analytics_shards');
    for (const app of apps.slice(2, 8)) await submitBySql(orm.em.fork(), app, 3);
    const now = new Date(Date.now() + 86_400_000);
    const f = () => orm.em.fork();
    const before = await figures(f, job, now);
    const rowsBefore = await rollupRows(f());
    expect(before[1].funnel.overall.applications).toBe(12);

    await migrateUp(orm);
    expect(await figures(f, job, now)).toEqual(before);
    expect(await rollupRows(f())).toEqual(rowsBefore);
    expect(await rollupRows(f())).toEqual(await recomputedRollupRows(f(), dialect));

    // Moves after the migration go to their shards; down folds the shards back, figures kept.
    for (const app of apps.slice(8)) await submitBySql(orm.em.fork(), app, 5);
    const [sharded] = await f().execute<Array<{ k: number | string }>>(
      `select count(distinct shard) as k from analytics_application_counts where job_id = ${job.id}`,
    );
    expect(Number(sharded.k)).toBeGreaterThan(1);
    const after = await figures(f, job, now);
    const rowsAfter = await rollupRows(f());
    await revertThrough(orm, '_analytics_shards');
    expect(await figures(f, job, now)).toEqual(after);
    expect(await rollupRows(f())).toEqual(rowsAfter);
    await migrateUp(orm);
    expect(await rollupRows(f())).toEqual(await recomputedRollupRows(f(), dialect));
  });
});
