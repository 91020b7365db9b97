/**
 * The candidate's interview overview (`GET /api/interview`) as plain facts and the rules that
 * turn them into the response, shared by its two readers: the ORM path (`interviewOverview` in
 * service.ts, which loads entities) and the lean path (`overviewLean.ts`, one SQL statement).
 * Whatever either reads, the notice, the expected time, "may start now" and the response's shape
 * come from here, so the two cannot drift apart (overviewLean.test.ts compares them).
 */
import { createHash } from 'node:crypto';
import type { TakeMode } from '../../../shared/api/bookings';
import type { InterviewOverview, NoticeView } from '../../../shared/api/interview';
import type { ErrorCode } from '../../../shared/errors';
import { NOTICE_VERSION, noticeSections, noticeText } from '../../../shared/interview/notice';
import { Booking } from '../../kernel/db/entities/Booking';
import type { Em } from '../../kernel/db/orm';
import { type AppError, conflict } from '../../kernel/errors';

/** What the notice of a job says (the same words, so the same hash, for each of its candidates). */
export interface NoticeFacts {
  /** The organisation's name; null without org settings (shown as a dash). */
  company: string | null;
  jobTitle: string;
  /** Null without org settings (180 days then). */
  retentionDays: number | null;
  /** The plan's follow-up switch; null without a plan. */
  followUps: boolean | null;
}

/** The notice in a locale, with the hash a consent must name. */
export function noticeOf(facts: NoticeFacts, loc: 'zh-CN' | 'en'): NoticeView {
  const sections = noticeSections(
    {
      company: facts.company ?? '—',
      jobTitle: facts.jobTitle,
      retentionDays: facts.retentionDays ?? 180,
      contact:
        loc === 'en'
          ? 'Reply to your invitation message, or write to HR in DingTalk.'
          : '回复邀请消息，或在钉钉中联系 HR。',
      followUps: facts.followUps ?? false,
    },
    loc,
  );
  const hash = createHash('sha256').update(noticeText(sections, loc)).digest('hex');
  return { version: NOTICE_VERSION, locale: loc, hash, sections };
}

/** The UI locale a request asks for (anything but English is Simplified Chinese). */
export function overviewLocale(l: string | undefined): 'zh-CN' | 'en' {
  return l === 'en' ? 'en' : 'zh-CN';
}

/** A question's timing, as far as the expected length of a sitting goes. */
export interface QuestionTiming {
  thinkSeconds: number;
  answerSeconds: number;
}

/**
 * Seconds a sitting is expected to take: thinking and answering time of every question (stretched
 * by an extra-time accommodation) plus half a minute each for reading and uploading.
 */
export function expectedSecondsOf(questions: readonly QuestionTiming[], extraTimePercent: number): number {
  const factor = 1 + extraTimePercent / 100;
  return Math.round(questions.reduce((s, q) => s + (q.thinkSeconds + q.answerSeconds) * factor + 30, 0));
}

/** The plan's active AI interview schedule, as far as starting goes. */
export interface StartSchedule {
  takeMode: TakeMode;
  durationMinutes: number;
  capacityPerSlot: number;
}

/** The application's AI interview booking (booked or completed). */
export interface StartBooking {
  id: number;
  startAt: Date;
  endAt: Date;
}

/**
 * Whether a new interview may begin now under the plan's take mode (the deadline is checked
 * apart). `anytime` (and a plan without an AI schedule): yes; a booking there only schedules
 * reminders. `booked`: inside the booked window, or earlier ("start early") when a seat of the
 * window is free now, i.e. fewer candidates than the slot's capacity hold a booking overlapping
 * the next `durationMinutes` (counted only in that case). Returns why not as an error, or null.
 */
export async function startRefusalOf(
  em: Em,
  schedule: StartSchedule | null,
  booking: StartBooking | null,
  jobId: number,
  now: Date,
): Promise<AppError | null> {
  return startRefusalWith(schedule, booking, now, (b, until) =>
    em.count(Booking, {
      id: { $ne: b.id },
      kind: 'ai_interview',
      status: 'booked',
      reminderOnly: false,
      application: { job: jobId },
      startAt: { $lt: until },
      endAt: { $gt: now },
    }),
  );
}

