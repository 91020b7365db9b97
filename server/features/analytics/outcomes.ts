/**
 * Closed-loop validity (issue 17 item 4): what DingTalk's HR (智能人事) says of the people we
 * hired (probation passed or not, performance grade), synced by the worker, and how well each
 * interview score predicted it (correlation, 95% interval, n; nothing below the minimum n).
 */
import {
  type OutcomeSyncView,
  type OutcomeValidityResponse,
  type OutcomeValidityRow,
  PERFORMANCE_GRADE_SCALE,
} from '../../../shared/api/analytics';
import { DEMOGRAPHIC_DIMENSIONS } from '../../../shared/api/demographics';
import { HireOutcome, HireOutcomeSync, type IHireOutcomeSync } from '../../kernel/db/entities/HireOutcome';
import { dialectOf } from '../../kernel/db/tx';
import type { Em } from '../../kernel/db/types';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { type Grain, grainWhere, type Scope, scoped } from './queries';
import { correlationFromSums, type PairSums } from './stats';

/** A run still `running` after this long is taken as dead (its worker stopped) and failed. */
export const SYNC_STALE_MS = 30 * 60_000;
/** How often the scheduled sync runs (HR can ask for one any time). */
export const SYNC_EVERY_MS = 24 * 3_600_000;
/** How soon a scheduled sync is tried again after a failed one. */
export const SYNC_RETRY_MS = 3_600_000;
/**
 * How long a hire DingTalk did not know by mobile is left alone before it is looked up again:
 * each lookup is one call of the org's monthly API quota (5,000 on the standard edition), and a
 * daily retry for every such hire would spend it on people who are simply not in the roster.
 */
export const NOT_FOUND_RETRY_MS = 7 * 24 * 3_600_000;

/** A grade label or numeric grade on the correlation scale, or null when unknown. */
export function gradeScore(grade: string | null): number | null {
  if (grade === null) return null;
  const g = grade.trim().toUpperCase();
  if (g in PERFORMANCE_GRADE_SCALE) return PERFORMANCE_GRADE_SCALE[g];
  const n = Number(g);
  return g !== '' && Number.isFinite(n) ? n : null;
}

/** Shanghai calendar day `yyyy-MM-dd` as the instant of its midnight. */
function shanghaiDay(s: string | null): Date | null {
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  return new Date(`${s.slice(0, 10)}T00:00:00+08:00`);
}

/** What one sync read and wrote. */
export interface SyncResult {
  synced: number;
  notFound: number;
}

/**
 * Reads the HR records of every hired application and replaces their outcomes. Every DingTalk
 * read happens first; the rows are written together afterwards, so a failure (throttled past the
 * retries, DingTalk down) throws and changes nothing. A userid once found is kept: people who left
 * are no longer members, so their mobile no longer finds them, but their leaving record does. A
 * hire not found is looked up again only after {@link NOT_FOUND_RETRY_MS}.
 */
