/**
 * The SQL of the `analytics_report_scores` migrations (both dialects): per application, the
 * scores of its latest interview report (entities/AnalyticsRollup.ts `AnalyticsReportScore`),
 * kept exact by triggers on `interview_reports` in the same transaction as every report write,
 * and its backfill. The closed-loop validity report sums these rows in SQL
 * (analytics/outcomes.ts) instead of reading each report's `competencies` JSON (evidence quotes,
 * matched and missing lists: large) into Node.
 *
 * One rule for every trigger, as the reminders rollup: a "refresh" of the application(s) the
 * change touches. Its rows are deleted and recomputed from its latest report (the highest id, as
 * the report query always read it: a re-taken interview replaces the earlier one), so an insert,
 * a re-score, a report moved to another application or a deletion (the earlier report becomes
 * the latest again) all end equal to a recomputation.
 *
 * The rows of a report, as the JavaScript that read the JSON did: `overall` when the overall
 * score is set, then each element of `competencies` that has a string `name` and a numeric
 * `score`, in array order, a later one of the same name (or named `overall`) replacing the earlier
 * (the insert runs in that order and an existing key takes the new score). Names are compared
 * byte for byte (utf8mb4_bin on MySQL, SQLite's default binary collation). Names over 191
 * characters (the key's length) are skipped; competency names hold at most 100.
 *
 * The SQL is frozen here with the migration: later changes belong in a new migration.
 */

import {
  type Dialect,
  differsBinary as differs,
  guardIf,
  type TriggerGuard,
  trigger as tableTrigger,
} from './triggerSql';

const COLS = 'application_id, score_key, score';
/** The key's length in characters (the entity's `scoreKey`). */
const KEY_LEN = 191;

/**
 * The score rows of the latest report of the applications `where` selects (a condition on
 * `interview_reports` alias `r2`), each with its order in the report (0: overall).
 */
function reportRows(d: Dialect, where: string): string {
  const latest = `join (select max(r2.id) as id from interview_reports r2 where ${where} group by r2.application_id) l on l.id = r.id`;
  const overall = `select r.application_id as app, 'overall' as k, r.overall as v, 0 as ord from interview_reports r ${latest} where r.overall is not null`;
  const competencies =
    d === 'mysql'
      ? `select r.application_id as app, json_unquote(jt.nj) as k, jt.score as v, jt.ord as ord
           from interview_reports r ${latest},
                json_table(r.competencies, '$[*]' columns (ord for ordinality, nj json path '$.name', sj json path '$.score', score double path '$.score')) jt
          where json_type(jt.nj) = 'STRING' and json_type(jt.sj) in ('INTEGER', 'DOUBLE') and char_length(json_unquote(jt.nj)) <= ${KEY_LEN}`
      : // CASE keeps json_type off elements that are not objects (a bare string is not JSON text).
        `select r.application_id as app, json_extract(j.value, '$.name') as k, json_extract(j.value, '$.score') as v, j.key + 1 as ord
           from interview_reports r ${latest},
                json_each(case when json_type(r.competencies) = 'array' then r.competencies else '[]' end) j
          where (case when j.type = 'object' then json_type(j.value, '$.name') end) = 'text'
            and (case when j.type = 'object' then json_type(j.value, '$.score') end) in ('integer', 'real')
            and length(json_extract(j.value, '$.name')) <= ${KEY_LEN}`;
  const select = `select x.app, x.k, x.v from (${overall} union all ${competencies}) x where 1 = 1 order by x.app, x.ord`;
  return d === 'mysql'
    ? `insert into analytics_report_scores (${COLS}) ${select} on duplicate key update score = values(score)`
    : `insert into analytics_report_scores (${COLS}) ${select} on conflict (application_id, score_key) do update set score = excluded.score`;
}

/**
 * Statements that recompute the rows of application `id` (an expression) from its latest report,
 * when `when` holds.
 */
function refresh(d: Dialect, id: string, when = '1 = 1'): string[] {
  return [
    `delete from analytics_report_scores where application_id = ${id} and (${when})`,
    reportRows(d, `r2.application_id = ${id} and (${when})`),
  ];
}

function trigger(name: string, when: string, body: string[], guard?: TriggerGuard): string {
  return tableTrigger(name, when, 'interview_reports', body, guard);
}

/** Statements that create the triggers and backfill the rollup from the existing reports. */
export function analyticsReportScoresUp(d: Dialect): string[] {
  return [
    ...(d === 'mysql'
      ? [
          `alter table analytics_report_scores modify score_key varchar(${KEY_LEN}) character set utf8mb4 collate utf8mb4_bin not null`,
        ]
      : []),
    ...analyticsReportScoresTriggers(d),
    ...analyticsReportScoresRebuild(d),
  ];
}

/**
 * The statements that create the triggers; `guarded` (migration `analytics_trigger_guards`): an
 * update runs the statements only when the report's scores or application changed.
 */
export function analyticsReportScoresTriggers(d: Dialect, guarded = false): string[] {
  const changed = ['overall', 'competencies', 'application_id'].map((c) => differs(d, c)).join(' or ');
  return [
    trigger('analytics_report_scores_ai', 'after insert', refresh(d, 'NEW.application_id')),
    // Both applications when a report moves to another one (the same one twice otherwise).
    trigger(
      'analytics_report_scores_au',
      'after update',
      [...refresh(d, 'OLD.application_id', changed), ...refresh(d, 'NEW.application_id', changed)],
      guardIf(guarded, d, changed),
    ),
    trigger('analytics_report_scores_ad', 'after delete', refresh(d, 'OLD.application_id')),
  ];
}

/**
 * Empties the rollup and fills it from every application's latest report: the migration's
 * backfill, and the rebuild after a bulk load (kernel/db/bulk.ts).
 */
export function analyticsReportScoresRebuild(d: Dialect): string[] {
  return ['delete from analytics_report_scores', reportRows(d, '1 = 1')];
}

/** Drops the triggers (the table is dropped by the migration). */
export function analyticsReportScoresDown(): string[] {
  return ['analytics_report_scores_ai', 'analytics_report_scores_au', 'analytics_report_scores_ad'].map(
    (t) => `drop trigger if exists ${t}`,
  );
}
