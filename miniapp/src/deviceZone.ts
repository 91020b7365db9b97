import { readStored, writeStored } from './storage';

let zone: string | null = null;

/** Where {@link deviceZone} remembers the zone for the next visit ({@link rememberedZone}). */
export const ZONE_KEY = 'zone';

/**
 * The stored form of a zone: its name, the year, and the device's UTC offsets (minutes, as
 * `getTimezoneOffset` gives them) on 1 January and 1 July of that year. The offsets let the next
 * visit check, without `Intl`, that the device is still in a zone with the same rules.
 */
export function zoneMemo(name: string, now: Date = new Date()): string {
  const year = now.getFullYear();
  const jan = new Date(year, 0, 1).getTimezoneOffset();
  const jul = new Date(year, 6, 1).getTimezoneOffset();
  return `${name}|${year}|${jan}|${jul}`;
}

/**
 * The viewer's display zone (the device's), sent so slots are shown in it. Read once per page
 * load: building an `Intl.DateTimeFormat` costs milliseconds on a slow phone, and the home asks
 * for the zone in every date it draws (issue 18: its first paint). A module of its own so the
 * start-up entry can format the home's deadline without the booking feature's code. Remembered
 * for the next visit ({@link rememberedZone}).
 */
export function deviceZone(): string {
  if (zone === null) {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
    const memo = zoneMemo(zone);
    if (readStored(ZONE_KEY) !== memo) writeStored(ZONE_KEY, memo);
  }
  return zone;
}

/**
 * The device's zone as an earlier visit found it, while this page has not asked `Intl` for it
 * yet, or null. Why: the first `Intl.DateTimeFormat` of a page costs 0.1-0.3 s of a slow phone's
 * main thread (ICU's data), and the early home's card (`homes/earlyHome.ts`) needs the zone's name
 * for its deadline before anything else would use `Intl` (`npm run bench -- frontend --trace`).
 * Null when nothing is remembered, it is from another year, or the device's offsets on 1 January
 * and 1 July no longer match it (the device moved to a zone with other rules): then `Intl` decides.
 */
export function rememberedZone(now: Date = new Date()): string | null {
  if (zone !== null) return null;
  const memo = readStored(ZONE_KEY);
  const name = memo?.split('|')[0];
  return name && memo === zoneMemo(name, now) ? name : null;
}
