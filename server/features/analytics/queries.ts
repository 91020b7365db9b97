/**
 * The dashboards' figures, in plain SQL over either dialect (kernel/db/raw.ts helpers): the
 * database groups and counts, TypeScript only folds the few grouped rows into funnels and sorts
 * durations for percentiles. Every query is bounded by a {@link Scope}: the caller's filters and,
 * for a hiring manager, their department.
 */
import {
  AI_SCORE_BANDS,
  AI_VALIDITY_MIN_N,
  type AiValidityResponse,
  type AnalyticsFilters,
  type DurationStats,
  FUNNEL_RANK,
  FUNNEL_STAGES,
  type Funnel,
  type FunnelResponse,
  RATER_LENIENCY_MIN_N,
  type RatersResponse,
  type SourcesResponse,
  type TimesResponse,
} from '../../../shared/api/analytics';
import { CANDIDATE_SOURCES, type CandidateSource } from '../../../shared/api/candidates';
import { STAGES, type Stage, TERMINAL_STAGES } from '../../../shared/stages';
import { placeholders, sqlDate } from '../../kernel/db/raw';
import { emTx } from '../../kernel/db/tx';
import type { Em } from '../../kernel/db/types';
import { durationBucket, durationStats, histogramStats, rate } from './stats';

/**
 * What one query may see: the filters, and the departments the caller is limited to (null:
 * every department, for HR). An empty list sees nothing.
 */
export interface Scope {
  filters: AnalyticsFilters;
  departmentIds: number[] | null;
  /** Read the source tables even where a rollup answers (tests compare the two). */
  raw?: boolean;
}

/** A filter day's start in Asia/Shanghai (`to` days are inclusive: the range ends a day later). */
function dayStart(s: string, plusDays = 0): Date {
  return new Date(Date.parse(`${s}T00:00:00+08:00`) + plusDays * 86_400_000);
}

/**
 * The FROM and WHERE every query shares: applications of the scope with their job and candidate
 * (`a`, `j`, `c`), as SQL text and bound parameters.
 */
export function scoped(
  em: Em,
  scope: Scope,
  lean = false,
): { from: string; where: string; params: unknown[] } {
  const tx = emTx(em);
  const f = scope.filters;
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope.departmentIds) {
    if (!scope.departmentIds.length) where.push('1 = 0');
    else {
      where.push(`j.department_id in (${placeholders(scope.departmentIds.length)})`);
      params.push(...scope.departmentIds);
    }
  }
  if (f.jobId) {
    where.push('a.job_id = ?');
    params.push(f.jobId);
  }
  if (f.departmentId) {
    where.push('j.department_id = ?');
    params.push(f.departmentId);
  }
  if (f.source) {
    where.push('c.source = ?');
    params.push(f.source);
  }
  if (f.from) {
    where.push('a.created_at >= ?');
    params.push(tx.date(dayStart(f.from)));
  }
  if (f.to) {
    where.push('a.created_at < ?');
    params.push(tx.date(dayStart(f.to, 1)));
  }
  // `lean`: join the job and candidate only when a filter needs them (the caller reads `a` only).
  const needJob = !lean || !!scope.departmentIds || !!f.departmentId;
  const needCandidate = !lean || !!f.source;
  return {
    from: `applications a${needJob ? ' join jobs j on j.id = a.job_id' : ''}${
      needCandidate ? ' join candidates c on c.id = a.candidate_id' : ''
    }`,
    where: where.length ? where.join(' and ') : '1 = 1',
    params,
  };
}

/** `case <col> when 'submitted' then 1 ... else 0 end`: the funnel step a stage proves. */
function rankExpr(col: string): string {
  const whens = STAGES.filter((s) => FUNNEL_RANK[s] > 0)
    .map((s) => `when '${s}' then ${FUNNEL_RANK[s]}`)
    .join(' ');
  return `(case ${col} ${whens} else 0 end)`;
}

/**
 * A rollup grain (entities/AnalyticsRollup.ts). `job`: per job, no date range (job ids from the
 * scope); `day`: per day (counts also per job; durations every job: a date range without job
 * scope); `all` (durations, outcome sums): no job scope, no date range, stays not split by source;
 * `src` (stays only): as `all`, split by source; `dep` (durations only): per department (job_id
 * holds the department id), no date range, stays not split by source (migration
 * analytics_times_speed).
 */
