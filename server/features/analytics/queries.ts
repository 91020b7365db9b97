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
  type SourcesResponse,
  type TimesResponse,
} from '../../../shared/api/analytics';
import { CANDIDATE_SOURCES, type CandidateSource } from '../../../shared/api/candidates';
import { STAGES, type Stage, TERMINAL_STAGES } from '../../../shared/stages';
import { placeholders, sqlDate } from '../../kernel/db/raw';
import { emTx } from '../../kernel/db/tx';
import type { Em } from '../../kernel/db/types';
import { durationStats, rate } from './stats';

/**
 * What one query may see: the filters, and the departments the caller is limited to (null:
 * every department, for HR). An empty list sees nothing.
 */
export interface Scope {
  filters: AnalyticsFilters;
  departmentIds: number[] | null;
}

/** A filter day's start in Asia/Shanghai (`to` days are inclusive: the range ends a day later). */
function dayStart(s: string, plusDays = 0): Date {
  return new Date(Date.parse(`${s}T00:00:00+08:00`) + plusDays * 86_400_000);
}

/**
 * The FROM and WHERE every query shares: applications of the scope with their job and candidate
 * (`a`, `j`, `c`), as SQL text and bound parameters.
 */
function scoped(em: Em, scope: Scope): { from: string; where: string; params: unknown[] } {
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
  return {
    from: 'applications a join jobs j on j.id = a.job_id join candidates c on c.id = a.candidate_id',
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

/** Grouped reach rows: per group value, current stage and furthest funnel step, a count. */
interface ReachRow {
  g: string | number;
  stage: Stage;
  r: number;
  n: number;
}

/**
 * Counts applications by (`groupExpr`, current stage, furthest funnel step reached). The
 * furthest step is the larger of what the current stage proves and `funnel_reach`, which the
 * workflow raises in the same UPDATE that moves the stage (an application rejected after the
 * second round still reached it), so this reads the applications alone, not their history.
 */
async function reachRows(
  em: Em,
  scope: Scope,
  groupExpr: string,
  extra: { join?: string; where?: string } = {},
): Promise<ReachRow[]> {
  const s = scoped(em, scope);
  const sr = rankExpr('a.stage');
  const r = `case when ${sr} > a.funnel_reach then ${sr} else a.funnel_reach end`;
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select ${groupExpr} as g, a.stage, ${r} as r, count(*) as n
       from ${s.from}${extra.join ? ` ${extra.join}` : ''}
      where ${s.where}${extra.where ? ` and ${extra.where}` : ''}
      group by ${groupExpr}, a.stage, ${r}`,
    s.params,
  );
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
  const rows = await reachRows(em, scope, 'a.job_id');
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

/** Created -> hired durations of the scope's hired applications, with the candidate's source. */
async function hireDurations(em: Em, scope: Scope): Promise<Array<{ source: CandidateSource; ms: number }>> {
  const s = scoped(em, scope);
  // An application is hired once (a terminal stage), so each row is one hire.
  const rows = await em.execute<Array<{ source: CandidateSource; ms: number | string }>>(
    `select c.source, ${msBetween(em, 'a.created_at', 'e.at')} as ms
       from ${s.from} join application_stage_events e on e.application_id = a.id
      where ${s.where} and e.to_stage = 'hired'`,
    s.params,
  );
  return rows.map((r) => ({ source: r.source, ms: Number(r.ms) }));
}

/**
 * Time in each stage (completed stays: from entering a stage to leaving it, one value per stay),
 * time to hire, and where candidates wait now (open applications by current stage, measured to
 * `now`).
 */
export async function times(em: Em, scope: Scope, now: Date): Promise<TimesResponse> {
  const s = scoped(em, scope);
  const stays = await em.execute<Array<{ stage: Stage; ms: number | string }>>(
    `select e.from_stage as stage, ${msBetween(em, 'e.from_since', 'e.at')} as ms
       from ${s.from} join application_stage_events e on e.application_id = a.id
      where ${s.where} and e.from_stage is not null and e.from_since is not null`,
    s.params,
  );
  const open = await em.execute<Array<{ stage: Stage; ms: number | string }>>(
    `select a.stage, ${msBetween(em, 'a.stage_changed_at', '?')} as ms from ${s.from}
      where ${s.where} and a.stage not in (${placeholders(TERMINAL_STAGES.length)})`,
    [emTx(em).date(now), ...s.params, ...TERMINAL_STAGES],
  );
  const group = (rows: Array<{ stage: Stage; ms: number | string }>) => {
    const out = new Map<Stage, number[]>();
    for (const r of rows) {
      const list = out.get(r.stage) ?? [];
      list.push(Number(r.ms));
      out.set(r.stage, list);
    }
    return out;
  };
  const byStage = group(stays);
  const waiting = group(open);
  return {
    stages: STAGES.filter((st) => byStage.has(st)).map((stage) => ({
      stage,
      ...durationStats(byStage.get(stage) ?? []),
    })),
    timeToHire: durationStats((await hireDurations(em, scope)).map((h) => h.ms)),
    waiting: STAGES.filter((st) => waiting.has(st)).map((stage) => ({
      stage,
      ...durationStats(waiting.get(stage) ?? []),
    })),
  };
}

/** Per source (every source, in the catalogue's order): applicants, reach per step, hires, time to hire. */
export async function sources(em: Em, scope: Scope): Promise<SourcesResponse> {
  const rows = await reachRows(em, scope, 'c.source');
  const hires = await hireDurations(em, scope);
  return {
    items: CANDIDATE_SOURCES.map((source) => {
      const f = funnelOf(rows.filter((r) => r.g === source));
      const durations: DurationStats = durationStats(
        hires.filter((h) => h.source === source).map((h) => h.ms),
      );
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
  const bandExpr = `(case ${AI_SCORE_BANDS.map((b) => `when rv.overall >= ${b.min} then '${b.key}'`).join(' ')} end)`;
  const rows = await reachRows(em, scope, bandExpr, {
    join: 'join application_reviews rv on rv.application_id = a.id',
    where: 'rv.overall is not null',
  });
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
