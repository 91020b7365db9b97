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
