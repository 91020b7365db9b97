/**
 * The SQL of the `analytics_trigger_guards` migrations (both dialects): every analytics trigger
 * that has a condition runs its statements only for rows that meet it.
 *
 * Why: a trigger's body was a list of statements each carrying the condition in its WHERE, so
 * MariaDB planned and ran every one of them for every row and found nothing when the condition
 * was false. The outbox's update trigger (candidate reminders for the no-shows rollup) ran six
 * such statements, joins and subqueries included, each time any message or event row was claimed
 * or marked sent, and an application's three update triggers ran about twenty on every stage move
 * although only a hire feeds the outcome sums. In the reminders bench that was most of MariaDB's
 * CPU per message (BENCHMARKS.md, reminders). With the condition as the trigger's guard (MySQL:
 * `if … then … end if` around the body; SQLite: the trigger's `when`) such a row costs one
 * expression. The statements keep their own conditions, so nothing they write changes.
 *
 * Only the triggers whose text the guard changes are dropped and created again: those of the
 * rollups, the department grain and the reminders as migration `analytics_shards_64` left them
 * (64 shards, frozen here), and those of the outcome sums and report scores as their own
 * migrations made them. Down creates the same triggers without the guard.
 */
import { analyticsDepartmentGrainTriggers } from './analyticsDepartmentGrainSql';
import { analyticsOutcomeSumsTriggers } from './analyticsOutcomeSumsSql';
import { analyticsRemindersTriggers } from './analyticsRemindersSql';
import { analyticsReportScoresTriggers } from './analyticsReportScoresSql';
import { analyticsRollupsTriggers } from './analyticsRollupsSql';
import type { Dialect } from './triggerSql';

/** The shard count the triggers had when this migration was written (`analytics_shards_64`). */
const SHARDS = 64;

/** Every analytics trigger as the migrations before this one left it, guarded or not. */
function analyticsTriggers(d: Dialect, guarded: boolean): string[] {
  return [
    ...analyticsRollupsTriggers(d, SHARDS, guarded),
    ...analyticsDepartmentGrainTriggers(d, SHARDS, guarded),
    ...analyticsRemindersTriggers(d, SHARDS, guarded),
    ...analyticsOutcomeSumsTriggers(d, guarded),
    ...analyticsReportScoresTriggers(d, guarded),
  ];
}

/** The name of the trigger a `create trigger` statement creates. */
function triggerName(sql: string): string {
  const m = /^create trigger (\w+) /.exec(sql);
  if (!m) throw new Error(`not a create trigger statement: ${sql.slice(0, 60)}`);
  return m[1];
}

/**
 * Statements that drop every analytics trigger a guard applies to and create it again with its
 * guard (`guarded`, up) or without (down).
 */
export function analyticsTriggerGuards(d: Dialect, guarded: boolean): string[] {
  const plain = analyticsTriggers(d, false);
  const withGuard = analyticsTriggers(d, true);
  const touched = plain.flatMap((sql, i) => (sql === withGuard[i] ? [] : [i]));
  return [
    ...touched.map((i) => `drop trigger if exists ${triggerName(plain[i])}`),
    ...touched.map((i) => (guarded ? withGuard : plain)[i]),
  ];
}

/** The names of the triggers {@link analyticsTriggerGuards} recreates (for tests). */
export function guardedTriggerNames(d: Dialect): string[] {
  return analyticsTriggerGuards(d, true)
    .filter((s) => s.startsWith('create trigger'))
    .map(triggerName);
}
