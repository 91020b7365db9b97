/**
 * Bulk loads (the history generator: a million stage events, hundreds of thousands of bookings
 * and outbox rows) without the analytics triggers, then the rollups rebuilt once from the source
 * tables with the migrations' own backfill SQL.
 *
 * Why: the triggers keep the rollups exact one row at a time, which is right for the product's
 * writes and far too slow for a generator (more than 20 minutes for 100,000 applications on
 * MariaDB: every event runs about ten upserts). A rebuild is a few set-based INSERT ... SELECTs.
 *
 * The triggers are read from the database itself (not from the migrations' source), dropped,
 * and created again exactly as they were, in the same order, so whatever later migrations change
 * comes back as it is. SQLite runs everything (drop, load, create, rebuild) in one transaction,
 * so a crash leaves the database as before. On MySQL/MariaDB a trigger's DDL commits on its own:
 * other writers' changes while the triggers are off are counted by the rebuild, but a bulk load
 * is meant for a database nobody else writes to while it runs (a benchmark's fresh database, the
 * demo's first start).
 */
import { analyticsRebuild } from './migrations/analyticsDeletionSql';
import { analyticsOutcomeSumsRebuild } from './migrations/analyticsOutcomeSumsSql';
import { analyticsRemindersRebuild } from './migrations/analyticsRemindersSql';
import { analyticsReportScoresRebuild } from './migrations/analyticsReportScoresSql';
import { dialectOf } from './tx';
import type { Em } from './types';

/**
 * Every analytics rollup emptied and recomputed from the source tables (the migrations' backfills),
 * a rollup read by another after it (the outcome sums read the report scores).
 */
export function rollupsRebuild(d: 'mysql' | 'sqlite'): string[] {
  return [
    // Sharded: the count tables have their `shard` column since migration `analytics_shards`.
    ...analyticsRebuild(d, true),
    ...analyticsRemindersRebuild(d, true),
    ...analyticsReportScoresRebuild(d),
    ...analyticsOutcomeSumsRebuild(d),
  ];
}

/** A trigger as the database holds it: its name, its table and the statement that creates it again. */
interface SavedTrigger {
  name: string;
  table: string;
  create: string;
}

/**
 * Triggers on a rollup table (the outcome sums follow the report scores) come back after the
 * rebuild: the rebuild empties and refills that rollup, and each of its rows would otherwise
 * refresh a hire in the rollup the rebuild writes next anyway (minutes at 100,000 applications).
 */
function onRollup(t: SavedTrigger): boolean {
  return t.table.startsWith('analytics_');
}

/** The rollup triggers (`analytics_*`) in creation order, as statements that recreate them. */
async function rollupTriggers(em: Em): Promise<SavedTrigger[]> {
  if (dialectOf(em) === 'sqlite') {
    const rows = await em.execute<Array<{ name: string; tbl: string; sql: string }>>(
      "select name, tbl_name as tbl, sql from sqlite_master where type = 'trigger' and name like 'analytics%' order by rowid",
    );
    return rows.map((r) => ({ name: r.name, table: r.tbl, create: r.sql }));
  }
  // Several triggers on one table and event fire in ACTION_ORDER: creating them in that order
  // (each new one goes last) keeps it.
  const rows = await em.execute<
    Array<{ name: string; timing: string; event: string; tbl: string; body: string }>
  >(
    `select trigger_name as name, action_timing as timing, event_manipulation as event,
            event_object_table as tbl, action_statement as body
       from information_schema.triggers
      where trigger_schema = database() and trigger_name like 'analytics%'
      order by event_object_table, event_manipulation, action_timing, action_order`,
  );
  return rows.map((r) => ({
    name: r.name,
    table: r.tbl,
    create: `create trigger \`${r.name}\` ${r.timing} ${r.event} on \`${r.tbl}\` for each row ${r.body}`,
  }));
}

async function runAll(em: Em, statements: string[]): Promise<void> {
  for (const sql of statements) await em.execute(sql);
}

/**
 * Runs `load` (in a transaction) with the rollup triggers off, puts them back and rebuilds every
 * rollup. Returns what `load` returns. See the file comment for when to use it.
 */
export async function bulkLoad<T>(em: Em, load: (tx: Em) => Promise<T>): Promise<T> {
  const d = dialectOf(em);
  if (d === 'sqlite')
    return em.fork().transactional(async (tx) => {
      const saved = await rollupTriggers(tx);
      await runAll(
        tx,
        saved.map((t) => `drop trigger ${t.name}`),
      );
      const out = await load(tx);
      await runAll(
        tx,
        saved.filter((t) => !onRollup(t)).map((t) => t.create),
      );
      await runAll(tx, rollupsRebuild(d));
      await runAll(
        tx,
        saved.filter(onRollup).map((t) => t.create),
      );
      return out;
    });
  const saved = await rollupTriggers(em);
  await runAll(
    em.fork(),
    saved.map((t) => `drop trigger if exists \`${t.name}\``),
  );
  try {
    return await em.fork().transactional(load);
  } finally {
    await runAll(
      em.fork(),
      saved.filter((t) => !onRollup(t)).map((t) => t.create),
    );
    await em.fork().transactional((tx) => runAll(tx, rollupsRebuild(d)));
    await runAll(
      em.fork(),
      saved.filter(onRollup).map((t) => t.create),
    );
  }
}
