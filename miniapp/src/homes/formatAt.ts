import { deviceZone } from '../deviceZone';

/** Formatters by language, zone and precision: each costs milliseconds to build on a slow phone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** `2026/12/04` (a step's date) or `2026/12/04 18:00（Asia/Shanghai）` (an expectation), in the viewer's zone. */
export function formatAt(at: string, lang: string, withTime: boolean, timeZone = deviceZone()): string {
  const key = `${lang}|${timeZone}|${withTime}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, format);
  }
  const text = format.format(new Date(at));
  if (!withTime) return text;
  return lang === 'en' ? `${text} (${timeZone})` : `${text}（${timeZone}）`;
}