export type Grain = 'all' | 'src' | 'job' | 'day' | 'dep';

/** The department ids a scope without a job filter is limited to (both department limits met). */
function scopeDepartmentIds(scope: Scope): number[] {
  const only = scope.filters.departmentId;
  if (!scope.departmentIds) return only ? [only] : [];
  return only ? scope.departmentIds.filter((d) => d === only) : scope.departmentIds;
}

function jobScoped(scope: Scope): boolean {
  return scope.departmentIds !== null || !!scope.filters.jobId || !!scope.filters.departmentId;
}

function dated(scope: Scope): boolean {
  return !!scope.filters.from || !!scope.filters.to;
}

/** The job ids of a job-scoped scope (small: the jobs table, never the applications). */
async function scopeJobIds(em: Em, scope: Scope): Promise<number[]> {
  const f = scope.filters;
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope.departmentIds) {
    if (!scope.departmentIds.length) return [];
    where.push(`department_id in (${placeholders(scope.departmentIds.length)})`);
    params.push(...scope.departmentIds);
  }
  if (f.jobId) {
    where.push('id = ?');
    params.push(f.jobId);
  }
  if (f.departmentId) {
    where.push('department_id = ?');
    params.push(f.departmentId);
  }
  const rows = await em.execute<Array<{ id: number }>>(
    `select id from jobs where ${where.length ? where.join(' and ') : '1 = 1'}`,
    params,
  );
  return rows.map((r) => Number(r.id));
}

/** A filter date as the rollups' day number (days since 1970-01-01 of that Shanghai date). */
function dayNumber(s: string): number {
  return Date.parse(`${s}T00:00:00Z`) / 86_400_000;
}

/**
 * The WHERE (and parameters) selecting a grain's rows for a scope. `withSource`: apply the source
 * filter (only where the grain's rows carry the source); `daysByJob`: the `day` rows are split by
 * job too (the scope's jobs are selected).
 */
export async function grainWhere(
  em: Em,
  scope: Scope,
  grain: Grain,
  withSource: boolean,
  daysByJob = false,
): Promise<{ where: string; params: unknown[] }> {
  const where = ['grain = ?'];
  const params: unknown[] = [grain];
  const f = scope.filters;
  if (grain === 'dep') {
    const ids = scopeDepartmentIds(scope);
    if (!ids.length) where.push('1 = 0');
    else {
      where.push(`job_id in (${placeholders(ids.length)})`);
      params.push(...ids);
    }
  } else if (grain === 'job' || daysByJob) {
    if (jobScoped(scope)) {
      const ids = await scopeJobIds(em, scope);
      if (!ids.length) where.push('1 = 0');
      else {
        where.push(`job_id in (${placeholders(ids.length)})`);
        params.push(...ids);
      }
    }
  } else where.push('job_id = 0');
  if (grain === 'day') {
    if (f.from) {
      where.push('day >= ?');
      params.push(dayNumber(f.from));
    }
    if (f.to) {
      where.push('day <= ?');
      params.push(dayNumber(f.to));
    }
  } else where.push('day = 0');
  if (withSource && f.source) {
    where.push('source = ?');
    params.push(f.source);
  }
  return { where: where.join(' and '), params };
}

/**
 * The WHERE (and parameters) selecting the rows of a counts table keyed like
 * `analytics_application_counts` (grain, day, job_id, source: `analytics_reminder_counts` too)
 * that answer a scope: the `job` grain without a date range, else `day`, limited to the scope's
 * jobs and source.
 */
export function countsWhere(em: Em, scope: Scope): Promise<{ where: string; params: unknown[] }> {
  return grainWhere(em, scope, dated(scope) ? 'day' : 'job', true, true);
}

/** The counts grain answering a scope: `job` without a date range, else `day` (split by job too). */
function countGrain(scope: Scope): Grain | null {
  if (scope.raw) return null;
  return dated(scope) ? 'day' : 'job';
}

/** Grouped reach rows: per group value, current stage and furthest funnel step, a count. */
interface ReachRow {
  g: string | number;
  stage: Stage;
  r: number;
  n: number;
}

