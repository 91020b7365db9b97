/**
 * The SQL of the `analytics_times_speed` migrations (both dialects): a `dep` grain of
 * `analytics_durations` (job_id holds the department id; day 0; stays unsplit by source, hires by
 * source, like the `job` grain), kept exact by triggers in the same transaction as every change.
 *
 * Why: a department's time-in-stage read summed the `job` grain of each of its jobs, and every job
 * has its own long tail of duration buckets, so a department read grew with its jobs (about 20,000
 * rows per department at 200,000 stage events). The `dep` grain holds one bucket list per
 * department.
 *
 * Invariant: the `dep` rows of a department equal the sum of the `job` rows of the jobs now in
 * it. Events add to both grains from the same insert (job by the event's job_id, department by that
 * job's department); a candidate's corrected source moves their hires in both; a job moved to
 * another department moves its `job` rows between departments; a deleted job takes its rows out
 * (the scoped read only ever saw existing jobs). Separate triggers from the analytics_rollups
 * migration's (MariaDB and SQLite run several per table and event), so that frozen SQL stays as
 * it was. Later changes belong in a new migration.
 */

import { type Dialect, guardIf, type Sharding, shardOf, trigger } from './triggerSql';

/** Milliseconds between two stored instants (as analyticsRollupsSql.ts). */
function ms(d: Dialect, from: string, to: string): string {
  return d === 'mysql' ? `(timestampdiff(microsecond, ${from}, ${to}) div 1000)` : `(${to} - ${from})`;
}

function div(d: Dialect, a: string, b: number): string {
  return d === 'mysql' ? `(${a} div ${b})` : `(${a} / ${b})`;
}

/** The histogram bucket of a duration (as analyticsRollupsSql.ts and stats.ts durationBucket). */
function bucket(d: Dialect, m: string): string {
  const steps: Array<[number, number]> = [
    [36_000_000, 60_000],
    [360_000_000, 600_000],
    [3_600_000_000, 3_600_000],
  ];
  const whens = steps.map(([below, w]) => `when ${m} < ${below} then ${div(d, m, w)} * ${w}`).join(' ');
  return `(case ${whens} else ${div(d, m, 36_000_000)} * 36000000 end)`;
}

const COLS = 'grain, job_id, day, source, stage, bucket, n';
const KEY = 'grain, job_id, day, source, stage, bucket';

/**
 * INSERT ... SELECT adding `n` to existing rows of the same key; `sharded`: the select's last
 * column is the row's shard, part of the key (migration `analytics_shards`).
 */
function upsert(d: Dialect, select: string, sharded: Sharding = false): string {
  const cols = sharded ? `${COLS}, shard` : COLS;
  const key = sharded ? `${KEY}, shard` : KEY;
  return d === 'mysql'
    ? `insert into analytics_durations (${cols}) ${select} on duplicate key update n = n + values(n)`
    : `insert into analytics_durations (${cols}) ${select} on conflict (${key}) do update set n = n + excluded.n`;
}

/**
 * `dep` rows for the events `from` yields (alias `e`, application `a`, candidate `c`, the event's
 * job `j`): the same rows and conditions as the `job` grain, keyed by `j.department_id`.
 */
export function departmentRows(
  d: Dialect,
  o: { from: string; where: string; n: string; source?: string; shard?: string },
): string[] {
  const source = o.source ?? 'c.source';
  const n = o.shard === undefined ? o.n : `${o.n}, ${o.shard}`;
  const stay = bucket(d, ms(d, 'e.from_since', 'e.at'));
  const hire = bucket(d, ms(d, 'a.created_at', 'e.at'));
  return [
    `select 'dep', j.department_id, 0, '', e.from_stage, ${stay}, ${n} from ${o.from} where ${o.where} and e.from_stage is not null and e.from_since is not null`,
    `select 'dep', j.department_id, 0, ${source}, '@hire', ${hire}, ${n} from ${o.from} where ${o.where} and e.to_stage = 'hired'`,
  ].map((s) => upsert(d, s, o.shard !== undefined));
}

/**
 * One job's `job` rows added to a department's `dep` rows, times `sign` (`sharded`: each to the
 * same shard as the job's row).
 */