/**
 * {@link startRefusalOf}'s rule with the seat count given: `seatedUntil(booking, until)` counts
 * the other bookings of the job that hold a seat between now and `until` (asked only before the
 * candidate's window). The plain-SQL start counts them in its own read (`sessionLean.ts`).
 */
export async function startRefusalWith(
  schedule: StartSchedule | null,
  booking: StartBooking | null,
  now: Date,
  seatedUntil: (booking: StartBooking, until: Date) => Promise<number> | number,
): Promise<AppError | null> {
  if (!schedule || schedule.takeMode === 'anytime') return null;
  if (!booking) return conflict('booking_required', 'Book a time for your interview first');
  if (now >= booking.startAt && now <= booking.endAt) return null;
  if (now < booking.startAt) {
    const until = new Date(now.getTime() + schedule.durationMinutes * 60_000);
    if ((await seatedUntil(booking, until)) < schedule.capacityPerSlot) return null;
  }
  return conflict('outside_booking_window', 'Your interview window is not open now', {
    startAt: booking.startAt.toISOString(),
    endAt: booking.endAt.toISOString(),
  });
}

/** Everything the overview says, as read by either path. */
export interface OverviewFacts {
  job: { id: number; title: string };
  deadlineAt: Date | null;
  /** The plan's questions in position order (practice included). */
  questions: ReadonlyArray<QuestionTiming & { id: number; practice: boolean }>;
  accommodation: { extraTimePercent: number; extraRetakes: number; audioOnlyAllowed: boolean } | null;
  consent: { action: 'grant' | 'withdraw'; scopes: string[]; createdAt: Date; noticeHash: string } | null;
  session: {
    id: number;
    status: NonNullable<InterviewOverview['session']>['status'];
    audioOnly: boolean;
    submittedAt: Date | null;
  } | null;
  /** Ids of the questions whose answer is submitted. */
  submitted: ReadonlySet<number>;
  takeMode: TakeMode | null;
  /** Why a new sitting may not begin now (null: it may), from {@link startRefusalOf} and the deadline. */
  refusal: ErrorCode | null;
  company: string | null;
  notice: NoticeView;
}

/** The overview's response from its facts (the one place that shapes it). */
export function presentOverview(f: OverviewFacts): InterviewOverview {
  // Practice first, then the real questions in their order; only real ones count.
  const real = f.questions.filter((q) => !q.practice);
  const expectedSeconds = expectedSecondsOf(real, f.accommodation?.extraTimePercent ?? 0);
  return {
    company: f.company,
    job: { id: f.job.id, title: f.job.title },
    questionCount: real.length,
    hasPractice: f.questions.some((q) => q.practice),
    expectedMinutes: Math.max(1, Math.ceil(expectedSeconds / 60)),
    deadlineAt: f.deadlineAt?.toISOString() ?? null,
    takeMode: f.takeMode ?? 'anytime',
    start: { now: f.refusal === null, reason: f.refusal },
    notice: f.notice,
    consent: f.consent
      ? {
          action: f.consent.action,
          scopes: f.consent.scopes,
          at: f.consent.createdAt.toISOString(),
          noticeHash: f.consent.noticeHash,
        }
      : null,
    accommodations: {
      extraTimePercent: f.accommodation?.extraTimePercent ?? 0,
      extraRetakes: f.accommodation?.extraRetakes ?? 0,
      audioOnlyAllowed: f.accommodation?.audioOnlyAllowed ?? false,
    },
    session: f.session
      ? {
          id: f.session.id,
          status: f.session.status,
          audioOnly: f.session.audioOnly,
          answered: real.filter((q) => f.submitted.has(q.id)).length,
          submittedAt: f.session.submittedAt?.toISOString() ?? null,
        }
      : null,
  };
}

/**
 * "May a new sitting begin now": with a session, the question does not arise (null); past the
 * deadline, `deadline_passed`; else what the take mode says ({@link startRefusalOf}).
 */
export async function overviewRefusal(
  em: Em,
  props: {
    hasSession: boolean;
    deadlineAt: Date | null;
    schedule: StartSchedule | null;
    booking: StartBooking | null;
    jobId: number;
    now: Date;
  },
): Promise<ErrorCode | null> {
  if (props.hasSession) return null;
  if (props.deadlineAt && props.now > props.deadlineAt) return 'deadline_passed';
  return (await startRefusalOf(em, props.schedule, props.booking, props.jobId, props.now))?.code ?? null;
}