/**
 * Counts applications by (group, current stage, furthest funnel step reached), from the rollup
 * when a grain answers the scope (`group.rollup` over its columns), else from the applications
 * (`group.raw`). The furthest step is the larger of what the current stage proves and
 * `funnel_reach`, which the
 * workflow raises in the same UPDATE that moves the stage (an application rejected after the
 * second round still reached it), so this reads the applications alone, not their history.
 */
async function reachRows(
  em: Em,
  scope: Scope,
  group: { raw: string; rollup: string },
  extra: { join?: string; where?: string; rollupWhere?: string } = {},
): Promise<ReachRow[]> {
  const grain = countGrain(scope);
  let rows: Array<Record<string, unknown>>;
  if (grain) {
    // The rollup: the same (group, stage, reach) counts, kept exact by triggers.
    const g = await grainWhere(em, scope, grain, true, true);
    const sr = rankExpr('stage');
    const r = `case when ${sr} > reach then ${sr} else reach end`;
    rows = await em.execute<Array<Record<string, unknown>>>(
      `select ${group.rollup} as g, stage, ${r} as r, sum(n) as n
         from analytics_application_counts
        where ${g.where}${extra.rollupWhere ? ` and ${extra.rollupWhere}` : ''}
        group by ${group.rollup}, stage, ${r}
       having sum(n) <> 0`,
      g.params,
    );
  } else {
    const s = scoped(em, scope);
    const sr = rankExpr('a.stage');
    const r = `case when ${sr} > a.funnel_reach then ${sr} else a.funnel_reach end`;
    rows = await em.execute<Array<Record<string, unknown>>>(
      `select ${group.raw} as g, a.stage, ${r} as r, count(*) as n
         from ${s.from}${extra.join ? ` ${extra.join}` : ''}
        where ${s.where}${extra.where ? ` and ${extra.where}` : ''}
        group by ${group.raw}, a.stage, ${r}`,
      s.params,
    );
  }
  return rows.map((x) => ({
    g: typeof x.g === 'number' || typeof x.g === 'bigint' ? Number(x.g) : String(x.g),
    stage: x.stage as Stage,
    r: Number(x.r),
    n: Number(x.n),
  }));
}

/** Folds reach rows (of one group) into a funnel. */
function funnelOf(rows: readonly ReachRow[]): Funnel {
  const current = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  const atLeast = FUNNEL_STAGES.map(() => 0);
  let applications = 0;
  for (const row of rows) {
    applications += row.n;
    current[row.stage] += row.n;
    for (let k = 0; k <= row.r && k < atLeast.length; k++) atLeast[k] += row.n;
  }
  return {
    applications,
    current,
    steps: FUNNEL_STAGES.map((stage, i) => ({
      stage,
      reached: atLeast[i],
      conversion: i === 0 ? null : rate(atLeast[i], atLeast[i - 1]),
    })),
  };
}

/** The funnel overall and per job (jobs with at least one application in scope, by id). */
export async function funnel(em: Em, scope: Scope): Promise<FunnelResponse> {
  const rows = await reachRows(em, scope, { raw: 'a.job_id', rollup: 'job_id' });
  const jobIds = [...new Set(rows.map((r) => Number(r.g)))].sort((a, b) => a - b);
  const titles = new Map<number, string>();
  if (jobIds.length)
    for (const j of await em.execute<Array<{ id: number; title: string }>>(
      `select id, title from jobs where id in (${placeholders(jobIds.length)})`,
      jobIds,
    ))
      titles.set(Number(j.id), j.title);
  return {
    overall: funnelOf(rows),
    jobs: jobIds.map((id) => ({
      jobId: id,
      title: titles.get(id) ?? '',
      ...funnelOf(rows.filter((r) => Number(r.g) === id)),
    })),
  };
}

/**
 * SQL for the milliseconds from one datetime column (or bound instant) to another, computed by
 * the database: SQLite stores instants as epoch milliseconds, MySQL/MariaDB as `datetime(3)`.
 * Durations then travel as one integer per row instead of two date strings to parse.
 */
function msBetween(em: Em, from: string, to: string): string {
  return emTx(em).dialect === 'sqlite'
    ? `(${to} - ${from})`
    : `(timestampdiff(microsecond, ${from}, ${to}) div 1000)`;
}

