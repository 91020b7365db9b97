/**
 * The SQL of the `analytics_outcome_sums` migrations (both dialects): the closed-loop validity
 * rollup (entities/AnalyticsRollup.ts `AnalyticsOutcomeRow`, `AnalyticsOutcomeSum`), kept by
 * triggers in the same transaction as every change it depends on, and its backfill.
 *
 * One rule for every trigger, as the reminders rollup: a "refresh" of the applications the change
 * touches. Their stored rows are taken out of the sums, recomputed from the source tables and
 * added back. Count, Σx and Σx² are added and subtracted; min and max are not additive, so when
 * rows leave a group its min and max are read again from the other stored rows of the group (an
 * index seek each: the stored rows are indexed by grain key, group, then score), and a row coming
 * in lowers or raises them. A group left empty keeps its row with n = 0 and null min and max;
 * readers skip it.
 *
 * Σx and Σx² are sums of doubles: exact for the scores the scorer writes (integers, halves),
 * within a rounding of the last bit for any other score after many changes (the report shows
 * correlations to a few places; a rebuild recomputes them).
 *
 * What moves a hire between groups, and the trigger that follows it:
 * - its scores (`analytics_report_scores`, itself kept by triggers on interview_reports: a new,
 *   re-scored, moved or deleted report): inserted, updated, deleted;
 * - its outcome (`hire_outcomes`): inserted, its status, probation result, performance score or
 *   application changed, deleted;
 * - the application: inserted as hired, its stage (into or out of `hired`), job, creation time
 *   (the `day` grain) or candidate changed, deleted (before the delete: out of the sums);
 * - the candidate's self-identification (`demographic_self_ids`): inserted, its categories or
 *   candidate changed, deleted (erasure).
 * Departments come from the job when the report is read, so a job moved to another department
 * needs nothing here; the source filter reads the source tables (analytics/outcomes.ts).
 *
 * The demographic dimensions are frozen here (shared/api/demographics.ts today): a new one needs
 * a new migration. Categories longer than 191 characters (the key's length; the API accepts only
 * the catalogue's short codes) are not kept.
 *
 * The SQL is frozen here with the migration: later changes belong in a new migration.
 */

import { type Dialect, shanghaiDay as day, differsBinary as differs, guardIf, trigger } from './triggerSql';

/** The dimensions of shared/api/demographics.ts when the migration was written. */
const DIMENSIONS = ['sex', 'ageBand', 'disability'];
/** The length of `cat` and `score_key` in characters. */
const KEY_LEN = 191;

/** The category of dimension `dims.dim` in `sid.categories`: a non-empty string, else null. */
function category(d: Dialect): string {
  return d === 'mysql'
    ? `(case when json_type(json_extract(sid.categories, concat('$.', dims.dim))) = 'STRING' then nullif(json_unquote(json_extract(sid.categories, concat('$.', dims.dim))), '') end)`
    : `(case when json_type(sid.categories, '$.' || dims.dim) = 'text' then nullif(json_extract(sid.categories, '$.' || dims.dim), '') end)`;
}

const ROW_COLS =
  'application_id, dim, cat, hire, score_key, job_id, day, status, probation, graded, performance, score';
/** The group of a stored row, without its grain. */
const GROUP = ['dim', 'cat', 'hire', 'score_key', 'status', 'probation', 'graded', 'performance'];
const SUM_KEY = `grain, day, job_id, ${GROUP.join(', ')}`;
const SUM_COLS = `${SUM_KEY}, n, sx, sxx, x0, x1`;

/**
 * The stored rows of the applications `where` selects (a condition on `applications` alias `a`):
 * hired applications only, each once for everyone and once per self-identified category.
 */
function hireRows(d: Dialect, where: string): string {
  const dims = DIMENSIONS.map((x) => `select '${x}' as dim`).join(' union all ');
  const cat = category(d);
  const len = d === 'mysql' ? 'char_length' : 'length';
  // Everyone ('' / ''), and each category of the candidate's self-identification.
  const who = `(select a.id as app, '' as dim, '' as cat from applications a where a.stage = 'hired' and (${where})
      union all
      select a.id, dims.dim, ${cat} from applications a join demographic_self_ids sid on sid.candidate_id = a.candidate_id
        cross join (${dims}) dims
       where a.stage = 'hired' and (${where}) and ${cat} is not null and ${len}(${cat}) <= ${KEY_LEN})`;
  const probation = 'coalesce(o.probation_passed, -1)';
  const graded = '(case when o.performance_score is null then 0 else 1 end)';
  const hire = `select w.app, w.dim, w.cat, 1, '', a.job_id, ${day(d, 'a.created_at')}, coalesce(o.status, ''), ${probation}, ${graded}, 0, 0
      from ${who} w join applications a on a.id = w.app left join hire_outcomes o on o.application_id = a.id`;
  const scores = `select w.app, w.dim, w.cat, 0, s.score_key, a.job_id, ${day(d, 'a.created_at')}, '', ${probation}, ${graded}, coalesce(o.performance_score, 0), s.score
      from ${who} w join applications a on a.id = w.app join analytics_report_scores s on s.application_id = a.id
      left join hire_outcomes o on o.application_id = a.id`;
  return `insert into analytics_outcome_rows (${ROW_COLS}) ${hire} union all ${scores}`;
}

