import { z } from 'zod';
import { isValidTimeZone } from '../slots/time';
import { reminderOffsetsSchema } from './reminders';

/** Booking kinds (pipeline stages a booking is for). */
export const BOOKING_KIND_VALUES = ['ai_interview', 'second_round'] as const;

/** An IANA time zone this runtime knows. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((tz) => isValidTimeZone(tz), { message: 'unknown IANA time zone' });

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');
/** A wall-clock range of one day. */
export const hoursRangeSchema = z.strictObject({ start: hm, end: hm });
const ranges = z.array(hoursRangeSchema).max(8);
/** Weekly hours: keys 0 (Sunday) .. 6. */
export const weeklyHoursSchema = z.strictObject({
  '0': ranges.optional(),
  '1': ranges.optional(),
  '2': ranges.optional(),
  '3': ranges.optional(),
  '4': ranges.optional(),
  '5': ranges.optional(),
  '6': ranges.optional(),
});
const localDate = z.iso.date();
/** A date override: `ranges: []` = day off. */
export const dateOverrideSchema = z.strictObject({ date: localDate, ranges });

/** Query of `GET /api/bookings/slots`. */
export const slotsQuery = z.strictObject({
  applicationId: z.coerce.number().int().positive(),
  kind: z.enum(BOOKING_KIND_VALUES),
  /** Display zone (the candidate's); default the plan's. */
  tz: timeZoneSchema.optional(),
  /** `1`: re-read the interviewers' calendars instead of the short cache. */
  refresh: z.enum(['0', '1']).optional(),
});

/** Body of `POST /api/bookings`. */
export const bookBody = z.strictObject({
  applicationId: z.number().int().positive(),
  kind: z.enum(BOOKING_KIND_VALUES),
  startAt: instant,
  timeZone: timeZoneSchema.optional(),
  /** The one-time reschedule link's token (needed by a candidate after a no-show). */
  rebookToken: z.string().max(200).optional(),
});

/** Body of `POST /api/bookings/:id/reschedule`. */
export const rescheduleBody = z.strictObject({ startAt: instant });

/** Body of `POST /api/bookings/:id/cancel`. */
export const cancelBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });

/** Body of `POST /api/bookings/:id/no-show`. */
export const noShowBody = z.strictObject({ reason: z.string().trim().max(500).optional() });

/** Query of `GET /api/bookings` (HR overview of a job). */
export const listBookingsQuery = z.strictObject({
  jobId: z.coerce.number().int().positive(),
  status: z.enum(['booked', 'cancelled', 'no_show', 'completed']).optional(),
});

/** Body of `PUT /api/availability/me`. */
export const availabilityBody = z.strictObject({ timeZone: timeZoneSchema, weekly: weeklyHoursSchema });

/** Body of `PUT /api/availability/me/overrides/:date`. */
export const overrideBody = z.strictObject({ ranges });

/** Params naming a local date. */
export const dateParams = z.strictObject({ date: localDate });

/** Body of `PUT /api/schedules/:jobId/:kind` (HR plan editor). */
export const scheduleBody = z.strictObject({
  sessionType: z.enum(['ai', 'live']),
  /**
   * AI interviews: `anytime` before the deadline (a booking only schedules reminders) or inside a
   * `booked` window. Absent: unchanged (`anytime` for a new AI stage). Live sessions are booked.
   */
  takeMode: z.enum(['anytime', 'booked']).optional(),
  durationMinutes: z.number().int().min(10).max(480),
  stepMinutes: z.number().int().min(5).max(480).nullable().optional(),
  capacityPerSlot: z.number().int().min(1).max(500),
  horizonDays: z.number().int().min(1).max(90),
  minNoticeMinutes: z
    .number()
    .int()
    .min(0)
    .max(14 * 24 * 60),
  bufferBeforeMinutes: z.number().int().min(0).max(240),
  bufferAfterMinutes: z.number().int().min(0).max(240),
  dailyCapPerInterviewer: z.number().int().min(1).max(20).nullable(),
  rescheduleCutoffHours: z.number().int().min(0).max(720),
  cancelCutoffHours: z.number().int().min(0).max(720),
  maxReschedules: z.number().int().min(0).max(10),
  timeZone: timeZoneSchema,
  weeklyHours: weeklyHoursSchema,
  dateOverrides: z.array(dateOverrideSchema).max(120),
  interviewerIds: z.array(z.number().int().positive()).max(50),
  active: z.boolean().optional(),
  /** Per-plan reminder timings; null or absent = the configured defaults. */
  reminderOffsetsMinutes: reminderOffsetsSchema.nullable().optional(),
});
/** HR plan editor input. */
export type ScheduleBody = z.infer<typeof scheduleBody>;

/** Params `:jobId/:kind`. */
export const scheduleParams = z.strictObject({
  jobId: z.coerce.number().int().positive(),
  kind: z.enum(BOOKING_KIND_VALUES),
});

// ---- Responses. The server's presenters are checked against these (`satisfies` or a return
// type) and the mini-app reads them, so a field changed here breaks one side or the other.

/** A booking kind. */
export type BookingKind = (typeof BOOKING_KIND_VALUES)[number];
/** A booking's state. */
export type BookingStatus = 'booked' | 'cancelled' | 'no_show' | 'completed';
/** A wall-clock range of one day, `HH:MM`. */
export interface HoursRangeView {
  start: string;
  end: string;
}
/** Weekly hours: key `0` (Sunday) .. `6` -> ranges. */
export type WeeklyHoursView = Partial<Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', HoursRangeView[]>>;
/** A date override: `ranges: []` = day off. */
export interface DateOverrideView {
  date: string;
  ranges: HoursRangeView[];
}

