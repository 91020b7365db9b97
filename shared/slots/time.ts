/**
 * Time-zone arithmetic on UTC instants (milliseconds since the epoch) with `Intl` only, so the
 * same code runs in the mini-app and on the server. A wall-clock time is always paired with an
 * explicit IANA zone; nothing here reads the host's zone.
 */

/** A calendar date `YYYY-MM-DD` in some zone. */
export type LocalDate = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Wall-clock parts of an instant in a zone. `weekday`: 0 = Sunday. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The wall clock shown in `timeZone` at `instant`, through Intl (slow; see {@link wallClock}). */
function intlWallClock(instant: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday] ?? 0,
  };
}

const BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * Offset of `timeZone` from UTC at `instant`, in ms (Asia/Shanghai: +8 h). Cached per zone and
 * 15-minute bucket (zone transitions fall on quarter hours), because slot listings ask
 * thousands of times and each `Intl` formatting costs microseconds.
 */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const bucket = Math.floor(instant / BUCKET_MS);
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const at = bucket * BUCKET_MS;
    const w = intlWallClock(at, timeZone);
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - at;
    if (zone.size > 100_000) zone.clear();
    zone.set(bucket, offset);
  }
  return offset;
}

/** The wall clock shown in `timeZone` at `instant`. */
export function wallClock(instant: number, timeZone: string): WallClock {
  const d = new Date(instant + zoneOffsetMs(instant, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` + `minuteOfDay`.
 * A wall time skipped by a daylight-saving jump (02:30 on a spring-forward day) maps to the
 * instant the same number of minutes after midnight's offset would give, i.e. it moves forward
 * with the jump; an ambiguous time (autumn) maps to its first occurrence.
 */
export function zonedToUtc(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const key = `${timeZone}|${date}|${minuteOfDay}`;
  let out = zonedCache.get(key);
  if (out === undefined) {
    out = computeZonedToUtc(date, minuteOfDay, timeZone);
    remember(zonedCache, key, out);
  }
  return out;
}

/**
 * Memo tables of the pure date functions below: a listing for 20 interviewers over 14 days
 * asks the same few hundred questions thousands of times. Bounded (cleared when large).
 */
const zonedCache = new Map<string, number>();
const addDaysCache = new Map<string, LocalDate>();
const weekdayCache = new Map<LocalDate, number>();
const dayNameCache = new Map<number, LocalDate>();
const hmCache = new Map<string, number>();

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size > 100_000) map.clear();
  map.set(key, value);
}

function computeZonedToUtc(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  const first = guess - zoneOffsetMs(guess, timeZone);
  const second = guess - zoneOffsetMs(first, timeZone);
  if (second === first) return first;
  // Around a transition: prefer the earlier candidate that really shows the asked wall time.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const c of candidates) if (c + zoneOffsetMs(c, timeZone) === guess) return c;
  return Math.max(first, second);
}

/** The local date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDate(instant: number, timeZone: string): LocalDate {
  const day = localDayNumber(instant, timeZone);
  let name = dayNameCache.get(day);
  if (name === undefined) {
    name = new Date(day * DAY_MS).toISOString().slice(0, 10);
    remember(dayNameCache, day, name);
  }
  return name;
}

const DAY_MS = 86_400_000;

/** The local date of `instant` in `timeZone` as days since 1970-01-01 (cheap to compare and count). */
export function localDayNumber(instant: number, timeZone: string): number {
  return Math.floor((instant + zoneOffsetMs(instant, timeZone)) / DAY_MS);
}

/** `date` plus `days` calendar days. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const key = `${date}|${days}`;
  let out = addDaysCache.get(key);
  if (out === undefined) {
    const [y, m, d] = date.split('-').map(Number);
    out = new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
    remember(addDaysCache, key, out);
  }
  return out;
}

/** Weekday of a calendar date (0 = Sunday), independent of any zone. */
export function weekdayOf(date: LocalDate): number {
  let out = weekdayCache.get(date);
  if (out === undefined) {
    const [y, m, d] = date.split('-').map(Number);
    out = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    remember(weekdayCache, date, out);
  }
  return out;
}

/** Monday of the ISO week containing `date`. */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

/** `HH:MM` -> minutes after midnight (24:00 allowed as the end of a day). */
export function parseHm(hm: string): number {
  const known = hmCache.get(hm);
  if (known !== undefined) return known;
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hm);
  if (!m) throw new Error(`invalid time ${hm}`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 24 * 60) throw new Error(`invalid time ${hm}`);
  remember(hmCache, hm, minutes);
  return minutes;
}

/** Minutes after midnight -> `HH:MM`. */
export function formatHm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Wall-clock `HH:MM` of an instant in a zone. */
export function localHm(instant: number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return formatHm(w.hour * 60 + w.minute);
}
