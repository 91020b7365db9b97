/**
 * Small, pure statistics for the dashboards, kept apart so the tests can check them against
 * hand-computed values.
 */
import type { DurationStats } from '../../../shared/api/analytics';

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
