import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { ReminderOffsets } from '../../../../shared/api/reminders';
import type { DateOverride, WeeklyHours } from '../../../../shared/slots';
import { InterviewPlan } from './InterviewPlan';
import { User } from './User';

/** How a session is held: an AI video interview window, or a live interview with a person. */
export const SESSION_TYPES = ['ai', 'live'] as const;
/** The pipeline stage a booking is for. */
export const BOOKING_KINDS = ['ai_interview', 'second_round'] as const;
/** A booking kind. */
export type BookingKind = (typeof BOOKING_KINDS)[number];
/**
 * How candidates take an AI interview: `anytime` before the deadline (a booking, if any, only
 * schedules reminders), or inside a `booked` window (capacity control or a fixed time).
 */
export const TAKE_MODES = ['anytime', 'booked'] as const;
/** A take mode. */
export type TakeMode = (typeof TAKE_MODES)[number];

/**
 * The scheduling rules of one stage of an interview plan (at most one per plan and kind: the
 * AI interview window and the live second round of the same job have different rules).
 * Kept apart from `InterviewPlan` so the question-editing feature and this one never touch
 * the same row. Minutes/hours are whole numbers; instants are computed in `shared/slots`.
 */
export const PlanSchedule = defineEntity({
  name: 'PlanSchedule',
  tableName: 'plan_schedules',
  uniques: [{ properties: ['plan', 'kind'] }],
  properties: {
    id: p.integer().primary(),
    plan: () => p.manyToOne(InterviewPlan),
    kind: p.enum(BOOKING_KINDS),
    sessionType: p.enum(SESSION_TYPES),
    /** AI interviews only (live sessions are always booked). New plans answer any time. */
    takeMode: p.enum(TAKE_MODES).default('anytime'),
    durationMinutes: p.integer(),
    /** Distance between slot starts; null = the duration. */
    stepMinutes: p.integer().nullable(),
    /** Seats per slot (AI windows, e.g. a campus batch); live sessions always seat one per interviewer. */
    capacityPerSlot: p.integer().default(1),
    horizonDays: p.integer().default(14),
    minNoticeMinutes: p.integer().default(240),
    bufferBeforeMinutes: p.integer().default(0),
    bufferAfterMinutes: p.integer().default(0),
    /** Live sessions per interviewer per local day; null = no cap. */
    dailyCapPerInterviewer: p.integer().nullable(),
    rescheduleCutoffHours: p.integer().default(24),
    cancelCutoffHours: p.integer().default(12),
    maxReschedules: p.integer().default(2),
    /** Zone of `weeklyHours`/`dateOverrides` (AI windows) and the default display zone. */
    timeZone: p.string().length(64).default('Asia/Shanghai'),
    /** AI windows (live sessions use the interviewers' own hours). */
    weeklyHours: p.json<WeeklyHours>(),
    dateOverrides: p.json<DateOverride[]>(),
    /**
     * Reminder timings of this plan stage in minutes before the start (candidate; interviewer for
     * live sessions); null = the configured defaults (`REMINDER_*`).
     */
    reminderOffsetsMinutes: p.json<ReminderOffsets>().nullable(),
    /** Interviewers' free time is only counted when a pool member has availability saved. */
    active: p.boolean().default(true),
    version: p.integer().default(1),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Plan schedule row. */
export type IPlanSchedule = InferEntity<typeof PlanSchedule>;

/** An interviewer in the round-robin pool of a live plan schedule. */
export const PlanInterviewer = defineEntity({
  name: 'PlanInterviewer',
  tableName: 'plan_interviewers',
  uniques: [{ properties: ['schedule', 'user'] }],
  properties: {
    id: p.integer().primary(),
    schedule: () => p.manyToOne(PlanSchedule),
    user: () => p.manyToOne(User),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Pool member row. */
export type IPlanInterviewer = InferEntity<typeof PlanInterviewer>;