export async function syncHireOutcomes(em: Em, dingtalk: DingTalk, now: Date): Promise<SyncResult> {
  const hired = await em.execute<
    Array<{ id: number; mobile: string | null; uid: string | null; status: string | null; synced: unknown }>
  >(
    `select a.id, c.mobile, o.dingtalk_user_id as uid, o.status, o.synced_at as synced
       from applications a join candidates c on c.id = a.candidate_id
       left join hire_outcomes o on o.application_id = a.id
      where a.stage = 'hired' order by a.id`,
  );
  const hr = dingtalk.hrmRecords;
  const userOf = new Map<number, string | null>();
  // Hires not found recently: not looked up again yet, and their rows stay as they are.
  const resting = new Set<number>();
  for (const h of hired) {
    const syncedAt = h.synced ? new Date(h.synced as string | number | Date).getTime() : 0;
    if (h.uid) userOf.set(Number(h.id), h.uid);
    else if (h.status === 'not_found' && now.getTime() - syncedAt < NOT_FOUND_RETRY_MS) {
      userOf.set(Number(h.id), null);
      resting.add(Number(h.id));
    } else userOf.set(Number(h.id), h.mobile ? await hr.userIdByMobile(h.mobile) : null);
  }
  const ids = [...new Set([...userOf.values()].filter((u): u is string => !!u))];
  const roster = new Map((ids.length ? await hr.roster(ids) : []).map((r) => [r.userId, r]));
  const gone = ids.filter((u) => !roster.has(u));
  const left = new Map((gone.length ? await hr.dismissions(gone) : []).map((d) => [d.userId, d]));
  const grades = new Map<string, { grade: string; period: string | null }>();
  // The latest appraisal per person: periods sort as text ("2026 H1" < "2026 H2", "2026-Q1" <
  // "2026-Q2"); without a period the last one DingTalk lists wins.
  for (const p of ids.length ? await hr.performanceRecords(ids) : []) {
    const prev = grades.get(p.userId);
    if (!prev || (p.period ?? '') >= (prev.period ?? '')) grades.set(p.userId, p);
  }

  let notFound = 0;
  await em.transactional(async (tx) => {
    const existing = new Map(
      (await tx.find(HireOutcome, { application: { $in: hired.map((h) => Number(h.id)) } })).map((o) => [
        o.application.id,
        o,
      ]),
    );
    for (const h of hired) {
      const appId = Number(h.id);
      if (resting.has(appId)) {
        notFound += 1;
        continue;
      }
      const uid = userOf.get(appId) ?? null;
      const r = uid ? roster.get(uid) : undefined;
      const d = uid ? left.get(uid) : undefined;
      const g = uid ? grades.get(uid) : undefined;
      let status: 'probation' | 'regular' | 'left' | 'not_found';
      let passed: boolean | null = null;
      if (!uid || (!r && !d)) status = 'not_found';
      else if (d) {
        status = 'left';
        // preStatus 3: made regular before leaving; 2: left during probation.
        passed = d.preStatus === 3 ? true : d.preStatus === 2 ? false : null;
      } else if (r?.status === 3 || (r?.status === 5 && r.regularDate)) {
        status = 'regular';
        passed = true;
      } else status = 'probation';
      if (status === 'not_found') notFound += 1;
      const values = {
        dingtalkUserId: uid,
        status,
        probationPassed: passed,
        regularAt: shanghaiDay(r?.regularDate ?? null),
        leftAt: d?.lastWorkDay ?? null,
        performanceGrade: g?.grade.slice(0, 32) ?? null,
        performancePeriod: g?.period?.slice(0, 64) ?? null,
        performanceScore: gradeScore(g?.grade ?? null),
        syncedAt: now,
      };
      const row = existing.get(appId);
      if (row) tx.assign(row, values);
      else tx.create(HireOutcome, { application: appId, ...values });
    }
  });
  return { synced: hired.length, notFound };
}

/** A sync row as the API shows it. */
export function syncView(s: IHireOutcomeSync): OutcomeSyncView {
  return {
    id: s.id,
    status: s.status,
    requestedAt: s.requestedAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
    synced: s.synced,
    notFound: s.notFound,
    error: s.error ?? null,
  };
}

/**
 * One wake of the worker's job: fails runs whose worker died, claims a requested run (one UPDATE
 * from `requested` to `running`, so two workers never run the same one) or, when none finished in
 * the last {@link SYNC_EVERY_MS}, makes a scheduled one; then syncs and records the result. Returns
 * the run it finished, or null when there was nothing to do.
 */
export async function runOutcomeSync(
  em: Em,
  dingtalk: DingTalk,
  now: Date,
): Promise<IHireOutcomeSync | null> {
  await em.nativeUpdate(
    HireOutcomeSync,
    { status: 'running', startedAt: { $lt: new Date(now.getTime() - SYNC_STALE_MS) } },
    { status: 'failed', finishedAt: now, error: 'The worker running this sync stopped' },
  );
  let run = await em.findOne(HireOutcomeSync, { status: 'requested' }, { orderBy: { id: 'asc' } });
  if (!run) {
    // Due unless one is running, one finished in the last day, or one failed in the last hour
    // (DingTalk down or throttling: try again later, without spending the monthly call quota
    // every minute).
    const recent = await em.findOne(HireOutcomeSync, {
      $or: [
        { status: 'running' },
        { status: 'done', requestedAt: { $gte: new Date(now.getTime() - SYNC_EVERY_MS) } },
        { status: 'failed', requestedAt: { $gte: new Date(now.getTime() - SYNC_RETRY_MS) } },
      ],
    });
    if (recent) return null;
    run = em.create(HireOutcomeSync, { status: 'requested', requestedAt: now });
    await em.flush();
  }
  const claimed = await em.nativeUpdate(
    HireOutcomeSync,
    { id: run.id, status: 'requested' },
    { status: 'running', startedAt: now },
  );
  if (claimed !== 1) return null;
  let result: Partial<IHireOutcomeSync>;
  try {
    const r = await syncHireOutcomes(em.fork(), dingtalk, now);
    result = { status: 'done', synced: r.synced, notFound: r.notFound, error: null };
  } catch (err) {
    // The message names the API and DingTalk's code, never the token (URLs are masked upstream).
    result = { status: 'failed', error: (err as Error).message.slice(0, 500) };
  }
  await em.nativeUpdate(HireOutcomeSync, { id: run.id }, { ...result, finishedAt: now });
  return em.fork().findOneOrFail(HireOutcomeSync, { id: run.id });
}

