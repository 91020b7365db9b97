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
