import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A page whose localStorage holds `stored` (keys with the app's prefix); `written` gets the writes. */
function page(stored: Record<string, string>) {
  const values = new Map(Object.entries(stored));
  vi.stubGlobal('window', {
    localStorage: {
      getItem: (key: string) => values.get(key) ?? null,
      setItem: (key: string, value: string) => values.set(key, value),
    },
  });
  return values;
}

/** Fresh modules: the device's zone is read once per page load. */
async function modules() {
  vi.resetModules();
  return { ...(await import('../deviceZone')), ...(await import('./formatAt')) };
}

const zoneBefore = process.env.TZ;
beforeEach(() => vi.resetModules());
afterEach(() => {
  vi.unstubAllGlobals();
  process.env.TZ = zoneBefore;
});

// Instants across a year, both sides of daylight-saving changes, midnight and single digits.
const INSTANTS = [
  '2026-01-01T00:00:00Z',
  '2026-03-08T06:59:00Z',
  '2026-03-08T07:01:00Z',
  '2026-03-29T00:59:00Z',
  '2026-07-04T23:30:00Z',
  '2026-10-25T01:01:00Z',
  '2026-11-01T05:59:00Z',
  '2026-12-31T16:00:00Z',
  '2027-02-09T09:05:00Z',
];

describe('formatAt without Intl (the early home, a zone remembered from an earlier visit)', () => {
  for (const tz of ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'UTC'])
    it(`writes what Intl writes, in both languages, with and without the time (${tz})`, async () => {
      process.env.TZ = tz;
      const { formatAt, formatLocal } = await modules();
      for (const at of INSTANTS)
        for (const lang of ['zh-CN', 'en'])
          for (const withTime of [true, false]) {
            const intl = formatAt(at, lang, withTime, tz);
            expect(formatLocal(new Date(at), lang, withTime), `${at} ${lang} ${withTime}`).toBe(
              withTime ? intl.replace(lang === 'en' ? ` (${tz})` : `（${tz}）`, '') : intl,
            );
          }
    });

  it('uses the remembered zone, without Intl, until the page asks Intl; then Intl', async () => {
    process.env.TZ = 'Asia/Shanghai';
    const { zoneMemo } = await modules();
    page({ 'aiv.zone': zoneMemo('Asia/Shanghai') });
    const { formatAt, rememberedZone, deviceZone } = await modules();
    // Counts the formatters built (the first-use cost this avoids).
    const Real = Intl.DateTimeFormat;
    let built = 0;
    // Counted whether called or constructed (deviceZone calls it, formatAt constructs it).
    Intl.DateTimeFormat = new Proxy(Real, {
      apply(target, _this, args: ConstructorParameters<typeof Real>) {
        built++;
        return target(...args);
      },
      construct(target, args: ConstructorParameters<typeof Real>) {
        built++;
        return new target(...args);
      },
    });
    try {
      expect(rememberedZone()).toBe('Asia/Shanghai');
      expect(formatAt('2026-12-10T15:59:00Z', 'zh-CN', true)).toBe('2026/12/10 23:59（Asia/Shanghai）');
      expect(built).toBe(0);
      expect(deviceZone()).toBe('Asia/Shanghai');
      expect(rememberedZone()).toBeNull();
      expect(formatAt('2026-12-10T15:59:00Z', 'en', true)).toBe('10/12/2026, 23:59 (Asia/Shanghai)');
      expect(built).toBe(2);
    } finally {
      Intl.DateTimeFormat = Real;
    }
  });

  it('does not trust a zone whose offsets the device no longer has, nor another year, nor garbage', async () => {
    process.env.TZ = 'Asia/Shanghai';
    const { zoneMemo } = await modules();
    const here = zoneMemo('Asia/Shanghai', new Date('2026-06-01T00:00:00Z'));
    process.env.TZ = 'America/New_York';
    for (const memo of [
      here.replace('|2026|', `|${new Date().getFullYear()}|`),
      'Asia/Shanghai|2019|-480|-480',
      'nonsense',
      '|',
    ]) {
      page({ 'aiv.zone': memo });
      const { rememberedZone } = await modules();
      expect(rememberedZone(), memo).toBeNull();
    }
  });

  it('remembers the zone Intl found for the next visit, written only when it changed', async () => {
    process.env.TZ = 'Europe/London';
    const values = page({});
    const { deviceZone, zoneMemo } = await modules();
    expect(deviceZone()).toBe('Europe/London');
    expect(values.get('aiv.zone')).toBe(zoneMemo('Europe/London'));
  });
});