/** Each grain: its name and the stored row's day and job in it. */
const GRAINS: Array<[string, string, string]> = [
  ['all', '0', '0'],
  ['job', '0', 'r.job_id'],
  ['day', 'r.day', 'r.job_id'],
];

/** The group columns of stored row `r` (the select list after grain, day, job). */
const rGroup = GROUP.map((c) => `r.${c}`).join(', ');

/**
 * INSERT ... SELECT adding to the sums: count, Σx, Σx² added; with `extremes`, the min and max
 * lowered and raised (a group's row with n = 0 has null min and max: the new value is taken).
 */
function upsert(d: Dialect, select: string, extremes: boolean): string {
  const add = ['n', 'sx', 'sxx'];
  if (d === 'mysql')
    return `insert into analytics_outcome_sums (${SUM_COLS}) ${select} on duplicate key update ${[
      ...add.map((c) => `${c} = ${c} + values(${c})`),
      ...(extremes
        ? [
            'x0 = coalesce(least(x0, values(x0)), values(x0))',
            'x1 = coalesce(greatest(x1, values(x1)), values(x1))',
          ]
        : []),
    ].join(', ')}`;
  return `insert into analytics_outcome_sums (${SUM_COLS}) ${select} on conflict (${SUM_KEY}) do update set ${[
    ...add.map((c) => `${c} = ${c} + excluded.${c}`),
    ...(extremes
      ? [
          'x0 = coalesce(min(x0, excluded.x0), excluded.x0)',
          'x1 = coalesce(max(x1, excluded.x1), excluded.x1)',
        ]
      : []),
  ].join(', ')}`;
}

/**
 * The stored rows `where` selects (alias `r`) added to (`sign` 1) or taken out of (-1) every
 * grain, one row at a time. `where` is never empty (SQLite reads `ON CONFLICT` after a SELECT
 * without WHERE as a join).
 */
function addRows(d: Dialect, where: string, sign: 1 | -1): string[] {
  const s = sign === 1 ? '' : '-';
  return GRAINS.map(([g, dy, job]) =>
    upsert(
      d,
      `select '${g}', ${dy}, ${job}, ${rGroup}, ${s}1, ${s}r.score, ${s}r.score * r.score, r.score, r.score
         from analytics_outcome_rows r where ${where}`,
      sign === 1,
    ),
  );
}

/**
 * The min and max of the groups the stored rows `where` selects are in, read again from the
 * group's other stored rows (those `others` allows): null when none is left.
 */
function extremes(d: Dialect, where: string, others: string): string[] {
  return GRAINS.map(([g, dy, job]) => {
    const same = [
      ...GROUP.map((c) => `r2.${c} = r.${c}`),
      ...(g === 'all' ? [] : ['r2.job_id = r.job_id']),
      ...(g === 'day' ? ['r2.day = r.day'] : []),
      others,
    ].join(' and ');
    const pick = (dir: 'asc' | 'desc') =>
      `(select r2.score from analytics_outcome_rows r2 where ${same} order by r2.score ${dir} limit 1)`;
    const select = `select '${g}', ${dy}, ${job}, ${rGroup}, 0, 0, 0, ${pick('asc')}, ${pick('desc')}
       from analytics_outcome_rows r where ${where}`;
    return d === 'mysql'
      ? `insert into analytics_outcome_sums (${SUM_COLS}) ${select} on duplicate key update x0 = values(x0), x1 = values(x1)`
      : `insert into analytics_outcome_sums (${SUM_COLS}) ${select} on conflict (${SUM_KEY}) do update set x0 = excluded.x0, x1 = excluded.x1`;
  });
}

/**
 * Statements that refresh the applications whose ids `ids` yields (a list or subquery), when
 * `when` holds: out of the sums (with their groups' min and max read again without them), stored
 * rows recomputed from the source tables, back into the sums.
 */
function refresh(d: Dialect, ids: string, when = '1 = 1'): string[] {
  const stored = `r.application_id in (${ids}) and (${when})`;
  return [
    ...addRows(d, stored, -1),
    ...extremes(d, stored, `r2.application_id not in (${ids})`),
    `delete from analytics_outcome_rows where application_id in (${ids}) and (${when})`,
    hireRows(d, `a.id in (${ids}) and (${when})`),
    ...addRows(d, stored, 1),
  ];
}

function changed(d: Dialect, cols: string[]): string {
  return cols.map((c) => differs(d, c)).join(' or ');
}

/** Statements that create the triggers and backfill the rollup from the source tables. */
export function analyticsOutcomeSumsUp(d: Dialect): string[] {
  const bin = (c: string) =>
    `alter table ${c.split('.')[0]} modify ${c.split('.')[1]} varchar(${KEY_LEN}) character set utf8mb4 collate utf8mb4_bin not null`;
  return [
    ...(d === 'mysql'
      ? [
          'analytics_outcome_rows.cat',
          'analytics_outcome_rows.score_key',
          'analytics_outcome_sums.cat',
          'analytics_outcome_sums.score_key',
        ].map(bin)
      : []),
    ...analyticsOutcomeSumsTriggers(d),
    ...analyticsOutcomeSumsRebuild(d),
  ];
}

