import { describe, expect, it } from 'vitest';
import {
  type Availability,
  availabilityProblems,
  type FreeSlotsInput,
  freeSlots,
  localDate,
  localHm,
  normalize,
  overlaps,
  pickMember,
  type SlotRules,
  slotProblem,
  subtract,
  weekStart,
  workingIntervals,
  zonedToUtc,
} from './index';

const iso = (s: string) => Date.parse(s);
const hm = (instants: number[], tz: string) => instants.map((i) => localHm(i, tz));

describe('intervals', () => {
  it.each([
    // a, b, overlaps
    [[0, 10], [10, 20], false], // touching: a slot starting when busy ends is free
    [[0, 10], [9, 20], true],
    [[5, 6], [0, 10], true],
    [[0, 10], [0, 10], true],
    [[0, 0], [0, 10], false], // empty
  ] as const)('overlaps(%j, %j) = %s', (a, b, expected) => {
    expect(overlaps({ start: a[0], end: a[1] }, { start: b[0], end: b[1] })).toBe(expected);
  });

  it('normalize merges touching and overlapping; subtract cuts holes', () => {
    expect(
      normalize([
        { start: 5, end: 8 },
        { start: 0, end: 5 },
        { start: 10, end: 12 },
        { start: 11, end: 15 },
      ]),
    ).toEqual([
      { start: 0, end: 8 },
      { start: 10, end: 15 },
    ]);
    expect(
      subtract(
        [{ start: 0, end: 100 }],
        [
          { start: 10, end: 20 },
          { start: 20, end: 30 },
          { start: 90, end: 120 },
        ],
      ),
    ).toEqual([
      { start: 0, end: 10 },
      { start: 30, end: 90 },
    ]);
  });
});

