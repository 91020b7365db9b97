/**
 * SQL pieces shared by the analytics rollups' migrations (their triggers, backfills and the
 * rebuild after a bulk load). Each piece returns the same text for every caller, so a trigger
 * created by one migration reads the same as the next one's; change one only with a migration
 * that recreates what it built.
 */

/** The two SQL dialects the migrations write. */
export type Dialect = 'mysql' | 'sqlite';

/**
 * A condition on a trigger's row (`OLD`/`NEW`) under which its statements run at all (migration
 * `analytics_trigger_guards`). Without one every statement of the body runs for every row and
 * finds nothing when its own condition is false; with one a row the rollup does not care about
 * (an outbox message that is not a candidate reminder, an application update that moves no
 * counted column) costs one expression instead of a dozen planned and executed statements.
 */
export interface TriggerGuard {
  dialect: Dialect;
  /** The condition, over `OLD`/`NEW` only (SQLite's `WHEN` allows nothing else usefully). */
  when: string;
}

/**
 * `create trigger` for each row of `table`, running `body`'s statements in order; with `guard`,
 * only for rows where its condition holds (MySQL: the body inside `if … then … end if`; SQLite:
 * the trigger's `when` clause). Each statement of a guarded body keeps its own condition too,
 * so the guard changes what runs, never what the statements write.
 */
export function trigger(
  name: string,
  when: string,
  table: string,
  body: string[],
  guard?: TriggerGuard,
): string {
  const statements = body.map((s) => `${s};`).join(' ');
  if (!guard) return `create trigger ${name} ${when} on ${table} for each row begin ${statements} end`;
  return guard.dialect === 'mysql'
    ? `create trigger ${name} ${when} on ${table} for each row begin if (${guard.when}) then ${statements} end if; end`
    : `create trigger ${name} ${when} on ${table} for each row when (${guard.when}) begin ${statements} end`;
}

/** The guard for `when` in dialect `d` when `guarded`, else none (the builders' older text). */
export function guardIf(guarded: boolean, d: Dialect, when: string): TriggerGuard | undefined {
  return guarded ? { dialect: d, when } : undefined;
}

/**
 * Days since 1970-01-01 of the Asia/Shanghai calendar day of a stored instant (MySQL datetime,
 * SQLite epoch milliseconds): the `day` grain of every rollup.
 */
export function shanghaiDay(d: Dialect, col: string): string {
  return d === 'mysql' ? `(to_days(${col} + interval 8 hour) - 719528)` : `((${col} + 28800000) / 86400000)`;
}

/**
 * Null-safe "OLD.col differs from NEW.col" in a trigger, compared byte for byte in MySQL (its
 * default collation would call a case-only rename of a key or category equal).
 */
export function differsBinary(d: Dialect, col: string): string {
  return d === 'mysql'
    ? `not (cast(OLD.${col} as binary) <=> cast(NEW.${col} as binary))`
    : `OLD.${col} is not NEW.${col}`;
}

/**
 * How many rows each hot count of the rollups is split into: a trigger adds to shard
 * `<source row id> mod ROLLUP_SHARDS` of its count, so two transactions moving applications (or
 * bookings) of the same job, stage and day rarely wait on the same row lock until the first
 * commits. Readers sum over the shards; a backfill or rebuild writes shard 0. Changing it needs no
 * migration of the data (any split sums the same), only of the triggers: migration
 * `analytics_shards` made 16 ({@link FIRST_ROLLUP_SHARDS}), `analytics_shards_64` 64, after a
 * lock census of the thousand-candidate run still found 28–46 stage moves per run waiting on
 * another move's count row (BENCHMARKS.md, load).
 */
export const ROLLUP_SHARDS = 64;

/** The shard count of migration `analytics_shards` (its triggers' text, kept as it was). */
export const FIRST_ROLLUP_SHARDS = 16;

/**
 * How a trigger builder writes count rows: `false` unsharded (the migrations before
 * `analytics_shards`), `true` into {@link FIRST_ROLLUP_SHARDS} shards, a number into that many.
 */
export type Sharding = boolean | number;

/** The shard of a count row written for the source row whose id `id` is (an SQL expression). */
export function shardOf(id: string, sharding: Exclude<Sharding, false>): string {
  return `(${id} % ${sharding === true ? FIRST_ROLLUP_SHARDS : sharding})`;
}