/** The two outcomes a score is correlated with, as `hire_outcomes` columns (null: unknown). */
const OUTCOMES = { probation: 'o.probation_passed', performance: 'o.performance_score' } as const;
type OutcomeName = keyof typeof OUTCOMES;

/**
 * The score rows summed per score key and outcome pair: the count, Σx, Σx², min and max of the
 * scores of the hires with that probation result and that grade. Few groups (keys × 3 × grades),
 * and few aggregates per row: MariaDB spends most of such a query updating aggregates, so the
 * outcome-side sums (Σy, Σy², Σxy) are made from these in {@link pairSums}, exactly.
 */
const SUM_COLUMNS = `s.score_key as k, ${OUTCOMES.probation} as probation, ${OUTCOMES.performance} as performance,
  count(*) as c, sum(s.score) as sx, sum(s.score * s.score) as sxx, min(s.score) as x0, max(s.score) as x1`;
const SUM_GROUP = `s.score_key, ${OUTCOMES.probation}, ${OUTCOMES.performance}`;

type SumRow = Record<string, unknown>;

/** One outcome's pair sums of a score from its {@link SUM_COLUMNS} rows (drivers give decimals as strings). */
function pairSums(rows: readonly SumRow[], name: OutcomeName): PairSums {
  const out: PairSums = { n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0, xVaries: false, yVaries: false };
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0: number | null = null;
  for (const r of rows) {
    if (r[name] === null || r[name] === undefined) continue;
    const y = Number(r[name]);
    const c = Number(r.c);
    const sx = Number(r.sx);
    out.n += c;
    out.sx += sx;
    out.sxx += Number(r.sxx);
    out.sy += c * y;
    out.syy += c * y * y;
    out.sxy += y * sx;
    x0 = Math.min(x0, Number(r.x0));
    x1 = Math.max(x1, Number(r.x1));
    if (y0 === null) y0 = y;
    else if (y !== y0) out.yVaries = true;
  }
  out.xVaries = x0 < x1;
  return out;
}

/** The report rows in `keys` order from the sum rows of one group (a key without rows: n = 0). */
function itemsOf(rows: readonly SumRow[], keys: readonly string[], minN: number): OutcomeValidityRow[] {
  const byKey = new Map<string, SumRow[]>();
  for (const r of rows) byKey.set(String(r.k), [...(byKey.get(String(r.k)) ?? []), r]);
  return keys.map((competency) => {
    const mine = byKey.get(competency) ?? [];
    return {
      competency,
      probation: correlationFromSums(pairSums(mine, 'probation'), minN),
      performance: correlationFromSums(pairSums(mine, 'performance'), minN),
    };
  });
}

/**
 * A self-identified category of each dimension, as SQL over `d.categories` and the dimension
 * name `dims.dim`: a non-empty string, else null (absent, "prefer not to say").
 */
function categoryExpr(d: 'mysql' | 'sqlite'): string {
  return d === 'mysql'
    ? `(case when json_type(json_extract(d.categories, concat('$.', dims.dim))) = 'STRING' then nullif(json_unquote(json_extract(d.categories, concat('$.', dims.dim))), '') end)`
    : `(case when json_type(d.categories, '$.' || dims.dim) = 'text' then nullif(json_extract(d.categories, '$.' || dims.dim), '') end)`;
}