/** A duration histogram: bucket (ms, rounded down, stats.ts durationBucket) -> count. */
type Histogram = Map<number, number>;

function add(h: Histogram, bucket: number, n: number): void {
  h.set(bucket, (h.get(bucket) ?? 0) + n);
}

/**
 * Duration histograms from the rollup, per key (`stage` for stays, `source` for hires), when a
 * grain answers the scope: `all` without job scope or date range, `job` (a job filter) or `dep`
 * (departments only) without a date range, `day` without a job scope. Stays in `job`/`day` are not split by source, so a source filter on
 * them (and `dep`) reads the source tables instead. Null: no grain answers.
 */
async function rollupHistograms(
  em: Em,
  scope: Scope,
  kind: 'stays' | 'hires',
): Promise<Map<string, Histogram> | null> {
  if (scope.raw) return null;
  // A department scope reads its own grain: summing `job` rows read every job's bucket list.
  let grain: Grain | null = !jobScoped(scope)
    ? dated(scope)
      ? 'day'
      : 'all'
    : dated(scope)
      ? null
      : scope.filters.jobId
        ? 'job'
        : 'dep';
  if (!grain) return null;
  // Hires are split by source in every grain; stays only in `src`.
  if (kind === 'stays' && scope.filters.source) {
    if (grain !== 'all') return null;
    grain = 'src';
  }
  const split = kind === 'hires' || grain === 'src';
  const g = await grainWhere(em, scope, grain, split);
  const key = kind === 'stays' ? 'stage' : 'source';
  const rows = await em.execute<Array<{ k: string; bucket: number | string; n: number | string }>>(
    `select ${key} as k, bucket, sum(n) as n from analytics_durations
      where ${g.where} and stage ${kind === 'stays' ? '<>' : '='} '@hire'
      group by ${key}, bucket having sum(n) <> 0`,
    g.params,
  );
  const out = new Map<string, Histogram>();
  for (const r of rows) {
    const h = out.get(r.k) ?? new Map();
    add(h, Number(r.bucket), Number(r.n));
    out.set(r.k, h);
  }
  return out;
}

/** Raw durations (ms) grouped by key, bucketed like the rollup so both paths agree exactly. */
function bucketed(rows: Array<{ k: string; ms: number | string }>): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const r of rows) {
    const h = out.get(r.k) ?? new Map();
    add(h, durationBucket(Number(r.ms)), 1);
    out.set(r.k, h);
  }
  return out;
}

/** Created -> hired durations of the scope's hired applications, as histograms per source. */
async function hireHistograms(em: Em, scope: Scope): Promise<Map<string, Histogram>> {
  const rolled = await rollupHistograms(em, scope, 'hires');
  if (rolled) return rolled;
  const s = scoped(em, scope);
  // An application is hired once (a terminal stage), so each row is one hire.
  const rows = await em.execute<Array<{ k: string; ms: number | string }>>(
    `select c.source as k, ${msBetween(em, 'a.created_at', 'e.at')} as ms
       from ${s.from} join application_stage_events e on e.application_id = a.id
      where ${s.where} and e.to_stage = 'hired'`,
    s.params,
  );
  return bucketed(rows);
}

/** Completed stays of the scope, as histograms per stage left. */
async function stayHistograms(em: Em, scope: Scope): Promise<Map<string, Histogram>> {
  const rolled = await rollupHistograms(em, scope, 'stays');
  if (rolled) return rolled;
  const s = scoped(em, scope);
  const rows = await em.execute<Array<{ k: string; ms: number | string }>>(
    `select e.from_stage as k, ${msBetween(em, 'e.from_since', 'e.at')} as ms
       from ${s.from} join application_stage_events e on e.application_id = a.id
      where ${s.where} and e.from_stage is not null and e.from_since is not null`,
    s.params,
  );
  return bucketed(rows);
}

/** Several histograms summed into one. */
function merged(hs: Iterable<Histogram>): Histogram {
  const out: Histogram = new Map();
  for (const h of hs) for (const [b, n] of h) add(out, b, n);
  return out;
}

/**
 * Time in each stage (completed stays: from entering a stage to leaving it, one value per stay)
 * and time to hire, both at the histogram's resolution (stats.ts durationBucket), and where
 * candidates wait now (open applications by current stage, measured exactly to `now`).
 */
