let zone: string | null = null;

/**
 * The viewer's display zone (the device's), sent so slots are shown in it. Read once per page
 * load: building an `Intl.DateTimeFormat` costs milliseconds on a slow phone, and the home asks
 * for the zone in every date it draws (issue 18: its first paint). A module of its own so the
 * start-up entry can format the home's deadline without the booking feature's code.
 */
export function deviceZone(): string {
  zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
  return zone;
}
