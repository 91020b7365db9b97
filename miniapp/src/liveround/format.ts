/** A UTC instant shown in the booking's time zone, e.g. "12月5日 14:00" / "Dec 5, 14:00". */
export function formatAt(iso: string, timeZone: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}