/**
 * The statements that create the triggers; `guarded` (migration `analytics_trigger_guards`): a
 * trigger with a condition (a hire, a changed score, outcome or self-identification) runs its
 * statements only for rows that meet it.
 */
export function analyticsOutcomeSumsTriggers(d: Dialect, guarded = false): string[] {
  const scoresChanged = changed(d, ['application_id', 'score_key', 'score']);
  const outcomeChanged = changed(d, ['application_id', 'status', 'probation_passed', 'performance_score']);
  const appChanged = `(OLD.stage = 'hired' or NEW.stage = 'hired') and (${changed(d, [
    'stage',
    'job_id',
    'created_at',
    'candidate_id',
  ])})`;
  const ofCandidates = (ids: string) => `select id from applications where candidate_id in (${ids})`;
  /** A trigger refreshing the applications `ids` yields when `when` holds (its guard when guarded). */
  const refreshing = (name: string, event: string, table: string, ids: string, when?: string) =>
    trigger(name, event, table, refresh(d, ids, when), when ? guardIf(guarded, d, when) : undefined);
  return [
    refreshing(
      'analytics_outcomes_scores_ai',
      'after insert',
      'analytics_report_scores',
      'NEW.application_id',
    ),
    refreshing(
      'analytics_outcomes_scores_au',
      'after update',
      'analytics_report_scores',
      'OLD.application_id, NEW.application_id',
      scoresChanged,
    ),
    refreshing(
      'analytics_outcomes_scores_ad',
      'after delete',
      'analytics_report_scores',
      'OLD.application_id',
    ),
    refreshing('analytics_outcomes_hire_ai', 'after insert', 'hire_outcomes', 'NEW.application_id'),
    refreshing(
      'analytics_outcomes_hire_au',
      'after update',
      'hire_outcomes',
      'OLD.application_id, NEW.application_id',
      outcomeChanged,
    ),
    refreshing('analytics_outcomes_hire_ad', 'after delete', 'hire_outcomes', 'OLD.application_id'),
    refreshing(
      'analytics_outcomes_applications_ai',
      'after insert',
      'applications',
      'NEW.id',
      "NEW.stage = 'hired'",
    ),
    refreshing('analytics_outcomes_applications_au', 'after update', 'applications', 'NEW.id', appChanged),
    // Before the delete: out of the sums, not recomputed, as the application is about to go.
    trigger('analytics_outcomes_applications_bd', 'before delete', 'applications', [
      ...addRows(d, 'r.application_id = OLD.id', -1),
      ...extremes(d, 'r.application_id = OLD.id', 'r2.application_id <> OLD.id'),
      'delete from analytics_outcome_rows where application_id = OLD.id',
    ]),
    refreshing(
      'analytics_outcomes_self_ids_ai',
      'after insert',
      'demographic_self_ids',
      ofCandidates('NEW.candidate_id'),
    ),
    refreshing(
      'analytics_outcomes_self_ids_au',
      'after update',
      'demographic_self_ids',
      ofCandidates('OLD.candidate_id, NEW.candidate_id'),
      changed(d, ['candidate_id', 'categories']),
    ),
    refreshing(
      'analytics_outcomes_self_ids_ad',
      'after delete',
      'demographic_self_ids',
      ofCandidates('OLD.candidate_id'),
    ),
  ];
}

/**
 * Empties both tables and fills them from the source tables (the report-scores rollup first):
 * the migration's backfill, and the rebuild after a bulk load (kernel/db/bulk.ts).
 */
export function analyticsOutcomeSumsRebuild(d: Dialect): string[] {
  return [
    'delete from analytics_outcome_sums',
    'delete from analytics_outcome_rows',
    hireRows(d, '1 = 1'),
    ...GRAINS.map(
      ([g, dy, job]) =>
        `insert into analytics_outcome_sums (${SUM_COLS})
         select '${g}', ${dy}, ${job}, ${rGroup}, count(*), sum(r.score), sum(r.score * r.score), min(r.score), max(r.score)
           from analytics_outcome_rows r group by ${dy === '0' ? '' : `${dy}, `}${job === '0' ? '' : `${job}, `}${rGroup}`,
    ),
  ];
}

/** The triggers, dropped (the tables are dropped by the migration). */
export function analyticsOutcomeSumsDown(): string[] {
  return [
    'analytics_outcomes_scores_ai',
    'analytics_outcomes_scores_au',
    'analytics_outcomes_scores_ad',
    'analytics_outcomes_hire_ai',
    'analytics_outcomes_hire_au',
    'analytics_outcomes_hire_ad',
    'analytics_outcomes_applications_ai',
    'analytics_outcomes_applications_au',
    'analytics_outcomes_applications_bd',
    'analytics_outcomes_self_ids_ai',
    'analytics_outcomes_self_ids_au',
    'analytics_outcomes_self_ids_ad',
  ].map((t) => `drop trigger if exists ${t}`);
}