/** One slot as listed by the server (instants in UTC, date/time in the display zone). */
export interface SlotView {
  startAt: string;
  endAt: string;
  date: string;
  time: string;
  part: 'am' | 'pm';
  capacity: number;
  remaining: number;
}

/** When an AI interview may be taken: any time before the deadline, or only in a booked window. */
export type TakeMode = 'anytime' | 'booked';

/** The scheduling rules of a plan stage, shown next to its slots. */
export interface RulesView {
  kind: BookingKind;
  sessionType: 'ai' | 'live';
  takeMode: TakeMode;
  durationMinutes: number;
  stepMinutes: number | null;
  capacityPerSlot: number;
  horizonDays: number;
  minNoticeMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  dailyCapPerInterviewer: number | null;
  rescheduleCutoffHours: number;
  cancelCutoffHours: number;
  maxReschedules: number;
  timeZone: string;
}

/** Response of `GET /api/bookings/slots`. */
export interface SlotsResponse {
  rules: RulesView;
  /** The display zone the slots' `date`/`time` are in. */
  timeZone: string;
  planTimeZone: string;
  /** AI interviews: the application's deadline (slots end before it). */
  deadlineAt: string | null;
  slots: SlotView[];
}

/**
 * The fresh slot list a 409 `slot_full` carries (`details.slots`), as `GET /api/bookings/slots`
 * would answer the screen that showed `screen`, or null when it cannot stand in for that read.
 * The server presents the 409's list once for every request a rush refuses: in the plan's zone
 * and not cut at any one application's deadline. So it stands in only on a screen shown in the
 * plan's zone, and the slots ending after the screen's deadline are dropped here as the read
 * drops them. Using it saves the re-read of the list after every lost seat.
 */
export function freshSlotsOf(
  details: unknown,
  screen: Pick<SlotsResponse, 'timeZone' | 'planTimeZone' | 'deadlineAt'>,
): SlotView[] | null {
  const slots = (details as { slots?: unknown } | null | undefined)?.slots;
  if (!Array.isArray(slots) || screen.timeZone !== screen.planTimeZone) return null;
  const list = slots as SlotView[];
  if (screen.deadlineAt === null) return list;
  const deadline = Date.parse(screen.deadlineAt);
  return list.filter((s) => Date.parse(s.endAt) <= deadline);
}

/** A booking as its viewers see it, with what they may still do and until when. */
export interface BookingView {
  id: number;
  applicationId: number;
  candidate: { id: number; name: string } | null;
  job: { id: number; title: string } | null;
  kind: BookingKind;
  sessionType: 'ai' | 'live';
  interviewer: { id: number; name: string } | null;
  startAt: string;
  endAt: string;
  timeZone: string;
  status: BookingStatus;
  /** A "remind me at…" time of an AI interview taken any time: no seat, not an appointment. */
  reminderOnly: boolean;
  rescheduleCount: number;
  maxReschedules: number;
  cancelReason: string | null;
  version: number;
  rescheduleUntil: string;
  cancelUntil: string;
  canReschedule: boolean;
  canCancel: boolean;
  /** The interviewer's DingTalk calendar has the event. */
  calendarSynced: boolean;
}

/** Response of booking, rescheduling, cancelling, closing and `GET /api/bookings/:id`. */
export interface BookingResponse {
  booking: BookingView;
}

/** A candidate's application and which stages they can book now. */
export interface BookableApplication {
  id: number;
  job: { id: number; title: string };
  stage: string;
  deadlineAt: string | null;
  bookable: BookingKind[];
}

/** Response of `GET /api/bookings/mine` (`applications` is empty for employees). */
export interface MyBookingsResponse {
  items: BookingView[];
  applications: BookableApplication[];
}

/** Response of `GET /api/bookings?jobId=` (HR overview of a job). */
export interface JobBookingsResponse {
  job: { id: number; title: string };
  items: BookingView[];
  /** Active bookings per local date. */
  activeByDate: Record<string, number>;
}

/** Response of every `/api/availability/me` route: the interviewer's own hours. */
export interface AvailabilityResponse {
  timeZone: string;
  weekly: WeeklyHoursView;
  overrides: DateOverrideView[];
  /** False until the interviewer saved hours once (the defaults are shown). */
  configured: boolean;
}

/** A person in an interviewer pool. */
export interface PoolMemberView {
  id: number;
  name: string;
  /** DingTalk userid. */
  userid: string;
}

/** A plan stage as HR edits it. */
export interface ScheduleView extends RulesView {
  id: number;
  weeklyHours: WeeklyHoursView;
  dateOverrides: DateOverrideView[];
  active: boolean;
  /** This stage's reminder timings (minutes before); null = {@link reminderDefaults}. */
  reminderOffsetsMinutes: { candidate: number[]; interviewer: number[] } | null;
  reminderDefaults: { candidate: number[]; interviewer: number[] };
  interviewers: PoolMemberView[];
}

/** Response of `GET /api/schedules/jobs`. */
export interface ScheduleJobsResponse {
  items: Array<{ id: number; title: string; status: 'open' | 'closed'; kinds: BookingKind[] }>;
}

/** Response of `GET /api/schedules?jobId=`. */
export interface SchedulesResponse {
  job: { id: number; title: string };
  schedules: ScheduleView[];
  eligibleInterviewers: PoolMemberView[];
}

/** Response of `PUT /api/schedules/:jobId/:kind`. */
export interface ScheduleResponse {
  schedule: ScheduleView;
}
