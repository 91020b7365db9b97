/**
 * Analytics rollups in tests: the rows the triggers keep, and the rows a from-scratch
 * recomputation from the source tables gives (the migration's rebuild SQL, run in a transaction
 * that is rolled back, so the database under test is left as it was).
 */
import { analyticsRebuild } from '../kernel/db/migrations/analyticsDeletionSql';
import type { Em } from '../kernel/db/types';
import type { Dialect } from './harness';

/** Both rollup tables as sorted `table|key…|n` lines, rows with n = 0 left out (nothing counted). */
export async function rollupRows(em: Em): Promise<string[]> {
  const counts = await em.execute<Array<Record<string, unknown>>>(
    'select grain, job_id, day, source, decile, stage, reach, n from analytics_application_counts where n <> 0',
  );
  const durations = await em.execute<Array<Record<string, unknown>>>(
    'select grain, job_id, day, source, stage, bucket, n from analytics_durations where n <> 0',
  );
  const line = (table: string, r: Record<string, unknown>) =>
    // Numbers as numbers: drivers return bigint columns as strings or numbers.
    [
      table,
      ...Object.values(r).map((v) => (typeof v === 'string' && !/^-?\d+$/.test(v) ? v : Number(v))),
    ].join('|');
  return [...counts.map((r) => line('counts', r)), ...durations.map((r) => line('durations', r))].sort();
}

const ROLLBACK = new Error('rollback');

/** The rollup rows a rebuild from the source tables would write now (nothing is changed). */
export async function recomputedRollupRows(em: Em, dialect: Dialect): Promise<string[]> {
  let rows: string[] = [];
  try {
    await em.fork().transactional(async (tx) => {
      for (const sql of analyticsRebuild(dialect)) await tx.execute(sql);
      rows = await rollupRows(tx);
      throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return rows;
}
