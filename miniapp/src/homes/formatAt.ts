import { deviceZone, rememberedZone } from '../deviceZone';

/** Formatters by language, zone and precision: each costs milliseconds to build on a slow phone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * What `Intl.DateTimeFormat` gives below (zh-CN `2026/12/04 18:00`, en-GB `04/12/2026, 18:00`),
 * from the date's own local fields: in the device's zone, without building a formatter.
 */
export function formatLocal(date: Date, lang: string, withTime: boolean): string {
  const y = String(date.getFullYear()).padStart(4, '0');
  const day =
    lang === 'en'
      ? `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${y}`
      : `${y}/${pad(date.getMonth() + 1)}/${pad(date.getDate())}`;
  if (!withTime) return day;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return lang === 'en' ? `${day}, ${time}` : `${day} ${time}`;
}

/**
 * `2026/12/04` (a step's date) or `2026/12/04 18:00（Asia/Shanghai）` (an expectation), in the
 * viewer's zone unless `timeZone` says another. Before this page has used `Intl`, with the zone an
 * earlier visit remembered (`rememberedZone`), it formats from the date's local fields, the same
 * text without `Intl`'s first-use cost (the early home's card; `formatAt.test.ts` compares).
 */
export function formatAt(at: string, lang: string, withTime: boolean, timeZone?: string): string {
  const remembered = timeZone === undefined ? rememberedZone() : null;
  const zone = remembered ?? timeZone ?? deviceZone();
  let text: string;
  if (remembered) text = formatLocal(new Date(at), lang, withTime);
  else {
    const key = `${lang}|${zone}|${withTime}`;
    let format = formatters.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
      });
      formatters.set(key, format);
    }
    text = format.format(new Date(at));
  }
  if (!withTime) return text;
  return lang === 'en' ? `${text} (${zone})` : `${text}（${zone}）`;
}
