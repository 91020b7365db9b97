import { type Interval, normalize } from './intervals';
import { addDays, type LocalDate, localDate, parseHm, weekdayOf, zonedToUtc } from './time';

/** A wall-clock range within one day, `HH:MM`-`HH:MM` (end exclusive, `24:00` allowed). */
export interface HoursRange {
  start: string;
  end: string;
}

/** Working hours per weekday; key 0 = Sunday ... 6 = Saturday. Missing weekday = not working. */
export type WeeklyHours = Partial<Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', HoursRange[]>>;

/** Replaces the weekly hours of one date: `ranges: []` is a day off, others are extra/changed hours. */
export interface DateOverride {
  date: LocalDate;
  ranges: HoursRange[];
}

/** Someone's working pattern in their own zone. */
export interface Availability {
  timeZone: string;
  weekly: WeeklyHours;
  overrides?: readonly DateOverride[];
}

/** Problems with a weekly/override definition (empty = valid). */
export function availabilityProblems(a: {
  weekly: WeeklyHours;
  overrides?: readonly DateOverride[];
}): string[] {
  const problems: string[] = [];
  const check = (where: string, ranges: readonly HoursRange[]) => {
    const parsed: Array<[number, number]> = [];
    for (const r of ranges) {
      let s: number;
      let e: number;
      try {
        s = parseHm(r.start);
        e = parseHm(r.end);
      } catch {
        problems.push(`${where}: invalid time ${r.start}-${r.end}`);
        continue;
      }
      if (e <= s) problems.push(`${where}: ${r.start}-${r.end} ends before it starts`);
      else parsed.push([s, e]);
    }
    parsed.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < parsed.length; i++)
      if (parsed[i][0] < parsed[i - 1][1]) problems.push(`${where}: ranges overlap`);
  };
  for (const [day, ranges] of Object.entries(a.weekly)) check(`weekly.${day}`, ranges ?? []);
  const seen = new Set<string>();
  for (const o of a.overrides ?? []) {
    if (seen.has(o.date)) problems.push(`overrides.${o.date}: duplicate date`);
    seen.add(o.date);
    check(`overrides.${o.date}`, o.ranges);
  }
  return problems;
}

/**
 * The working intervals (UTC) of `availability` that intersect `[from, to)`. Each local date's
 * ranges come from its override when there is one, else from the weekly hours of its weekday,
 * and are converted with that date's own UTC offset, so a 09:00-17:00 day stays 09:00-17:00
 * local across a daylight-saving change.
 */
export function workingIntervals(availability: Availability, from: number, to: number): Interval[] {
  const { timeZone } = availability;
  const overrides = new Map((availability.overrides ?? []).map((o) => [o.date, o.ranges]));
  const out: Interval[] = [];
  const last = localDate(to, timeZone);
  // Start a day early: a range of the previous local date may reach into [from, to).
  for (let date = addDays(localDate(from, timeZone), -1); date <= last; date = addDays(date, 1)) {
    const ranges =
      overrides.get(date) ??
      availability.weekly[String(weekdayOf(date)) as keyof WeeklyHours] ??
      ([] as HoursRange[]);
    for (const r of ranges) {
      const start = zonedToUtc(date, parseHm(r.start), timeZone);
      const end = zonedToUtc(date, parseHm(r.end), timeZone);
      if (end > from && start < to) out.push({ start, end });
    }
  }
  return normalize(out);
}
