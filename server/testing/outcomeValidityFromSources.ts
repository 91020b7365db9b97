/**
 * The closed-loop validity report computed from the source tables, as the product did before the
 * `analytics_report_scores` rollup: every hired application of the scope, the latest report of
 * each with its `competencies` JSON parsed here, correlated from the lists. Kept for tests only,
 * as the oracle the rollup-backed `outcomeValidity` must equal after any mix of writes.
 */
import type { Correlation, OutcomeValidityResponse, OutcomeValidityRow } from '../../shared/api/analytics';
import { DEMOGRAPHIC_DIMENSIONS } from '../../shared/api/demographics';
import { syncView } from '../features/analytics/outcomes';
import { type Scope, scoped } from '../features/analytics/queries';
import { correlation } from '../features/analytics/stats';
import { HireOutcomeSync } from '../kernel/db/entities/HireOutcome';
import { placeholders } from '../kernel/db/raw';
import type { Em } from '../kernel/db/types';

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

/** `outcomeValidity` (analytics/outcomes.ts) from the source tables. */
export async function outcomeValidityFromSources(
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
