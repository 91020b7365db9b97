import { describe, expect, it } from 'vitest';
import type { BookableApplication, BookingView } from '../../../shared/api/bookings';
import type { InterviewOverview } from '../../../shared/api/interview';
import { nextStep } from './nextStep';

const overview = (over: Partial<InterviewOverview> = {}): InterviewOverview => ({
  company: '云杉科技',
  job: { id: 7, title: '后端工程师' },
  questionCount: 3,
  hasPractice: true,
  expectedMinutes: 9,
  deadlineAt: '2026-12-10T16:00:00.000Z',
  takeMode: 'anytime',
  start: { now: true, reason: null },
  notice: { version: '1', locale: 'zh-CN', hash: 'h', sections: [] },
  consent: null,
  accommodations: { extraTimePercent: 0, extraRetakes: 0, audioOnlyAllowed: false },
  session: null,
  ...over,
});
const app: BookableApplication = {
  id: 11,
  job: { id: 7, title: '后端工程师' },
  stage: 'invited',
  deadlineAt: null,
  bookable: ['ai_interview'],
};
const booking = { id: 5, kind: 'ai_interview', status: 'booked', job: { id: 7, title: 'x' } } as BookingView;
const session = (status: 'open' | 'submitted' | 'withdrawn', answered = 1) => ({
  id: 1,
  status,
  audioOnly: false,
  answered,
  submittedAt: null,
});

describe('the candidate home shows one next step', () => {
  const cases: Array<[string, Parameters<typeof nextStep>[0], ReturnType<typeof nextStep>]> = [
    ['no interview', { overview: null, bookings: [], applications: [], feedbackCount: 0 }, { kind: 'none' }],
    [
      'any time, nothing booked: start, and offer a reminder',
      { overview: overview(), bookings: [], applications: [app], feedbackCount: 0 },
      { kind: 'start', remindApplicationId: 11 },
    ],
    [
      'any time with a reminder set: start, no second reminder',
      { overview: overview(), bookings: [booking], applications: [app], feedbackCount: 0 },
      { kind: 'start', remindApplicationId: null },
    ],
    [
      'booked window, nothing booked: book',
      {
        overview: overview({ takeMode: 'booked', start: { now: false, reason: 'booking_required' } }),
        bookings: [],
        applications: [app],
        feedbackCount: 0,
      },
      { kind: 'book', applicationId: 11 },
    ],
    [
      'booked window, not open yet: wait for it',
      {
        overview: overview({ takeMode: 'booked', start: { now: false, reason: 'outside_booking_window' } }),
        bookings: [booking],
        applications: [app],
        feedbackCount: 0,
      },
      { kind: 'wait_window', booking },
    ],
    [
      'started: continue with k of n',
      {
        overview: overview({ session: session('open', 2) }),
        bookings: [],
        applications: [],
        feedbackCount: 0,
      },
      { kind: 'continue', answered: 2, total: 3 },
    ],
    [
      'submitted: waiting for results',
      {
        overview: overview({ session: session('submitted') }),
        bookings: [],
        applications: [],
        feedbackCount: 0,
      },
      { kind: 'wait_results' },
    ],
    [
      'feedback released wins over everything',
      {
        overview: overview({ session: session('submitted') }),
        bookings: [],
        applications: [],
        feedbackCount: 1,
      },
      { kind: 'feedback' },
    ],
    [
      'deadline passed before starting: closed, with the reason',
      {
        overview: overview({ start: { now: false, reason: 'deadline_passed' } }),
        bookings: [],
        applications: [app],
        feedbackCount: 0,
      },
      { kind: 'closed', reason: 'deadline_passed' },
    ],
    [
      'consent withdrawn: closed',
      {
        overview: overview({ session: session('withdrawn') }),
        bookings: [],
        applications: [],
        feedbackCount: 0,
      },
      { kind: 'closed', reason: 'consent_withdrawn' },
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(nextStep(input)).toEqual(expected);
  });
});
