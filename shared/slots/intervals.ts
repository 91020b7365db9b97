/**
 * Half-open intervals `[start, end)` of UTC instants (ms). Two intervals that merely touch
 * (one ends when the other starts) do not overlap: a slot starting exactly when a busy period
 * ends is free.
 */
export interface Interval {
  start: number;
  end: number;
}

/** True when the two half-open intervals share at least one instant. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** True when `inner` lies completely inside `outer`. */
export function contains(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Sorted, non-empty, non-overlapping intervals; touching intervals are joined. */
export function normalize(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** `base` minus every interval of `remove`. */
export function subtract(base: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const cuts = normalize(remove);
  const out: Interval[] = [];
  for (const b of normalize(base)) {
    let start = b.start;
    for (const c of cuts) {
      if (c.end <= start || c.start >= b.end) continue;
      if (c.start > start) out.push({ start, end: c.start });
      start = Math.max(start, c.end);
      if (start >= b.end) break;
    }
    if (start < b.end) out.push({ start, end: b.end });
  }
  return out;
}

/** True when `slot` overlaps any interval of the sorted list `busy` (binary search). */
export function hitsAny(slot: Interval, busy: readonly Interval[]): boolean {
  let lo = 0;
  let hi = busy.length;
  // First interval whose end is after slot.start.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (busy[mid].end <= slot.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < busy.length && busy[lo].start < slot.end;
}
