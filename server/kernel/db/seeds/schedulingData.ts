/** Demo scheduling data (pure data: the seed and the sandbox both read it). */
import type { WeeklyHours } from '../../../../shared/slots';

const WEEKDAYS = ['1', '2', '3', '4', '5'] as const;
/** The same ranges Monday to Friday. */
export function weekdays(ranges: Array<[string, string]>): WeeklyHours {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, ranges.map(([start, end]) => ({ start, end }))]));
}

/** Interviewers' weekly hours (Asia/Shanghai): office hours with a lunch break, one late starter. */
export const DEMO_INTERVIEWER_HOURS: Record<string, WeeklyHours> = {
  int01: weekdays([
    ['09:30', '12:00'],
    ['14:00', '18:00'],
  ]),
  int02: weekdays([
    ['10:00', '12:00'],
    ['13:30', '19:00'],
  ]),
  int03: weekdays([
    ['09:30', '12:00'],
    ['14:00', '17:30'],
  ]),
  int04: weekdays([
    ['09:00', '12:00'],
    ['14:00', '18:00'],
  ]),
  mgr01: weekdays([['15:00', '18:00']]),
  mgr02: weekdays([['14:00', '17:00']]),
};

/** Live second-round pools per job (department interviewers plus the hiring manager). */
export const DEMO_POOLS: Record<string, string[]> = {
  backend: ['int01', 'int02', 'mgr01'],
  pm: ['int03', 'mgr01'],
  sales: ['int04', 'mgr02'],
};

/**
 * Busy blocks in the sandbox calendar (weekly stand-ups and reviews the product does not
 * know about), as local weekday + time in Asia/Shanghai; `scripts/demo.ts`-style callers turn
 * them into instants for the coming two weeks.
 */
export const DEMO_BUSY: Array<{
  userid: string;
  weekday: number;
  start: string;
  end: string;
  title: string;
}> = [
  { userid: 'int01', weekday: 1, start: '10:00', end: '11:00', title: '研发周会' },
  { userid: 'int02', weekday: 3, start: '14:00', end: '16:00', title: '架构评审' },
  { userid: 'mgr01', weekday: 2, start: '15:00', end: '16:30', title: '部门例会' },
  { userid: 'int04', weekday: 4, start: '09:00', end: '12:00', title: '客户拜访' },
];
