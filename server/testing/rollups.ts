/**
 * Analytics rollups in tests: the rows the triggers keep, and the rows a from-scratch
 * recomputation from the source tables gives (the migration's rebuild SQL, run in a transaction
 * that is rolled back, so the database under test is left as it was).
 */
import { rollupsRebuild } from '../kernel/db/bulk';
import type { Em } from '../kernel/db/types';
import type { Dialect } from './harness';

/**
 * Every rollup table as sorted `table|key…|n` lines, count rows summed over their shards and
 * those with n = 0 left out (nothing counted); the per-booking reminder rows (`bookings|…`), the report scores (`scores|…`) and the
 * per-hire outcome rows (`outcomes|…`) all; outcome sums (`outcomeSums|…`) with n = 0 left out.
 */
export async function rollupRows(em: Em): Promise<string[]> {
  const counts = await em.execute<Array<Record<string, unknown>>>(
    'select grain, job_id, day, source, decile, stage, reach, sum(n) as n from analytics_application_counts group by grain, job_id, day, source, decile, stage, reach having sum(n) <> 0',
  );
  const durations = await em.execute<Array<Record<string, unknown>>>(
    'select grain, job_id, day, source, stage, bucket, sum(n) as n from analytics_durations group by grain, job_id, day, source, stage, bucket having sum(n) <> 0',
  );
  const reminders = await em.execute<Array<Record<string, unknown>>>(
    'select grain, day, job_id, source, minutes, channels, outcome, late, sum(n) as n from analytics_reminder_counts group by grain, day, job_id, source, minutes, channels, outcome, late having sum(n) <> 0',
  );
  const bookings = await em.execute<Array<Record<string, unknown>>>(
    'select booking_id, job_id, day, source, minutes, channels, outcome, late from analytics_booking_reminders',
  );
  const scores = await em.execute<Array<Record<string, unknown>>>(
    'select application_id, score_key, score from analytics_report_scores',
  );
  const outcomeRows = await em.execute<Array<Record<string, unknown>>>(
    'select application_id, dim, cat, hire, score_key, job_id, day, status, probation, graded, performance, score from analytics_outcome_rows',
  );
  const outcomeSums = await em.execute<Array<Record<string, unknown>>>(
    'select grain, day, job_id, dim, cat, hire, score_key, status, probation, graded, performance, n, sx, sxx, x0, x1 from analytics_outcome_sums where n <> 0',
  );
  const line = (table: string, r: Record<string, unknown>) =>
    // Numbers as numbers: drivers return bigint columns as strings or numbers.
    [
      table,
      ...Object.values(r).map((v) => (typeof v === 'string' && !/^-?\d+$/.test(v) ? v : Number(v))),
    ].join('|');
  return [
    ...counts.map((r) => line('counts', r)),
    ...durations.map((r) => line('durations', r)),
    ...reminders.map((r) => line('reminders', r)),
    ...bookings.map((r) => line('bookings', r)),
    ...scores.map((r) => line('scores', r)),
    ...outcomeRows.map((r) => line('outcomes', r)),
    ...outcomeSums.map((r) => line('outcomeSums', r)),
  ].sort();
}

const ROLLBACK = new Error('rollback');

/** The rollup rows a rebuild from the source tables would write now (nothing is changed). */
export async function recomputedRollupRows(em: Em, dialect: Dialect): Promise<string[]> {
  let rows: string[] = [];
  try {
    await em.fork().transactional(async (tx) => {
      for (const sql of rollupsRebuild(dialect)) await tx.execute(sql);
      rows = await rollupRows(tx);
      throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return rows;
}
