/**
 * Bias audit maths (TRUST.md "Fairness"), in the style of NYC Local Law 144 and the EEOC
 * four-fifths rule. Pure: the server feeds it one record per evaluated application, with the
 * candidate's optional self-identified demographics (stored apart from everything reviewers see).
 *
 * For each demographic dimension, and for every intersection of dimensions, each category gets:
 * - count of evaluated applications,
 * - selection rate = advanced / evaluated,
 * - scoring rate = share scoring above the overall median score (for scored applications),
 * - impact ratio = the category's rate / the highest rate among compared categories,
 * - a flag when the impact ratio is below 0.80 (four-fifths rule).
 * Records without a value for a dimension are counted as unknown and left out of its ratios.
 * Categories under 2% of the known records are reported but left out of the comparison
 * (LL144 permits this; tiny groups make ratios meaningless), and marked so.
 */

/** One evaluated application. */
export interface AuditRecord {
  /** Self-identified categories per dimension, e.g. { sex: 'female', ageBand: '25-34' }; missing = unknown. */
  categories: Record<string, string | null | undefined>;
  /** Advanced past the AI interview stage by a person's decision. */
  selected: boolean;
  /** Overall AI score 0-100, when one was computed (null for person-only evaluations). */
  score: number | null;
}

/** Audit result for one category of one dimension (or intersection). */
export interface CategoryResult {
  category: string;
  count: number;
  selected: number;
  selectionRate: number;
  selectionImpactRatio: number | null;
  scored: number;
  aboveMedian: number;
  scoringRate: number | null;
  scoringImpactRatio: number | null;
  /** Impact ratio below the threshold on either rate. */
  flagged: boolean;
  /** Under the minimum share: reported, not compared. */
  excluded: boolean;
}

/** Audit of one dimension (e.g. `sex`) or intersection (e.g. `sex × ageBand`). */
export interface DimensionResult {
  dimension: string;
  categories: CategoryResult[];
  unknown: number;
}

/** The whole report. */
export interface AuditReport {
  total: number;
  medianScore: number | null;
  threshold: number;
  minShare: number;
  dimensions: DimensionResult[];
}

/** Median of numbers (mean of the middle two for even counts); null when empty. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function ratio(rate: number | null, best: number | null): number | null {
  if (rate === null || best === null || best === 0) return null;
  return Math.round((rate / best) * 10_000) / 10_000;
}

function auditDimension(
  name: string,
  keyOf: (r: AuditRecord) => string | null,
  records: AuditRecord[],
  med: number | null,
  threshold: number,
  minShare: number,
): DimensionResult {
  const groups = new Map<string, AuditRecord[]>();
  let unknown = 0;
  for (const r of records) {
    const k = keyOf(r);
    if (k === null) {
      unknown++;
      continue;
    }
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const known = records.length - unknown;
  const rows = [...groups.entries()].map(([category, rs]) => {
    const selected = rs.filter((r) => r.selected).length;
    const scoredRs = rs.filter((r) => r.score !== null);
    const above = med === null ? 0 : scoredRs.filter((r) => (r.score as number) > med).length;
    return {
      category,
      count: rs.length,
      selected,
      selectionRate: selected / rs.length,
      scored: scoredRs.length,
      aboveMedian: above,
      scoringRate: scoredRs.length ? above / scoredRs.length : null,
      excluded: known > 0 && rs.length / known < minShare,
    };
  });
  const compared = rows.filter((r) => !r.excluded);
  const bestSel = compared.length ? Math.max(...compared.map((r) => r.selectionRate)) : null;
  const scoringRates = compared.map((r) => r.scoringRate).filter((x): x is number => x !== null);
  const bestScore = scoringRates.length ? Math.max(...scoringRates) : null;
  const categories: CategoryResult[] = rows
    .map((r) => {
      const selectionImpactRatio = r.excluded ? null : ratio(r.selectionRate, bestSel);
      const scoringImpactRatio = r.excluded ? null : ratio(r.scoringRate, bestScore);
      const flagged =
        (selectionImpactRatio !== null && selectionImpactRatio < threshold) ||
        (scoringImpactRatio !== null && scoringImpactRatio < threshold);
      return { ...r, selectionImpactRatio, scoringImpactRatio, flagged };
    })
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  return { dimension: name, categories, unknown };
}

/**
 * Computes the audit over `records` for each dimension in `dimensions` and, when
 * `intersections` is true, for every pair (and larger combination) of them.
 */
export function biasAudit(
  records: AuditRecord[],
  dimensions: string[],
  opts: { threshold?: number; minShare?: number; intersections?: boolean } = {},
): AuditReport {
  const threshold = opts.threshold ?? 0.8;
  const minShare = opts.minShare ?? 0.02;
  const scores = records.map((r) => r.score).filter((s): s is number => s !== null);
  const med = median(scores);
  const value = (r: AuditRecord, d: string) => {
    const v = r.categories[d];
    return v === null || v === undefined || v === '' ? null : v;
  };
  const results: DimensionResult[] = dimensions.map((d) =>
    auditDimension(d, (r) => value(r, d), records, med, threshold, minShare),
  );
  if (opts.intersections !== false && dimensions.length > 1) {
    const combos: string[][] = [];
    const build = (start: number, acc: string[]) => {
      if (acc.length >= 2) combos.push([...acc]);
      for (let i = start; i < dimensions.length; i++) build(i + 1, [...acc, dimensions[i]]);
    };
    build(0, []);
    for (const combo of combos) {
      results.push(
        auditDimension(
          combo.join(' × '),
          (r) => {
            const parts = combo.map((d) => value(r, d));
            return parts.some((p) => p === null) ? null : parts.join(' × ');
          },
          records,
          med,
          threshold,
          minShare,
        ),
      );
    }
  }
  return { total: records.length, medianScore: med, threshold, minShare, dimensions: results };
}