/** The figures the report is built from, whichever path read them. */
interface Figures {
  /** Hires and outcome counts (`hires`, `probation`, `regular`, `lft`, `left_in_probation`, ...). */
  counts: Record<string, unknown>;
  /** {@link SUM_COLUMNS} rows of every hire of the scope. */
  items: SumRow[];
  /** Hires per self-identified category (groups only). */
  members: Array<{ dim: string; cat: string; hires: unknown }>;
  /** {@link SUM_COLUMNS} rows per category, with `dim` and `cat` (groups only). */
  sums: SumRow[];
}

/**
 * The figures from the source tables: the scope's hires joined with their report-score rows and
 * outcomes. Used for the source filter (the rollup is not split by source; a source is a slice of
 * the hires) and for `scope.raw`.
 */
async function sourceFigures(em: Em, scope: Scope, groups: boolean): Promise<Figures> {
  const s = scoped(em, scope, true);
  const hired = `${s.where} and a.stage = 'hired'`;
  const outcomeJoin = 'left join hire_outcomes o on o.application_id = a.id';
  const scoreJoin = 'join analytics_report_scores s on s.application_id = a.id';
  const [counts] = await em.execute<SumRow[]>(
    `select count(*) as hires,
            sum(case when o.status = 'probation' then 1 else 0 end) as probation,
            sum(case when o.status = 'regular' then 1 else 0 end) as regular,
            sum(case when o.status = 'left' then 1 else 0 end) as lft,
            sum(case when o.status = 'left' and o.probation_passed = 0 then 1 else 0 end) as left_in_probation,
            sum(case when o.status = 'not_found' then 1 else 0 end) as not_found,
            sum(case when o.status is null then 1 else 0 end) as unsynced,
            count(o.performance_score) as graded
       from ${s.from} ${outcomeJoin} where ${hired}`,
    s.params,
  );
  const items = await em.execute<SumRow[]>(
    `select ${SUM_COLUMNS} from ${s.from} ${scoreJoin} ${outcomeJoin} where ${hired} group by ${SUM_GROUP}`,
    s.params,
  );
  if (!groups) return { counts: counts ?? {}, items, members: [], sums: [] };
  const dimensions = Object.keys(DEMOGRAPHIC_DIMENSIONS);
  const dims = `(${dimensions.map(() => 'select ? as dim').join(' union all ')}) dims`;
  const cat = categoryExpr(dialectOf(em));
  const from = `${s.from} join demographic_self_ids d on d.candidate_id = a.candidate_id cross join ${dims}`;
  const params = [...dimensions, ...s.params];
  const members = await em.execute<Array<{ dim: string; cat: string; hires: unknown }>>(
    `select dims.dim as dim, ${cat} as cat, count(*) as hires from ${from}
      where ${hired} and ${cat} is not null group by dims.dim, ${cat}`,
    params,
  );
  const sums = await em.execute<SumRow[]>(
    `select dims.dim as dim, ${cat} as cat, ${SUM_COLUMNS} from ${from} ${scoreJoin} ${outcomeJoin}
      where ${hired} and ${cat} is not null group by dims.dim, ${cat}, ${SUM_GROUP}`,
    params,
  );
  return { counts: counts ?? {}, items, members, sums };
}

/**
 * The figures from the outcome sums rollup (migration `analytics_outcome_sums`): the `all` grain
 * for HR without a job scope or date range, `job` rows of the scope's jobs, `day` rows (of the
 * scope's jobs, if any) for a date range. A few thousand rows at most, summed here; null when the
 * rollup cannot answer (a source filter, or `scope.raw`).
 */
