/**
 * The SQL of the `analytics_rollups` migrations (both dialects): triggers that keep
 * `analytics_application_counts` and `analytics_durations` (entities/AnalyticsRollup.ts) exact in
 * the same transaction as every change to what they count, and the backfill of existing rows.
 *
 * Triggers rather than application code because applications are created, moved, scored and
 * re-sourced by many code paths (invitations, imports, the workflow, scoring, seeds, the history
 * generator); a counter every path must remember to update is a counter that drifts. The SQL is
 * frozen here with the migration: later changes belong in a new migration.
 */

import { type Dialect, shanghaiDay as day, guardIf, type Sharding, shardOf, trigger } from './triggerSql';

/** Milliseconds between two stored instants (SQLite stores epoch milliseconds). */
function ms(d: Dialect, from: string, to: string): string {
  return d === 'mysql' ? `(timestampdiff(microsecond, ${from}, ${to}) div 1000)` : `(${to} - ${from})`;
}

/** Integer division (both operands are non-negative integers here). */
function div(d: Dialect, a: string, b: number): string {
  return d === 'mysql' ? `(${a} div ${b})` : `(${a} / ${b})`;
}

/**
 * A duration rounded down to the histogram's resolution: 1 minute below 10 h, 10 minutes below
 * 100 h, 1 hour below 1,000 h, 10 hours beyond (the same as analytics/stats.ts durationBucket).
 */
function bucket(d: Dialect, m: string): string {
  const steps: Array<[number, number]> = [
    [36_000_000, 60_000],
    [360_000_000, 600_000],
    [3_600_000_000, 3_600_000],
  ];
  const whens = steps.map(([below, w]) => `when ${m} < ${below} then ${div(d, m, w)} * ${w}`).join(' ');
  return `(case ${whens} else ${div(d, m, 36_000_000)} * 36000000 end)`;
}

/** The AI overall score's decile (-1: not scored). */
function decile(d: Dialect, overall: string): string {
  return `coalesce(${div(d, overall, 10)}, -1)`;
}

/** The decile of an application's current review. */
function appDecile(d: Dialect, appId: string): string {
  return decile(d, `(select rv.overall from application_reviews rv where rv.application_id = ${appId})`);
}

const COUNT_COLS = 'grain, job_id, day, source, decile, stage, reach, n';
const COUNT_KEY = 'grain, job_id, day, source, decile, stage, reach';
const DURATION_COLS = 'grain, job_id, day, source, stage, bucket, n';
const DURATION_KEY = 'grain, job_id, day, source, stage, bucket';

/**
 * INSERT ... SELECT that adds `n` to existing rows of the same key; with `shard` (the select's
 * last column is then the shard), the key includes the table's `shard` column.
 */
function upsert(
  d: Dialect,
  table: string,
  cols: string,
  key: string,
  select: string,
  shard?: string,
): string {
  if (shard !== undefined) {
    cols = `${cols}, shard`;
    key = `${key}, shard`;
  }
  return d === 'mysql'
    ? `insert into ${table} (${cols}) ${select} on duplicate key update n = n + values(n)`
    : `insert into ${table} (${cols}) ${select} on conflict (${key}) do update set n = n + excluded.n`;
}

/**
 * Application counts for the applications `from` yields (alias `a`, with its candidate `c`), both
 * grains, each application adding `n` (an expression: 1, -1 or count(*) with `groupBy`).
 */
function countRowsOf(
  d: Dialect,
  o: {
    from: string;
    where: string;
    n: string;
    decile: string;
    source?: string;
    groupBy?: boolean;
    shard?: string;
  },
): string[] {
  const source = o.source ?? 'c.source';
  // The shard goes after `n`, so the positions grouped by stay the same.
  const n = o.shard === undefined ? o.n : `${o.n}, ${o.shard}`;
  const tail = `from ${o.from} where ${o.where}${o.groupBy ? ' group by 1, 2, 3, 4, 5, 6, 7' : ''}`;
  return [
    `select 'job', a.job_id, 0, ${source}, ${o.decile}, a.stage, a.funnel_reach, ${n} ${tail}`,
    `select 'day', a.job_id, ${day(d, 'a.created_at')}, ${source}, ${o.decile}, a.stage, a.funnel_reach, ${n} ${tail}`,
  ].map((s) => upsert(d, 'analytics_application_counts', COUNT_COLS, COUNT_KEY, s, o.shard));
}

/**
 * Duration rows for the stage events `from` yields (alias `e`, application `a`, candidate `c`):
 * the stay in `from_stage` (when known) and, for a move to hired, the time to hire.
 */