describe('time zones', () => {
  it.each([
    ['2026-03-08', 9 * 60, 'America/New_York', '2026-03-08T13:00:00.000Z'], // EDT from 02:00 that day
    ['2026-03-07', 9 * 60, 'America/New_York', '2026-03-07T14:00:00.000Z'], // EST
    ['2026-11-01', 9 * 60, 'America/New_York', '2026-11-01T14:00:00.000Z'], // back to EST
    ['2026-03-08', 2 * 60 + 30, 'America/New_York', '2026-03-08T07:30:00.000Z'], // skipped wall time moves forward
    ['2026-11-01', 60 + 30, 'America/New_York', '2026-11-01T05:30:00.000Z'], // ambiguous: first occurrence
    ['2026-03-29', 9 * 60, 'Europe/Berlin', '2026-03-29T07:00:00.000Z'],
    ['2026-06-01', 9 * 60, 'Asia/Shanghai', '2026-06-01T01:00:00.000Z'],
    ['2026-06-01', 24 * 60, 'Asia/Shanghai', '2026-06-01T16:00:00.000Z'],
  ])('%s + %i min in %s = %s', (date, minutes, tz, expected) => {
    expect(new Date(zonedToUtc(date, minutes, tz)).toISOString()).toBe(expected);
  });

  it('local dates and ISO weeks', () => {
    expect(localDate(iso('2026-06-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-06-02');
    expect(localDate(iso('2026-06-01T16:30:00Z'), 'America/New_York')).toBe('2026-06-01');
    expect(weekStart('2026-06-07')).toBe('2026-06-01'); // Sunday belongs to the week of Monday 1st
    expect(weekStart('2026-06-01')).toBe('2026-06-01');
  });
});

describe('working intervals', () => {
  const ny: Availability = {
    timeZone: 'America/New_York',
    weekly: { '0': [{ start: '09:00', end: '12:00' }], '1': [{ start: '09:00', end: '12:00' }] },
  };
  it('keeps 09:00-12:00 local across the spring-forward weekend (UTC hours shift)', () => {
    const w = workingIntervals(ny, iso('2026-03-07T00:00:00Z'), iso('2026-03-10T00:00:00Z'));
    expect(w.map((i) => new Date(i.start).toISOString())).toEqual([
      '2026-03-08T13:00:00.000Z', // Sunday after the change: EDT
      '2026-03-09T13:00:00.000Z',
    ]);
    expect(w.every((i) => i.end - i.start === 3 * 3_600_000)).toBe(true);
  });

  it('date overrides replace the weekday: a day off and extra hours', () => {
    const sh: Availability = {
      timeZone: 'Asia/Shanghai',
      weekly: { '1': [{ start: '09:00', end: '12:00' }], '2': [{ start: '09:00', end: '12:00' }] },
      overrides: [
        { date: '2026-06-01', ranges: [] },
        { date: '2026-06-06', ranges: [{ start: '14:00', end: '16:00' }] }, // a Saturday
      ],
    };
    const w = workingIntervals(sh, iso('2026-05-31T16:00:00Z'), iso('2026-06-07T16:00:00Z'));
    expect(
      w.map((i) => `${localDate(i.start, 'Asia/Shanghai')} ${localHm(i.start, 'Asia/Shanghai')}`),
    ).toEqual(['2026-06-02 09:00', '2026-06-06 14:00']);
  });

  it.each([
    [{ weekly: { '1': [{ start: '12:00', end: '09:00' }] } }, 'ends before it starts'],
    [{ weekly: { '1': [{ start: '9:00', end: '10:00' }] } }, 'invalid time'],
    [
      {
        weekly: {
          '1': [
            { start: '09:00', end: '11:00' },
            { start: '10:00', end: '12:00' },
          ],
        },
      },
      'ranges overlap',
    ],
    [
      {
        weekly: {},
        overrides: [
          { date: '2026-06-01', ranges: [] },
          { date: '2026-06-01', ranges: [] },
        ],
      },
      'duplicate date',
    ],
  ])('rejects %j (%s)', (a, problem) => {
    expect(availabilityProblems(a as never).join()).toContain(problem);
  });
});

describe('free slots', () => {
  const tz = 'Asia/Shanghai';
  const rules: SlotRules = {
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minNoticeMinutes: 0,
    horizonDays: 14,
  };
  // Monday 2026-06-01 09:00-13:00 Shanghai = 01:00-05:00 UTC.
  const working = [{ start: iso('2026-06-01T01:00:00Z'), end: iso('2026-06-01T05:00:00Z') }];
  const base = (over: Partial<FreeSlotsInput> = {}): FreeSlotsInput => ({
    rules,
    working,
    busy: [],
    booked: [],
    now: iso('2026-05-30T00:00:00Z'),
    timeZone: tz,
    ...over,
  });
  const busy = (from: string, to: string) => ({ start: iso(from), end: iso(to) });

  it.each<[string, Partial<FreeSlotsInput>, string[]]>([
    ['empty calendar: the whole grid', {}, ['09:00', '10:00', '11:00', '12:00']],
    [
      'a slot starting exactly when busy ends is free; one ending exactly when busy starts too',
      { busy: [busy('2026-06-01T02:00:00Z', '2026-06-01T03:00:00Z')] },
      ['09:00', '11:00', '12:00'],
    ],
    [
      'a busy minute inside a slot blocks it',
      { busy: [busy('2026-06-01T03:59:00Z', '2026-06-01T04:00:00Z')] },
      ['09:00', '10:00', '12:00'],
    ],
    [
      'buffers: 15 min after an existing booking (and 15 min before new ones)',
      {
        rules: { ...rules, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 },
        booked: [
          {
            start: iso('2026-06-01T02:00:00Z'),
            end: iso('2026-06-01T03:00:00Z'),
            bufferBeforeMinutes: 15,
            bufferAfterMinutes: 15,
          },
        ],
      },
      ['12:00'],
    ],
    [
      'buffers never extend into calendar busy time either',
      {
        rules: { ...rules, bufferAfterMinutes: 10 },
        busy: [busy('2026-06-01T03:05:00Z', '2026-06-01T03:30:00Z')],
      },
      ['09:00', '12:00'],
    ],
    [
      'minimum notice: now 09:30, 60 min notice -> from 11:00',
      { now: iso('2026-06-01T01:30:00Z'), rules: { ...rules, minNoticeMinutes: 60 } },
      ['11:00', '12:00'],
    ],
    [
      'notice boundary: a slot exactly at now + notice is bookable',
      { now: iso('2026-06-01T01:00:00Z'), rules: { ...rules, minNoticeMinutes: 60 } },
      ['10:00', '11:00', '12:00'],
    ],
    [
      'horizon: 1 day from Sunday 10:00 ends Monday 10:00 (exclusive)',
      { now: iso('2026-05-31T02:00:00Z'), rules: { ...rules, horizonDays: 1 } },
      ['09:00'],
    ],
    [
      'daily cap reached by a booking elsewhere that day',
      {
        dailyCap: 1,
        booked: [
          {
            start: iso('2026-06-01T08:00:00Z'),
            end: iso('2026-06-01T09:00:00Z'),
            bufferBeforeMinutes: 0,
            bufferAfterMinutes: 0,
          },
        ],
      },
      [],
    ],
    [
      'daily cap counts the local day: a booking on the previous local day does not count',
      {
        dailyCap: 1,
        booked: [
          {
            start: iso('2026-05-31T15:00:00Z'), // 23:00 Sunday in Shanghai
            end: iso('2026-05-31T15:30:00Z'),
            bufferBeforeMinutes: 0,
            bufferAfterMinutes: 0,
          },
        ],
      },
      ['09:00', '10:00', '11:00', '12:00'],
    ],
    [
      'step 30 min: overlapping starts',
      {
        rules: { ...rules, stepMinutes: 30 },
        working: [busy('2026-06-01T01:00:00Z', '2026-06-01T02:30:00Z')],
      },
      ['09:00', '09:30'],
    ],
  ])('%s', (_title, over, expected) => {
    expect(hm(freeSlots(base(over)), tz)).toEqual(expected);
  });

  it('names why a slot is refused', () => {
    expect(slotProblem(base(), iso('2026-06-01T01:10:00Z'))).toBe('off_grid');
    expect(slotProblem(base({ now: iso('2026-06-01T02:00:00Z') }), iso('2026-06-01T01:00:00Z'))).toBe(
      'too_soon',
    );
    expect(slotProblem(base({ now: iso('2026-05-01T00:00:00Z') }), iso('2026-06-01T01:00:00Z'))).toBe(
      'beyond_horizon',
    );
    expect(
      slotProblem(
        base({ busy: [busy('2026-06-01T01:00:00Z', '2026-06-01T01:01:00Z')] }),
        iso('2026-06-01T01:00:00Z'),
      ),
    ).toBe('busy');
    expect(slotProblem(base(), iso('2026-06-01T01:00:00Z'))).toBeNull();
  });

  it('slots follow local time across a DST change (New York)', () => {
    const a: Availability = {
      timeZone: 'America/New_York',
      weekly: { '6': [{ start: '10:00', end: '12:00' }], '0': [{ start: '10:00', end: '12:00' }] },
    };
    const w = workingIntervals(a, iso('2026-03-07T00:00:00Z'), iso('2026-03-09T00:00:00Z'));
    const free = freeSlots({ ...base(), working: w, timeZone: a.timeZone, now: iso('2026-03-01T00:00:00Z') });
    expect(free.map((s) => new Date(s).toISOString())).toEqual([
      '2026-03-07T15:00:00.000Z',
      '2026-03-07T16:00:00.000Z',
      '2026-03-08T14:00:00.000Z',
      '2026-03-08T15:00:00.000Z',
    ]);
    expect(hm(free, a.timeZone)).toEqual(['10:00', '11:00', '10:00', '11:00']);
  });
});

describe('round-robin', () => {
  it.each([
    [
      [
        { id: 3, weekLoad: 2 },
        { id: 1, weekLoad: 1 },
        { id: 2, weekLoad: 1 },
      ],
      null,
      1,
    ],
    [
      [
        { id: 3, weekLoad: 0 },
        { id: 1, weekLoad: 1 },
      ],
      null,
      3,
    ],
    [
      [
        { id: 3, weekLoad: 0 },
        { id: 1, weekLoad: 5 },
      ],
      1,
      1,
    ], // reschedule keeps the host when free
    [[{ id: 3, weekLoad: 0 }], 1, 3], // host not free: least loaded
    [[], null, null],
  ])('pick(%j, prefer %s) = %s', (free, prefer, expected) => {
    expect(pickMember(free, prefer)?.id ?? null).toBe(expected);
  });
});
