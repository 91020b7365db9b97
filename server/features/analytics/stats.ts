/**
 * Small, pure statistics for the dashboards, kept apart so the tests can check them against
 * hand-computed values.
 */
import type { Correlation, DurationStats } from '../../../shared/api/analytics';

/**
 * Median (mean of the two middle values for an even count) and 90th percentile by the
 * nearest-rank method (the smallest value with at least 90% of values at or below it: the
 * ceil(0.9 n)-th smallest), which always reports a duration somebody actually had.
 */
export function durationStats(values: readonly number[]): DurationStats {
  const n = values.length;
  if (!n) return { n: 0, medianMs: null, p90Ms: null };
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const medianMs = n % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const p90Ms = s[Math.ceil(0.9 * n) - 1];
  return { n, medianMs, p90Ms };
}

/** num / den, or null when den is below `minN` (or zero). */
export function rate(num: number, den: number, minN = 1): number | null {
  return den >= Math.max(1, minN) ? num / den : null;
}

/**
 * A duration rounded down to the dashboards' histogram resolution: 1 minute below 10 h, 10
 * minutes below 100 h, 1 hour below 1,000 h, 10 hours beyond (under 1.7% of the value above
 * 10 h; whole hours below 1,000 h are exact). The database triggers of the `analytics_rollups`
 * migration (kernel/db/migrations/analyticsRollupsSql.ts) round the same way.
 */
export function durationBucket(ms: number): number {
  const step =
    ms < 36_000_000 ? 60_000 : ms < 360_000_000 ? 600_000 : ms < 3_600_000_000 ? 3_600_000 : 36_000_000;
  return Math.floor(ms / step) * step;
}

/**
 * {@link durationStats} of a histogram (value -> count), without expanding it: the same median
 * and nearest-rank 90th percentile as over the list with each value repeated `count` times.
 */
export function histogramStats(h: ReadonlyMap<number, number>): DurationStats {
  const entries = [...h].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = entries.reduce((t, [, c]) => t + c, 0);
  if (!n) return { n: 0, medianMs: null, p90Ms: null };
  /** The k-th smallest value (1-based). */
  const kth = (k: number): number => {
    let seen = 0;
    for (const [v, c] of entries) {
      seen += c;
      if (seen >= k) return v;
    }
    return entries[entries.length - 1][0];
  };
  const mid = Math.floor(n / 2);
  const medianMs = n % 2 ? kth(mid + 1) : (kth(mid) + kth(mid + 1)) / 2;
  return { n, medianMs, p90Ms: kth(Math.ceil(0.9 * n)) };
}

/**
 * Pearson's r of paired values, or null when there are fewer than two pairs or either side does
 * not vary (r is undefined then). With a 0/1 side this is the point-biserial correlation.
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** The normal quantile of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * r with its 95% confidence interval by Fisher's z transform: z = atanh(r), se = 1 / sqrt(n - 3),
 * interval tanh(z ± 1.96 se). Below `minN` pairs (at least 4, for n - 3 > 0) only n is given:
 * the report says "not enough data yet" rather than show a number on a handful of people.
 */
export function correlation(xs: readonly number[], ys: readonly number[], minN: number): Correlation {
  const n = Math.min(xs.length, ys.length);
  return withInterval(n, n >= Math.max(4, minN) ? pearson(xs, ys) : null);
}

/** n and r (null: not shown) with r's Fisher-z 95% interval, as {@link correlation} reports them. */
function withInterval(n: number, r: number | null): Correlation {
  if (r === null) return { n, r: null, low: null, high: null };
  // |r| = 1 has no finite z; its interval is the point itself.
  if (Math.abs(r) === 1) return { n, r, low: r, high: r };
  const z = Math.atanh(r);
  const se = 1 / Math.sqrt(n - 3);
  return { n, r, low: Math.tanh(z - Z95 * se), high: Math.tanh(z + Z95 * se) };
}

/**
 * What a database aggregate gives of paired values: the count, the sums, the sums of squares and
 * of products, and whether each side varies (its minimum differs from its maximum).
 */
export interface PairSums {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
  xVaries: boolean;
  yVaries: boolean;
}

/**
 * {@link correlation} from sums (SQL aggregates) instead of the lists: the same minimum n, the
 * same "no r without variation" (read from min/max, exact, where a difference of sums could leave
 * a rounding residue), the same clamp and interval. Pearson's r is
 * (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)), equal to the centred form up to rounding
 * (exactly, for integer scores and 0/1 or quarter-step outcomes at these n).
 */
export function correlationFromSums(s: PairSums, minN: number): Correlation {
  if (s.n < Math.max(4, minN) || !s.xVaries || !s.yVaries) return withInterval(s.n, null);
  const dx = s.n * s.sxx - s.sx * s.sx;
  const dy = s.n * s.syy - s.sy * s.sy;
  if (dx <= 0 || dy <= 0) return withInterval(s.n, null);
  const r = (s.n * s.sxy - s.sx * s.sy) / Math.sqrt(dx * dy);
  return withInterval(s.n, Math.max(-1, Math.min(1, r)));
}
