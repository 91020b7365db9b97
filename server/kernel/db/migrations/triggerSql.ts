/**
 * SQL pieces shared by the analytics rollups' migrations (their triggers, backfills and the
 * rebuild after a bulk load). Each piece returns the same text for every caller, so a trigger
 * created by one migration reads the same as the next one's; change one only with a migration
 * that recreates what it built.
 */

/** The two SQL dialects the migrations write. */
export type Dialect = 'mysql' | 'sqlite';

/** `create trigger` for each row of `table`, running `body`'s statements in order. */
export function trigger(name: string, when: string, table: string, body: string[]): string {
  return `create trigger ${name} ${when} on ${table} for each row begin ${body.map((s) => `${s};`).join(' ')} end`;
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
