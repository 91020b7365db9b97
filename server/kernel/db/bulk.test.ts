import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeJob, makeSchedule } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';
import { bulkLoad } from './bulk';
import { InterviewPlan } from './entities/InterviewPlan';
import { generateHistory, type HistoryOptions } from './seeds/history';
import { dialectOf } from './tx';
import type { Em } from './types';

/** The analytics triggers as the database holds them (name and definition), sorted. */
async function triggers(em: Em): Promise<string[]> {
  const rows =
    dialectOf(em) === 'sqlite'
      ? await em.execute<Array<{ n: string; s: string }>>(
          "select name as n, sql as s from sqlite_master where type = 'trigger' and name like 'analytics%'",
        )
      : await em.execute<Array<{ n: string; s: string }>>(
          `select trigger_name as n, concat(action_timing, ' ', event_manipulation, ' ', event_object_table, ' ', action_order, ' ', action_statement) as s
             from information_schema.triggers where trigger_schema = database() and trigger_name like 'analytics%'`,
        );
  return rows.map((r) => `${r.n}: ${r.s}`).sort();
}

/**
 * A bulk load (kernel/db/bulk.ts) writes with the analytics triggers off and rebuilds the rollups
 * once with the migrations' backfill SQL. The rebuild must give exactly what the triggers keep
 * row by row, and the triggers must come back as they were and keep working.
 */
describeEachDialect('bulk load with a rollup rebuild', (dialect) => {
  let t: TestApp;
  let opts: HistoryOptions;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    const em = t.orm.em.fork();
    const jobs = [await makeJob(em), await makeJob(em), await makeJob(em)];
    for (const [i, job] of jobs.entries()) {
      const plan = await em.findOneOrFail(InterviewPlan, { job });
      const ai = await makeSchedule(em, { plan, kind: 'ai_interview' });
      ai.reminderOffsetsMinutes = [
        null,
        { candidate: [60], interviewer: [] },
        { candidate: [1440, 120, 15], interviewer: [] },
      ][i];
      ai.cancelCutoffHours = [12, 0, 6][i];
      await makeSchedule(em, { plan, kind: 'second_round' });
    }
    await em.flush();
    opts = {
      applications: 250,
      jobIds: jobs.map((j) => j.id),
      now: new Date('2026-12-01T00:00:00Z'),
      days: 40,
      rebooks: 1,
      surroundings: {},
    };
  }, 30_000);
  afterAll(async () => t?.close());

  it('rebuilds what the triggers keep, and puts the triggers back as they were', async () => {
    // Through the triggers, row by row.
    await t.orm.em.fork().transactional((tx) => generateHistory(tx, { ...opts, seed: 3 }));
    const kept = await rollupRows(t.orm.em.fork());
    expect(kept.filter((r) => r.startsWith('reminders|')).length).toBeGreaterThan(20);
    expect(kept.filter((r) => r.startsWith('durations|')).length).toBeGreaterThan(100);
    expect(kept).toEqual(await recomputedRollupRows(t.orm.em.fork(), dialect));

    // With the triggers off: nothing is counted while loading, the rebuild counts it all.
    const defined = await triggers(t.orm.em.fork());
    expect(defined.length).toBeGreaterThan(15);
    let during: string[] = [];
    const wrote = await bulkLoad(t.orm.em.fork(), async (tx) => {
      const out = await generateHistory(tx, { ...opts, seed: 4 });
      during = await rollupRows(tx);
      return out;
    });
    expect(wrote.bookings).toBeGreaterThan(100);
    expect(during).toEqual(kept);
    const rebuilt = await rollupRows(t.orm.em.fork());
    expect(rebuilt).not.toEqual(kept);
    expect(rebuilt).toEqual(await recomputedRollupRows(t.orm.em.fork(), dialect));
    expect(await triggers(t.orm.em.fork())).toEqual(defined);

    // The triggers work again: a booking cancelled, a reminder sent and a source corrected.
    const em = t.orm.em.fork();
    const [b] = await em.execute<Array<{ id: number }>>(
      "select id from bookings where status = 'completed' order by id desc limit 1",
    );
    await em.execute(`update bookings set status = 'no_show' where id = ?`, [b.id]);
    await em.execute(
      `update outbox set status = 'sent' where id = (select id from (select min(id) as id from outbox where status = 'pending' and topic like 'reminder.candidate.%') x)`,
    );
    await em.execute(
      `update candidates set source = 'other' where id = (select max(id) from (select id from candidates) x)`,
    );
    const after = await rollupRows(t.orm.em.fork());
    expect(after).not.toEqual(rebuilt);
    expect(after).toEqual(await recomputedRollupRows(t.orm.em.fork(), dialect));
  }, 120_000);

  it('puts the triggers back when the load fails', async () => {
    const defined = await triggers(t.orm.em.fork());
    const rows = await rollupRows(t.orm.em.fork());
    await expect(
      bulkLoad(t.orm.em.fork(), async (tx) => {
        await generateHistory(tx, { ...opts, applications: 20, seed: 5 });
        throw new Error('load failed');
      }),
    ).rejects.toThrow('load failed');
    expect(await triggers(t.orm.em.fork())).toEqual(defined);
    // The load's transaction rolled back, and the rebuild found what was there.
    expect(await rollupRows(t.orm.em.fork())).toEqual(rows);
  }, 60_000);
});
