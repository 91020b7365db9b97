/**
 * The SQL of the `analytics_shards` migrations (both dialects): the hot count rows of the
 * analytics rollups (`analytics_application_counts`, `analytics_durations`,
 * `analytics_reminder_counts`) split into `ROLLUP_SHARDS` rows each, by a `shard` column last in
 * the primary key.
 *
 * Why: every stage move fires triggers that add to the same few count rows of the job (its stage
 * counts, the stay durations; a booking its reminder counts) and a row lock is held until COMMIT,
 * so all candidates of a job moving at once queued behind each other across the web process's
 * event-loop turns (issue 18: book, start and submit the slowest calls at p99). The triggers now
 * add to shard `<application id> mod 16` (bookings: the booking id), so two moves share a row
 * only when their ids do modulo 16.
 *
 * The triggers are dropped and created again with the same SQL as before plus the shard (the
 * earlier migrations' text is unchanged: the same builders, called without `sharded`). Existing
 * rows become shard 0: every figure stays, as every reader sums and groups. Down folds the shards
 * back into one row per key and puts the unsharded triggers back.
 */
import { analyticsDeletionDown, analyticsDeletionTriggers } from './analyticsDeletionSql';
import { analyticsDepartmentGrainTriggers } from './analyticsDepartmentGrainSql';
import { analyticsRemindersDown, analyticsRemindersTriggers } from './analyticsRemindersSql';
import { analyticsRollupsDown, analyticsRollupsTriggers } from './analyticsRollupsSql';
import type { Dialect, Sharding } from './triggerSql';

/** Each table: its columns before `n` (the key without the shard), and its SQLite column types. */
const TABLES: Array<{ name: string; key: string[]; sqliteCols: string }> = [
  {
    name: 'analytics_application_counts',
    key: ['grain', 'day', 'job_id', 'source', 'decile', 'stage', 'reach'],
    sqliteCols:
      '`grain` text not null, `day` integer not null, `job_id` integer not null, `source` text not null, `decile` integer not null, `stage` text not null, `reach` integer not null',
  },
  {
    name: 'analytics_durations',
    key: ['grain', 'job_id', 'day', 'source', 'stage', 'bucket'],
    sqliteCols:
      '`grain` text not null, `job_id` integer not null, `day` integer not null, `source` text not null, `stage` text not null, `bucket` bigint not null',
  },
  {
    name: 'analytics_reminder_counts',
    key: ['grain', 'day', 'job_id', 'source', 'minutes', 'channels', 'outcome', 'late'],
    sqliteCols:
      '`grain` text not null, `day` integer not null, `job_id` integer not null, `source` text not null, `minutes` text not null, `channels` text not null, `outcome` text not null, `late` integer not null',
  },
];

const quoted = (cols: string[]) => cols.map((c) => `\`${c}\``).join(', ');

/** Every trigger (and with it every sharded or unsharded writer) built by `sharded` or not. */
function triggers(d: Dialect, sharded: Sharding): string[] {
  return [
    ...analyticsRollupsTriggers(d, sharded),
    ...analyticsDepartmentGrainTriggers(d, sharded),
    ...analyticsDeletionTriggers(d, sharded),
    ...analyticsRemindersTriggers(d, sharded),
  ];
}

/**
 * Drops every trigger that writes the three tables (the department grain's listed here: its own
 * `down` deletes the `dep` rows too).
 */
function dropTriggers(): string[] {
  return [
    ...analyticsRollupsDown(),
    ...[
      'analytics_stage_events_ai_dep',
      'analytics_candidates_au_dep',
      'analytics_jobs_au_dep',
      'analytics_jobs_bd_dep',
    ].map((t) => `drop trigger if exists ${t}`),
    ...analyticsDeletionDown(),
    ...analyticsRemindersDown(),
  ];
}

/** Statements that add the shard to the tables (rows: shard 0) and recreate the triggers. */
export function analyticsShardsUp(d: Dialect): string[] {
  const tables = TABLES.flatMap((t) =>
    d === 'mysql'
      ? // One ALTER: the table is copied once.
        [
          `alter table \`${t.name}\` add \`shard\` int unsigned not null default 0, drop primary key, add primary key (${quoted([...t.key, 'shard'])})`,
        ]
      : // SQLite cannot change a primary key in place: a new table, the rows copied, renamed.
        [
          `create table \`${t.name}_sharded\` (${t.sqliteCols}, \`n\` integer not null, \`shard\` integer not null default 0, primary key (${quoted([...t.key, 'shard'])}))`,
          `insert into \`${t.name}_sharded\` (${quoted([...t.key, 'n', 'shard'])}) select ${quoted([...t.key, 'n'])}, 0 from \`${t.name}\``,
          `drop table \`${t.name}\``,
          `alter table \`${t.name}_sharded\` rename to \`${t.name}\``,
        ],
  );
  return [...dropTriggers(), ...tables, ...triggers(d, true)];
}

/** Statements that fold each key's shards into one row, drop the shard and recreate the old triggers. */
export function analyticsShardsDown(d: Dialect): string[] {
  const tables = TABLES.flatMap((t) => {
    const cols = quoted(t.key);
    const create =
      d === 'mysql'
        ? `create table \`${t.name}_folded\` like \`${t.name}\``
        : `create table \`${t.name}_folded\` (${t.sqliteCols}, \`n\` integer not null, \`shard\` integer not null default 0, primary key (${quoted([...t.key, 'shard'])}))`;
    return [
      create,
      `insert into \`${t.name}_folded\` (${cols}, \`n\`) select ${cols}, sum(\`n\`) from \`${t.name}\` group by ${cols}`,
      `drop table \`${t.name}\``,
      `alter table \`${t.name}_folded\` rename to \`${t.name}\``,
      ...(d === 'mysql'
        ? [`alter table \`${t.name}\` drop primary key, drop column \`shard\`, add primary key (${cols})`]
        : [
            `create table \`${t.name}_old\` (${t.sqliteCols}, \`n\` integer not null, primary key (${cols}))`,
            `insert into \`${t.name}_old\` (${cols}, \`n\`) select ${cols}, \`n\` from \`${t.name}\``,
            `drop table \`${t.name}\``,
            `alter table \`${t.name}_old\` rename to \`${t.name}\``,
          ]),
    ];
  });
  return [...dropTriggers(), ...tables, ...triggers(d, false)];
}

/**
 * Statements that recreate every trigger writing the sharded tables to write `shards` shards
 * (`true`: 16, as migration `analytics_shards` left them). The rows
 * stay as they are: every reader sums over the shards, whatever their number.
 */
export function analyticsShardCount(d: Dialect, shards: Exclude<Sharding, false>): string[] {
  return [...dropTriggers(), ...triggers(d, shards)];
}
