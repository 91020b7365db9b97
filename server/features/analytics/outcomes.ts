/**
 * Closed-loop validity (issue 17 item 4): what DingTalk's HR (智能人事) says of the people we
 * hired (probation passed or not, performance grade), synced by the worker, and how well each
 * interview score predicted it (correlation, 95% interval, n; nothing below the minimum n).
 */
import {
  type Correlation,
  type OutcomeSyncView,
  type OutcomeValidityResponse,
  type OutcomeValidityRow,
  PERFORMANCE_GRADE_SCALE,
} from '../../../shared/api/analytics';
import { DEMOGRAPHIC_DIMENSIONS } from '../../../shared/api/demographics';
import { HireOutcome, HireOutcomeSync, type IHireOutcomeSync } from '../../kernel/db/entities/HireOutcome';
import { placeholders } from '../../kernel/db/raw';
import type { Em } from '../../kernel/db/types';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { type Scope, scoped } from './queries';
import { correlation } from './stats';

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

/** One hire with its interview scores and outcome. */
interface HireRow {
  applicationId: number;
  candidateId: number;
  status: string | null;
  passed: number | null;
  performance: number | null;
  scores: Map<string, number>;
}

function corr(
  rows: readonly HireRow[],
  key: string,
  outcome: 'passed' | 'performance',
  minN: number,
): Correlation {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const r of rows) {
    const x = r.scores.get(key);
    const y = r[outcome];
    if (x === undefined || y === null) continue;
    xs.push(x);
    ys.push(y);
  }
  return correlation(xs, ys, minN);
}

function itemsOf(rows: readonly HireRow[], keys: readonly string[], minN: number): OutcomeValidityRow[] {
  return keys.map((competency) => ({
    competency,
    probation: corr(rows, competency, 'passed', minN),
    performance: corr(rows, competency, 'performance', minN),
  }));
}

/**
 * The validity report for a scope: the scope's hired applications, the scores of their latest
 * interview report (overall and per competency), their synced outcomes, and per score the
 * correlation with passing probation (1/0) and with the performance grade. `groups`: the same per
 * self-identified category (for HR; the fairness audit reads the same table).
 */
export async function outcomeValidity(
  em: Em,
  scope: Scope,
  opts: { minN: number; groups: boolean },
): Promise<OutcomeValidityResponse> {
  const s = scoped(em, scope);
  const hired = await em.execute<
    Array<{
      id: number;
      candidate_id: number;
      status: string | null;
      passed: number | boolean | null;
      score: number | null;
    }>
  >(
    `select a.id, a.candidate_id, o.status, o.probation_passed as passed, o.performance_score as score
       from ${s.from} left join hire_outcomes o on o.application_id = a.id
      where ${s.where} and a.stage = 'hired' order by a.id`,
    s.params,
  );
  const rows: HireRow[] = hired.map((h) => ({
    applicationId: Number(h.id),
    candidateId: Number(h.candidate_id),
    status: h.status,
    passed: h.passed === null || h.passed === undefined ? null : Number(h.passed),
    performance: h.score === null || h.score === undefined ? null : Number(h.score),
    scores: new Map(),
  }));
  const byApp = new Map(rows.map((r) => [r.applicationId, r]));
  const keys = new Set<string>();
  if (rows.length) {
    // The latest report of each hired application (a re-taken interview replaces the earlier one).
    const reports = await em.execute<
      Array<{ application_id: number; overall: number | null; competencies: unknown }>
    >(
      `select r.application_id, r.overall, r.competencies from interview_reports r
        where r.application_id in (${placeholders(rows.length)})
          and r.id = (select max(r2.id) from interview_reports r2 where r2.application_id = r.application_id)`,
      rows.map((r) => r.applicationId),
    );
    for (const rep of reports) {
      const row = byApp.get(Number(rep.application_id));
      if (!row) continue;
      if (rep.overall !== null && rep.overall !== undefined) row.scores.set('overall', Number(rep.overall));
      const comps = (
        typeof rep.competencies === 'string' ? JSON.parse(rep.competencies) : rep.competencies
      ) as Array<{ name?: unknown; score?: unknown }> | null;
      for (const c of comps ?? [])
        if (typeof c.name === 'string' && typeof c.score === 'number') {
          row.scores.set(c.name, c.score);
          keys.add(c.name);
        }
    }
  }
  const ordered = ['overall', ...[...keys].filter((k) => k !== 'overall').sort()];
  const count = (pred: (r: HireRow) => boolean) => rows.filter(pred).length;

  let groups: OutcomeValidityResponse['groups'] = null;
  if (opts.groups) {
    groups = [];
    const candidateIds = [...new Set(rows.map((r) => r.candidateId))];
    const demo = candidateIds.length
      ? await em.execute<Array<{ candidate_id: number; categories: unknown }>>(
          `select candidate_id, categories from demographic_self_ids where candidate_id in (${placeholders(candidateIds.length)})`,
          candidateIds,
        )
      : [];
    const catsOf = new Map(
      demo.map((d) => [
        Number(d.candidate_id),
        (typeof d.categories === 'string' ? JSON.parse(d.categories) : d.categories) as Record<
          string,
          string
        >,
      ]),
    );
    for (const dim of Object.keys(DEMOGRAPHIC_DIMENSIONS)) {
      const byCat = new Map<string, HireRow[]>();
      for (const r of rows) {
        const cat = catsOf.get(r.candidateId)?.[dim];
        if (!cat) continue;
        byCat.set(cat, [...(byCat.get(cat) ?? []), r]);
      }
      for (const [category, members] of [...byCat].sort((a, b) => a[0].localeCompare(b[0])))
        groups.push({
          dimension: dim,
          category,
          hires: members.length,
          items: itemsOf(members, ordered, opts.minN),
        });
    }
  }

  const [last] = await em.find(HireOutcomeSync, {}, { orderBy: { id: 'desc' }, limit: 1 });
  return {
    minN: opts.minN,
    hires: rows.length,
    outcomes: {
      probation: count((r) => r.status === 'probation'),
      regular: count((r) => r.status === 'regular'),
      left: count((r) => r.status === 'left'),
      leftInProbation: count((r) => r.status === 'left' && r.passed === 0),
      notFound: count((r) => r.status === 'not_found'),
      unsynced: count((r) => r.status === null),
      graded: count((r) => r.performance !== null),
    },
    items: itemsOf(rows, ordered, opts.minN),
    groups,
    lastSync: last ? syncView(last) : null,
  };
}