export function durationRowsOf(
  d: Dialect,
  o: { from: string; where: string; n: string; source?: string; groupBy?: boolean; shard?: string },
): string[] {
  const source = o.source ?? 'c.source';
  const n = o.shard === undefined ? o.n : `${o.n}, ${o.shard}`;
  const g = o.groupBy ? ' group by 1, 2, 3, 4, 5, 6' : '';
  const stay = bucket(d, ms(d, 'e.from_since', 'e.at'));
  const hire = bucket(d, ms(d, 'a.created_at', 'e.at'));
  const stayWhere = `${o.where} and e.from_stage is not null and e.from_since is not null`;
  const hireWhere = `${o.where} and e.to_stage = 'hired'`;
  const dayOf = day(d, 'a.created_at');
  const rows = [
    // Stays: `all` unsplit (read in key order for the company-wide view), `src` by source.
    `select 'all', 0, 0, '', e.from_stage, ${stay}, ${n} from ${o.from} where ${stayWhere}${g}`,
    `select 'src', 0, 0, ${source}, e.from_stage, ${stay}, ${n} from ${o.from} where ${stayWhere}${g}`,
    `select 'job', e.job_id, 0, '', e.from_stage, ${stay}, ${n} from ${o.from} where ${stayWhere}${g}`,
    `select 'day', 0, ${dayOf}, '', e.from_stage, ${stay}, ${n} from ${o.from} where ${stayWhere}${g}`,
    `select 'all', 0, 0, ${source}, '@hire', ${hire}, ${n} from ${o.from} where ${hireWhere}${g}`,
    `select 'job', e.job_id, 0, ${source}, '@hire', ${hire}, ${n} from ${o.from} where ${hireWhere}${g}`,
    `select 'day', 0, ${dayOf}, ${source}, '@hire', ${hire}, ${n} from ${o.from} where ${hireWhere}${g}`,
  ];
  return rows.map((s) => upsert(d, 'analytics_durations', DURATION_COLS, DURATION_KEY, s, o.shard));
}

/** `applications a join candidates c`, for one application row of a trigger (NEW or OLD). */
function appRow(ref: 'NEW' | 'OLD'): { from: string; where: string } {
  // The trigger's row, read back through a one-row select so the same column names (a.*) serve
  // triggers and the backfill. For OLD rows (update, delete) the values come from OLD itself.
  return {
    from: `candidates c cross join (select ${ref}.id as id, ${ref}.job_id as job_id, ${ref}.created_at as created_at, ${ref}.stage as stage, ${ref}.funnel_reach as funnel_reach) a`,
    where: `c.id = ${ref}.candidate_id`,
  };
}

/** Stage events with their application and candidate (aliases `e`, `a`, `c`). */
export const EVENT_FROM =
  'application_stage_events e join applications a on a.id = e.application_id join candidates c on c.id = a.candidate_id';

/** Statements that create the triggers and backfill the rollups from existing rows. */
export function analyticsRollupsUp(d: Dialect): string[] {
  return [
    ...analyticsRollupsTriggers(d),
    // Backfill what exists now.
    ...analyticsRollupsBackfill(d),
  ];
}

/**
 * The statements that create the triggers; `sharded` (migration `analytics_shards`): each count
 * goes to the shard of its application ({@link shardOf}); `guarded` (migration
 * `analytics_trigger_guards`): the update triggers run their statements only when a counted
 * column changed.
 */
