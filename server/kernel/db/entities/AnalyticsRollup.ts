import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Exact counters behind the analytics dashboards, kept by database triggers (see the migration
 * `analytics_rollups`) in the same transaction as every write they summarise, whichever code path
 * makes it (the workflow's `transition`, invitations, imports, scoring, seeds). Nothing here is
 * estimated or refreshed at night: a row is the count of what is in the source tables now.
 *
 * The key is the primary key (clustered on InnoDB, so a grain's rows are read in one range).
 * Each table holds several "grains" (coarser copies of the same facts) so a dashboard query reads
 * the smallest one that can still answer its filters exactly:
 * - `job`: per job, every date (HR all, a department, a job);
 * - `day`: per application day (Asia/Shanghai, days since 1970-01-01), every job (date ranges);
 * - `all` (durations only): every job and date (stays not split by source, hires are);
 * - `src` (stays only): every job and date, split by source.
 * Key columns a grain does not split by hold 0 / ''. Queries whose filters no grain answers read the
 * source tables (they are then narrow: one job, or a department within a date range).
 *
 * Applications: counts by (grain key, candidate source, AI overall decile, current stage,
 * funnel_reach). Their `day` grain keeps the job too (a count row per application day is small
 * enough), so every scope is answered; the key starts with the day for date ranges. The decile is `overall div 10` (-1: no score), so bands on multiples of ten
 * (shared/api/analytics.ts AI_SCORE_BANDS) are exact sums of deciles.
 *
 * `shard` (last in the key, here and in the other count tables): each count is split over
 * `ROLLUP_SHARDS` rows (kernel/db/migrations/triggerSql.ts), a trigger adding to the shard of its
 * source row's id, so concurrent stage moves of one job's applications do not queue on one row
 * lock until commit. A count is the SUM over its shards (every reader sums and groups); a single
 * shard may be negative (an application counted in shard 0 by a backfill leaves from its own
 * shard). Backfills and rebuilds write shard 0.
 */
export const AnalyticsApplicationCount = defineEntity({
  name: 'AnalyticsApplicationCount',
  tableName: 'analytics_application_counts',
  properties: {
    grain: p.string().length(8).primary(),
    day: p.integer().primary(),
    jobId: p.integer().primary(),
    source: p.string().length(32).primary(),
    decile: p.integer().unsigned(false).primary(),
    stage: p.string().length(32).primary(),
    reach: p.integer().primary(),
    shard: p.integer().primary().default(0),
    n: p.integer(),
  },
});
/** AnalyticsApplicationCount row. */
export type IAnalyticsApplicationCount = InferEntity<typeof AnalyticsApplicationCount>;

/**
 * Duration histograms: completed stays per stage (`stage` = the stage left) and time to hire
 * (`stage` = '@hire', created -> hired). `bucket` is the duration rounded down to the histogram's
 * resolution (analytics/stats.ts `durationBucket`): 1 minute below 10 h, 10 minutes below 100 h,
 * 1 hour below 1,000 h, 10 hours beyond. Stays outside the `src` grain are not split by source
 * (source = ''), which keeps those grains small; hires are.
 */
export const AnalyticsDuration = defineEntity({
  name: 'AnalyticsDuration',
  tableName: 'analytics_durations',
  properties: {
    grain: p.string().length(8).primary(),
    jobId: p.integer().primary(),
    day: p.integer().primary(),
    source: p.string().length(32).primary(),
    stage: p.string().length(32).primary(),
    bucket: p.bigint('number').primary(),
    shard: p.integer().primary().default(0),
    n: p.integer(),
  },
});
/** AnalyticsDuration row. */
export type IAnalyticsDuration = InferEntity<typeof AnalyticsDuration>;

/**
 * The no-shows-by-reminder report's per-booking rollup (migration `analytics_reminders`): for
 * every booking that holds an appointment (not "remind me at…"), the group it counts in now: its
 * application's job, day (Asia/Shanghai, as the counts' `day` grain) and candidate source, the
 * candidate reminder times delivered (`minutes`: distinct minutes of the `sent` outbox rows of
 * `reminder.candidate.<m>m` for `booking:<id>`, descending, comma-separated; '' for none), their
 * channels (distinct, ascending), its status, and whether a cancellation came inside the
 * schedule's notice (`late`). Triggers recompute a booking's row from the source tables whenever
 * something it depends on changes, and move its count in {@link AnalyticsReminderCount}: the row
 * is what the booking was counted as, so it can be taken out again.
 */
export const AnalyticsBookingReminder = defineEntity({
  name: 'AnalyticsBookingReminder',
  tableName: 'analytics_booking_reminders',
  properties: {
    bookingId: p.integer().primary().autoincrement(false),
    jobId: p.integer(),
    day: p.integer(),
    source: p.string().length(32),
    minutes: p.string().length(191),
    channels: p.string().length(191),
    outcome: p.string().length(16),
    late: p.integer(),
  },
});
/** AnalyticsBookingReminder row. */
export type IAnalyticsBookingReminder = InferEntity<typeof AnalyticsBookingReminder>;

/**
 * Bookings counted by (grain key, source, reminder times, channels, outcome, late): what
 * `GET /api/analytics/reminders` reads. Grains as {@link AnalyticsApplicationCount}: `job`
 * (day 0) and `day` (per application day and job).
 */
export const AnalyticsReminderCount = defineEntity({
  name: 'AnalyticsReminderCount',
  tableName: 'analytics_reminder_counts',
  properties: {
    grain: p.string().length(8).primary(),
    day: p.integer().primary(),
    jobId: p.integer().primary(),
    source: p.string().length(32).primary(),
    minutes: p.string().length(191).primary(),
    channels: p.string().length(191).primary(),
    outcome: p.string().length(16).primary(),
    late: p.integer().primary(),
    shard: p.integer().primary().default(0),
    n: p.integer(),
  },
});
/** AnalyticsReminderCount row. */
export type IAnalyticsReminderCount = InferEntity<typeof AnalyticsReminderCount>;

/**
 * The scores of each application's latest interview report (migration `analytics_report_scores`,
 * kernel/db/migrations/analyticsReportScoresSql.ts), one row per score: `overall` (the AI overall
 * score, when set) and each competency of the report's `competencies` JSON with a string name and
 * a numeric score (a later entry of the same name wins, as does a competency named `overall`).
 * What the closed-loop validity report (`GET /api/analytics/outcomes`) correlates with the hires'
 * outcomes, summed in SQL instead of shipping every report's JSON to Node.
 *
 * `score_key` compares byte for byte (utf8mb4_bin on MySQL, set by the migration; SQLite's
 * default is binary): two competency names differing only in case or accents are two scores, as
 * they were when the report was computed in JavaScript. Names longer than 191 characters (the
 * key's limit; competency names hold at most 100) are not kept.
 */
export const AnalyticsReportScore = defineEntity({
  name: 'AnalyticsReportScore',
  tableName: 'analytics_report_scores',
  properties: {
    applicationId: p.integer().primary().autoincrement(false),
    scoreKey: p.string().length(191).primary().ignoreSchemaChanges('collation'),
    score: p.double(),
  },
});
/** AnalyticsReportScore row. */
export type IAnalyticsReportScore = InferEntity<typeof AnalyticsReportScore>;

/** The group a closed-loop validity row falls in: category, score and outcome (not its grain). */
const OUTCOME_GROUP = [
  'dim',
  'cat',
  'hire',
  'scoreKey',
  'status',
  'probation',
  'graded',
  'performance',
] as const;

/**
 * The closed-loop validity report's per-hire rollup (migration `analytics_outcome_sums`,
 * kernel/db/migrations/analyticsOutcomeSumsSql.ts): for every hired application, one `hire` row
 * (its outcome: `status`, '' when not synced; `probation` 1/0, -1 unknown; `graded` 1 when it has
 * a performance score) and one row per score of its latest report (`hire` 0: `scoreKey`, `score`,
 * and the outcome pair the score is correlated with: `probation`, `graded`, `performance`, 0 when
 * not graded). Each comes once for everyone (`dim` and `cat` '') and once per self-identified
 * category of the candidate (`dim` a demographic dimension, `cat` its category). Score rows leave
 * `status` '' and hire rows `performance` 0 and `score` 0: the report does not split by them, so
 * fewer groups. What {@link AnalyticsOutcomeSum} counted the hire as, so it can be taken out again.
 * The indexes (group key, then score) give a group's smallest and largest score in one seek.
 */
export const AnalyticsOutcomeRow = defineEntity({
  name: 'AnalyticsOutcomeRow',
  tableName: 'analytics_outcome_rows',
  indexes: [
    { name: 'analytics_outcome_rows_all', properties: [...OUTCOME_GROUP, 'score'] },
    { name: 'analytics_outcome_rows_job', properties: ['jobId', ...OUTCOME_GROUP, 'score'] },
    { name: 'analytics_outcome_rows_day', properties: ['jobId', 'day', ...OUTCOME_GROUP, 'score'] },
  ],
  properties: {
    applicationId: p.integer().primary().autoincrement(false),
    dim: p.string().length(16).primary(),
    cat: p.string().length(191).primary().ignoreSchemaChanges('collation'),
    hire: p.integer().primary(),
    scoreKey: p.string().length(191).primary().ignoreSchemaChanges('collation'),
    jobId: p.integer(),
    day: p.integer(),
    status: p.string().length(16),
    probation: p.integer(),
    graded: p.integer(),
    performance: p.double(),
    score: p.double(),
  },
});
/** AnalyticsOutcomeRow row. */
export type IAnalyticsOutcomeRow = InferEntity<typeof AnalyticsOutcomeRow>;

/**
 * {@link AnalyticsOutcomeRow}s summed per grain and group: the count, Σx, Σx² of the scores
 * (added and subtracted row by row) and their min and max (recomputed for a group a row leaves;
 * null once it is empty, with `n` 0). Grains: `all` (job 0, day 0: HR without a job scope or
 * date range), `job` (day 0), `day` (per application day, Asia/Shanghai, and job).
 * `GET /api/analytics/outcomes` reads these instead of joining every hire with its scores.
 */
export const AnalyticsOutcomeSum = defineEntity({
  name: 'AnalyticsOutcomeSum',
  tableName: 'analytics_outcome_sums',
  properties: {
    grain: p.string().length(8).primary(),
    day: p.integer().primary(),
    jobId: p.integer().primary(),
    dim: p.string().length(16).primary(),
    cat: p.string().length(191).primary().ignoreSchemaChanges('collation'),
    hire: p.integer().primary(),
    scoreKey: p.string().length(191).primary().ignoreSchemaChanges('collation'),
    status: p.string().length(16).primary(),
    probation: p.integer().unsigned(false).primary(),
    graded: p.integer().primary(),
    performance: p.double().unsigned(false).primary(),
    n: p.integer(),
    sx: p.double(),
    sxx: p.double(),
    x0: p.double().nullable(),
    x1: p.double().nullable(),
  },
});
/** AnalyticsOutcomeSum row. */
export type IAnalyticsOutcomeSum = InferEntity<typeof AnalyticsOutcomeSum>;