function moveJobRows(
  d: Dialect,
  jobId: string,
  departmentId: string,
  sign: 1 | -1,
  when: string,
  sharded: Sharding = false,
): string {
  // A derived table, so the source rows are read before any is written and `n` is unambiguous.
  return upsert(
    d,
    `select 'dep', ${departmentId}, 0, r.source, r.stage, r.bucket, ${sign === 1 ? 'r.m' : '-r.m'}${sharded ? ', r.shard' : ''}
       from (select source, stage, bucket, n as m${sharded ? ', shard' : ''} from analytics_durations where grain = 'job' and job_id = ${jobId}) r
      where ${when}`,
    sharded,
  );
}

/** Statements that create the triggers and backfill the `dep` grain from the `job` grain. */
export function analyticsDepartmentGrainUp(d: Dialect): string[] {
  return [
    ...analyticsDepartmentGrainTriggers(d),
    // Backfill what exists now.
    analyticsDepartmentGrainBackfill(),
  ];
}

/**
 * The statements that create the triggers; `sharded` (migration `analytics_shards`): an event's
 * rows go to the shard of its application, a moved job's rows keep their shards; `guarded`
 * (migration `analytics_trigger_guards`): the update triggers run their statements only when the
 * candidate's source or the job's department changed.
 */
export function analyticsDepartmentGrainTriggers(
  d: Dialect,
  sharded: Sharding = false,
  guarded = false,
): string[] {
  const shard = sharded ? shardOf('e.application_id', sharded) : undefined;
  const eventFrom =
    'application_stage_events e join applications a on a.id = e.application_id join candidates c on c.id = a.candidate_id join jobs j on j.id = e.job_id';
  const moved =
    d === 'mysql'
      ? 'not (OLD.department_id <=> NEW.department_id)'
      : 'OLD.department_id is not NEW.department_id';
  return [
    trigger(
      'analytics_stage_events_ai_dep',
      'after insert',
      'application_stage_events',
      departmentRows(d, {
        from: `(select NEW.application_id as application_id, NEW.job_id as job_id, NEW.from_stage as from_stage, NEW.to_stage as to_stage, NEW.at as at, NEW.from_since as from_since) e join applications a on a.id = e.application_id join candidates c on c.id = a.candidate_id join jobs j on j.id = e.job_id`,
        where: '1 = 1',
        n: '1',
        shard,
      }),
    ),
    // Stays are not split by source: only hires move.
    trigger(
      'analytics_candidates_au_dep',
      'after update',
      'candidates',
      [
        ...departmentRows(d, {
          from: eventFrom,
          where: `a.candidate_id = NEW.id and OLD.source <> NEW.source`,
          n: '-1',
          source: 'OLD.source',
          shard,
        }),
        ...departmentRows(d, {
          from: eventFrom,
          where: `a.candidate_id = NEW.id and OLD.source <> NEW.source`,
          n: '1',
          source: 'NEW.source',
          shard,
        }),
      ].filter((s) => s.includes("'@hire'")),
      guardIf(guarded, d, 'OLD.source <> NEW.source'),
    ),
    trigger(
      'analytics_jobs_au_dep',
      'after update',
      'jobs',
      [
        moveJobRows(
          d,
          'OLD.id',
          'OLD.department_id',
          -1,
          `OLD.department_id is not null and ${moved}`,
          sharded,
        ),
        moveJobRows(
          d,
          'NEW.id',
          'NEW.department_id',
          1,
          `NEW.department_id is not null and ${moved}`,
          sharded,
        ),
      ],
      guardIf(guarded, d, moved),
    ),
    trigger('analytics_jobs_bd_dep', 'before delete', 'jobs', [
      moveJobRows(d, 'OLD.id', 'OLD.department_id', -1, 'OLD.department_id is not null', sharded),
    ]),
  ];
}

/**
 * The `dep` rows computed from the `job` grain of the jobs in each department now (plain insert
 * into a table without `dep` rows: the table's `shard` column, when it has one, takes its
 * default, 0).
 */
export function analyticsDepartmentGrainBackfill(): string {
  return `insert into analytics_durations (${COLS})
     select 'dep', j.department_id, 0, r.source, r.stage, r.bucket, sum(r.n)
       from analytics_durations r join jobs j on j.id = r.job_id
      where r.grain = 'job' and j.department_id is not null
      group by j.department_id, r.source, r.stage, r.bucket`;
}

/** Drops the triggers and the `dep` rows. */
export function analyticsDepartmentGrainDown(): string[] {
  return [
    ...[
      'analytics_stage_events_ai_dep',
      'analytics_candidates_au_dep',
      'analytics_jobs_au_dep',
      'analytics_jobs_bd_dep',
    ].map((t) => `drop trigger if exists ${t}`),
    `delete from analytics_durations where grain = 'dep'`,
  ];
}