export async function times(em: Em, scope: Scope, now: Date): Promise<TimesResponse> {
  const s = scoped(em, scope, true);
  const byStage = await stayHistograms(em, scope);
  const open = await em.execute<Array<{ stage: Stage; ms: number | string }>>(
    `select a.stage, ${msBetween(em, 'a.stage_changed_at', '?')} as ms from ${s.from}
      where ${s.where} and a.stage not in (${placeholders(TERMINAL_STAGES.length)})`,
    [emTx(em).date(now), ...s.params, ...TERMINAL_STAGES],
  );
  const waiting = new Map<Stage, number[]>();
  for (const r of open) {
    const list = waiting.get(r.stage) ?? [];
    list.push(Number(r.ms));
    waiting.set(r.stage, list);
  }
  return {
    stages: STAGES.filter((st) => byStage.has(st)).map((stage) => ({
      stage,
      ...histogramStats(byStage.get(stage) ?? new Map()),
    })),
    timeToHire: histogramStats(merged((await hireHistograms(em, scope)).values())),
    waiting: STAGES.filter((st) => waiting.has(st)).map((stage) => ({
      stage,
      ...durationStats(waiting.get(stage) ?? []),
    })),
  };
}

/** Per source (every source, in the catalogue's order): applicants, reach per step, hires, time to hire. */
export async function sources(em: Em, scope: Scope): Promise<SourcesResponse> {
  const rows = await reachRows(em, scope, { raw: 'c.source', rollup: 'source' });
  const hires = await hireHistograms(em, scope);
  return {
    items: CANDIDATE_SOURCES.map((source) => {
      const f = funnelOf(rows.filter((r) => r.g === source));
      const durations: DurationStats = histogramStats(hires.get(source) ?? new Map());
      return {
        source,
        applicants: f.applications,
        steps: f.steps.map((st) => ({
          stage: st.stage,
          reached: st.reached,
          rate: rate(st.reached, f.applications),
        })),
        hires: f.steps[f.steps.length - 1].reached,
        timeToHire: durations,
      };
    }),
  };
}

/**
 * AI score band (the report's overall score) against people's decisions: at screening (advanced
 * to the second round, or rejected before reaching it) and at the end (hired among those whose
 * outcome is known). Rates under {@link AI_VALIDITY_MIN_N} people are null.
 */
export async function aiValidity(em: Em, scope: Scope): Promise<AiValidityResponse> {
  // The rollup keeps scores by decile (overall div 10): bands must start on multiples of ten.
  for (const b of AI_SCORE_BANDS)
    if (b.min % 10) throw new Error(`AI score band ${b.key} must start on a multiple of 10`);
  const bandOf = (col: string) =>
    `(case ${AI_SCORE_BANDS.map((b) => `when ${col} >= ${b.min} then '${b.key}'`).join(' ')} end)`;
  const rows = await reachRows(
    em,
    scope,
    { raw: bandOf('rv.overall'), rollup: bandOf('decile * 10') },
    {
      join: 'join application_reviews rv on rv.application_id = a.id',
      where: 'rv.overall is not null',
      rollupWhere: 'decile >= 0',
    },
  );
  const second = FUNNEL_RANK.second_round;
  return {
    minN: AI_VALIDITY_MIN_N,
    bands: AI_SCORE_BANDS.map(({ key }) => {
      const mine = rows.filter((r) => r.g === key);
      const sum = (pred: (r: ReachRow) => boolean) => mine.filter(pred).reduce((n, r) => n + r.n, 0);
      const advanced = sum((r) => r.r >= second);
      const decided = advanced + sum((r) => r.stage === 'rejected' && r.r < second);
      const closed = sum((r) => TERMINAL_STAGES.includes(r.stage));
      const hired = sum((r) => r.stage === 'hired');
      return {
        band: key,
        scored: sum(() => true),
        decided,
        advanced,
        advanceRate: rate(advanced, decided, AI_VALIDITY_MIN_N),
        closed,
        hired,
        hireRate: rate(hired, closed, AI_VALIDITY_MIN_N),
      };
    }),
  };
}