export function analyticsRollupsTriggers(d: Dialect, sharded: Sharding = false, guarded = false): string[] {
  const app = sharded ? shardOf('a.id', sharded) : undefined;
  const event = sharded ? shardOf('e.application_id', sharded) : undefined;
  const countRows = (dd: Dialect, o: Parameters<typeof countRowsOf>[1]) =>
    countRowsOf(dd, { ...o, shard: app });
  const durationRows = (dd: Dialect, o: Parameters<typeof durationRowsOf>[1]) =>
    durationRowsOf(dd, { ...o, shard: event });
  const changed =
    'OLD.stage <> NEW.stage or OLD.funnel_reach <> NEW.funnel_reach or OLD.job_id <> NEW.job_id or OLD.candidate_id <> NEW.candidate_id or OLD.created_at <> NEW.created_at';
  const newApp = appRow('NEW');
  const oldApp = appRow('OLD');
  const reviewApp = (ref: 'NEW' | 'OLD') => ({
    from: 'applications a join candidates c on c.id = a.candidate_id',
    where: `a.id = ${ref}.application_id`,
  });
  const reviewChanged =
    'coalesce(OLD.overall, -1) <> coalesce(NEW.overall, -1) or OLD.application_id <> NEW.application_id';
  const sourceChanged = 'OLD.source <> NEW.source';
  const candidateApps = {
    from: 'applications a join candidates c on c.id = a.candidate_id',
    where: `a.candidate_id = NEW.id and ${sourceChanged}`,
  };
  const candidateEvents = { from: EVENT_FROM, where: `a.candidate_id = NEW.id and ${sourceChanged}` };
  return [
    trigger(
      'analytics_applications_ai',
      'after insert',
      'applications',
      countRows(d, { ...newApp, n: '1', decile: appDecile(d, 'NEW.id') }),
    ),
    trigger(
      'analytics_applications_au',
      'after update',
      'applications',
      [
        ...countRows(d, {
          ...oldApp,
          where: `${oldApp.where} and (${changed})`,
          n: '-1',
          decile: appDecile(d, 'OLD.id'),
        }),
        ...countRows(d, {
          ...newApp,
          where: `${newApp.where} and (${changed})`,
          n: '1',
          decile: appDecile(d, 'NEW.id'),
        }),
      ],
      guardIf(guarded, d, changed),
    ),
    // Before the delete: a cascade may remove the review, whose score says which row to lower.
    trigger(
      'analytics_applications_bd',
      'before delete',
      'applications',
      countRows(d, { ...oldApp, n: '-1', decile: appDecile(d, 'OLD.id') }),
    ),
    trigger('analytics_reviews_ai', 'after insert', 'application_reviews', [
      ...countRows(d, { ...reviewApp('NEW'), n: '-1', decile: '-1' }),
      ...countRows(d, { ...reviewApp('NEW'), n: '1', decile: decile(d, 'NEW.overall') }),
    ]),
    trigger(
      'analytics_reviews_au',
      'after update',
      'application_reviews',
      [
        ...countRows(d, {
          from: reviewApp('OLD').from,
          where: `${reviewApp('OLD').where} and (${reviewChanged})`,
          n: '-1',
          decile: decile(d, 'OLD.overall'),
        }),
        ...countRows(d, {
          from: reviewApp('NEW').from,
          where: `${reviewApp('NEW').where} and (${reviewChanged})`,
          n: '1',
          decile: decile(d, 'NEW.overall'),
        }),
      ],
      guardIf(guarded, d, reviewChanged),
    ),
    trigger('analytics_reviews_ad', 'after delete', 'application_reviews', [
      ...countRows(d, { ...reviewApp('OLD'), n: '-1', decile: decile(d, 'OLD.overall') }),
      ...countRows(d, { ...reviewApp('OLD'), n: '1', decile: '-1' }),
    ]),
    trigger(
      'analytics_candidates_au',
      'after update',
      'candidates',
      [
        ...countRows(d, { ...candidateApps, n: '-1', decile: appDecile(d, 'a.id'), source: 'OLD.source' }),
        ...countRows(d, { ...candidateApps, n: '1', decile: appDecile(d, 'a.id'), source: 'NEW.source' }),
        ...durationRows(d, { ...candidateEvents, n: '-1', source: 'OLD.source' }),
        ...durationRows(d, { ...candidateEvents, n: '1', source: 'NEW.source' }),
      ],
      guardIf(guarded, d, sourceChanged),
    ),
    trigger(
      'analytics_stage_events_ai',
      'after insert',
      'application_stage_events',
      durationRows(d, {
        from: `(select NEW.application_id as application_id, NEW.job_id as job_id, NEW.from_stage as from_stage, NEW.to_stage as to_stage, NEW.at as at, NEW.from_since as from_since) e join applications a on a.id = e.application_id join candidates c on c.id = a.candidate_id`,
        where: '1 = 1',
        n: '1',
      }),
    ),
  ];
}

/**
 * The rollups' `job`, `day`, `all` and `src` rows computed from the source tables (added to what
 * the tables hold: run on empty tables for a from-scratch recomputation).
 */
export function analyticsRollupsBackfill(d: Dialect, shard?: '0'): string[] {
  return [
    ...countRowsOf(d, {
      shard,
      from: 'applications a join candidates c on c.id = a.candidate_id',
      where: '1 = 1',
      n: 'count(*)',
      decile: appDecile(d, 'a.id'),
      groupBy: true,
    }),
    ...durationRowsOf(d, { from: EVENT_FROM, where: '1 = 1', n: 'count(*)', groupBy: true, shard }),
  ];
}

/** Drops the triggers (the tables are dropped by the migration). */
export function analyticsRollupsDown(): string[] {
  return [
    'analytics_applications_ai',
    'analytics_applications_au',
    'analytics_applications_bd',
    'analytics_reviews_ai',
    'analytics_reviews_au',
    'analytics_reviews_ad',
    'analytics_candidates_au',
    'analytics_stage_events_ai',
  ].map((t) => `drop trigger if exists ${t}`);
}