async function rollupFigures(em: Em, scope: Scope, groups: boolean): Promise<Figures | null> {
  if (scope.raw || scope.filters.source) return null;
  const grain = outcomeGrain(scope);
  const g = await grainWhere(em, scope, grain, false, grain === 'day');
  const rows = await em.execute<SumRow[]>(
    `select dim, cat, hire, score_key as k, status, probation, graded, performance,
            sum(n) as c, sum(sx) as sx, sum(sxx) as sxx, min(x0) as x0, max(x1) as x1
       from analytics_outcome_sums
      where ${g.where} and n > 0${groups ? '' : " and dim = ''"}
      group by dim, cat, hire, score_key, status, probation, graded, performance`,
    g.params,
  );
  const counts: Record<string, number> = {
    hires: 0,
    probation: 0,
    regular: 0,
    lft: 0,
    left_in_probation: 0,
    not_found: 0,
    unsynced: 0,
    graded: 0,
  };
  const items: SumRow[] = [];
  const members = new Map<string, { dim: string; cat: string; hires: number }>();
  const sums: SumRow[] = [];
  for (const r of rows) {
    const dim = String(r.dim);
    const cat = String(r.cat);
    const c = Number(r.c);
    if (Number(r.hire) === 1) {
      if (dim === '') {
        const status = String(r.status);
        counts.hires += c;
        if (status === 'left') {
          counts.lft += c;
          if (Number(r.probation) === 0) counts.left_in_probation += c;
        } else if (status === '') counts.unsynced += c;
        else if (status in counts) counts[status] += c;
        if (Number(r.graded) === 1) counts.graded += c;
      } else {
        const key = `${dim}\u0000${cat}`;
        const m = members.get(key) ?? { dim, cat, hires: 0 };
        m.hires += c;
        members.set(key, m);
      }
      continue;
    }
    // As the source path's rows: unknown outcomes as null.
    const row: SumRow = {
      ...r,
      probation: Number(r.probation) === -1 ? null : Number(r.probation),
      performance: Number(r.graded) === 1 ? Number(r.performance) : null,
    };
    (dim === '' ? items : sums).push(row);
  }
  return { counts, items, members: [...members.values()], sums };
}

/** The outcome sums grain answering a scope (the source filter aside). */
function outcomeGrain(scope: Scope): Grain {
  const f = scope.filters;
  if (f.from || f.to) return 'day';
  return scope.departmentIds !== null || f.jobId || f.departmentId ? 'job' : 'all';
}

/**
 * The validity report for a scope: the scope's hired applications, the scores of their latest
 * interview report (overall and per competency), their synced outcomes, and per score the
 * correlation with passing probation (1/0) and with the performance grade. `groups`: the same per
 * self-identified category (for HR; the fairness audit reads the same table).
 *
 * The database does the work: count, Σx, Σx², min and max of the scores per score key and
 * outcome pair come from the `analytics_outcome_sums` rollup (kept by triggers; a few thousand
 * rows for any scope but a source filter, which joins the scope's hires with the
 * `analytics_report_scores` rollup instead), and each correlation is made from those sums.
 */
export async function outcomeValidity(
  em: Em,
  scope: Scope,
  opts: { minN: number; groups: boolean },
): Promise<OutcomeValidityResponse> {
  const { counts, items, members, sums } =
    (await rollupFigures(em, scope, opts.groups)) ?? (await sourceFigures(em, scope, opts.groups));
  const keys = [...new Set(items.map((r) => String(r.k)))].filter((k) => k !== 'overall');
  const ordered = ['overall', ...keys.sort()];

  let groups: OutcomeValidityResponse['groups'] = null;
  if (opts.groups) {
    const dimensions = Object.keys(DEMOGRAPHIC_DIMENSIONS);
    const rowsOf = new Map<string, SumRow[]>();
    for (const r of sums) {
      const key = `${r.dim}\u0000${r.cat}`;
      rowsOf.set(key, [...(rowsOf.get(key) ?? []), r]);
    }
    groups = dimensions.flatMap((dim) =>
      members
        .filter((m) => m.dim === dim)
        .sort((x, y) => String(x.cat).localeCompare(String(y.cat)))
        .map((m) => ({
          dimension: dim,
          category: String(m.cat),
          hires: Number(m.hires),
          items: itemsOf(rowsOf.get(`${dim}\u0000${m.cat}`) ?? [], ordered, opts.minN),
        })),
    );
  }

  const [last] = await em.find(HireOutcomeSync, {}, { orderBy: { id: 'desc' }, limit: 1 });
  const count = (c: string) => Number(counts?.[c] ?? 0);
  return {
    minN: opts.minN,
    hires: count('hires'),
    outcomes: {
      probation: count('probation'),
      regular: count('regular'),
      left: count('lft'),
      leftInProbation: count('left_in_probation'),
      notFound: count('not_found'),
      unsynced: count('unsynced'),
      graded: count('graded'),
    },
    items: itemsOf(items, ordered, opts.minN),
    groups,
    lastSync: last ? syncView(last) : null,
  };
}