/**
 * Interviewer load and leniency from the ratings of the scope's reports (report_ratings: one
 * score 1-5 per reviewer, report and competency). Leniency compares each rating with the mean of
 * the other raters of the same competency of the same report, so a rater is not called lenient
 * for having seen better candidates. Ratings are few (people give them), so they are read and
 * folded here.
 */
export async function raters(em: Em, scope: Scope): Promise<RatersResponse> {
  const s = scoped(em, scope);
  const rows = await em.execute<
    Array<{ report_id: number; competency: string; reviewer_id: number; name: string; score: number }>
  >(
    `select r.report_id, r.competency, r.reviewer_id, u.name, r.score
       from ${s.from} join interview_reports ir on ir.application_id = a.id
       join report_ratings r on r.report_id = ir.id join users u on u.id = r.reviewer_id
      where ${s.where}`,
    s.params,
  );
  const byItem = new Map<string, Array<{ reviewer: number; score: number }>>();
  for (const r of rows) {
    const key = `${r.report_id}\u0000${r.competency}`;
    const list = byItem.get(key) ?? [];
    list.push({ reviewer: Number(r.reviewer_id), score: Number(r.score) });
    byItem.set(key, list);
  }
  const acc = new Map<
    number,
    {
      name: string;
      reports: Set<number>;
      ratings: number;
      sum: number;
      compared: number;
      diff: number;
      others: number;
    }
  >();
  for (const r of rows) {
    const id = Number(r.reviewer_id);
    const a = acc.get(id) ?? {
      name: r.name,
      reports: new Set(),
      ratings: 0,
      sum: 0,
      compared: 0,
      diff: 0,
      others: 0,
    };
    a.reports.add(Number(r.report_id));
    a.ratings += 1;
    a.sum += Number(r.score);
    const others = (byItem.get(`${r.report_id}\u0000${r.competency}`) ?? []).filter((o) => o.reviewer !== id);
    if (others.length) {
      const mean = others.reduce((t, o) => t + o.score, 0) / others.length;
      a.compared += 1;
      a.others += mean;
      a.diff += Number(r.score) - mean;
    }
    acc.set(id, a);
  }
  const enough = (a: { compared: number }) => a.compared >= RATER_LENIENCY_MIN_N;
  return {
    minN: RATER_LENIENCY_MIN_N,
    items: [...acc]
      .map(([reviewerId, a]) => ({
        reviewerId,
        name: a.name,
        reports: a.reports.size,
        ratings: a.ratings,
        meanScore: a.sum / a.ratings,
        compared: a.compared,
        othersMean: enough(a) ? a.others / a.compared : null,
        leniency: enough(a) ? a.diff / a.compared : null,
      }))
      .sort((x, y) => y.ratings - x.ratings || x.reviewerId - y.reviewerId),
  };
}

/** One row of the candidate list export. */
export interface CandidateExportRow {
  applicationId: number;
  jobTitle: string;
  department: string;
  source: CandidateSource;
  stage: Stage;
  createdAt: Date;
  stageChangedAt: Date;
  aiOverall: number | null;
  name: string;
  mobile: string | null;
  email: string | null;
}

/** The scope's applications with their candidates, newest first, at most `limit`. */
export async function candidateRows(em: Em, scope: Scope, limit: number): Promise<CandidateExportRow[]> {
  const s = scoped(em, scope);
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select a.id, j.title, d.name as department, c.source, a.stage, a.created_at, a.stage_changed_at,
            rv.overall, c.name, c.mobile, c.email
       from ${s.from} join departments d on d.id = j.department_id
       left join application_reviews rv on rv.application_id = a.id
      where ${s.where}
      order by a.created_at desc, a.id desc limit ?`,
    [...s.params, limit],
  );
  return rows.map((r) => ({
    applicationId: Number(r.id),
    jobTitle: String(r.title),
    department: String(r.department),
    source: r.source as CandidateSource,
    stage: r.stage as Stage,
    createdAt: sqlDate(r.created_at) as Date,
    stageChangedAt: sqlDate(r.stage_changed_at) as Date,
    aiOverall: r.overall === null || r.overall === undefined ? null : Number(r.overall),
    name: String(r.name),
    mobile: (r.mobile as string | null) ?? null,
    email: (r.email as string | null) ?? null,
  }));
}
