import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Application } from './Application';
import { BOOKING_KINDS, PlanSchedule } from './PlanSchedule';
import { User } from './User';

/** Life of a booking. Only `booked` holds a seat. */
export const BOOKING_STATUSES = ['booked', 'cancelled', 'no_show', 'completed'] as const;
/** A booking status. */
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * A candidate's booked session for one stage of one application. `activeKey` is
 * `<applicationId>:<kind>` while the booking is active and NULL afterwards; its unique index
 * makes "one active booking per application and stage" a database fact (NULLs never collide).
 * `version` backs conditional updates so a cancel racing a reschedule applies exactly one.
 */
export const Booking = defineEntity({
  name: 'Booking',
  tableName: 'bookings',
  indexes: [
    { properties: ['interviewer', 'status', 'startAt'] },
    { properties: ['schedule', 'status', 'startAt'] },
  ],
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application),
    schedule: () => p.manyToOne(PlanSchedule),
    kind: p.enum(BOOKING_KINDS),
    /** Null for AI sessions. */
    interviewer: () => p.manyToOne(User).nullable(),
    startAt: p.datetime(3),
    endAt: p.datetime(3),
    /** Buffers copied from the rules at booking time, so later rule edits do not move old gaps. */
    bufferBeforeMinutes: p.integer().default(0),
    bufferAfterMinutes: p.integer().default(0),
    /** The candidate's display zone. */
    timeZone: p.string().length(64),
    status: p.enum(BOOKING_STATUSES).default('booked'),
    activeKey: p.string().length(64).nullable().unique(),
    rescheduleCount: p.integer().default(0),
    /**
     * A "remind me at…" booking of an AI interview taken any time (`PlanSchedule.takeMode`
     * `anytime`): it only schedules reminders, holds no seat and does not move the pipeline.
     * Fixed at booking time, so a later switch of the plan's mode never frees a seat that was
     * not taken (or keeps one that was).
     */
    reminderOnly: p.boolean().default(false),
    cancelReason: p.string().length(500).nullable(),
    cancelledAt: p.datetime(3).nullable(),
    noShowMarkedBy: () => p.manyToOne(User).nullable(),
    noShowAt: p.datetime(3).nullable(),
    /** DingTalk calendar event of the interviewer (live sessions), set by the calendar consumer. */
    calendarEventId: p.string().length(128).nullable(),
    /** unionId of the calendar holding `calendarEventId` (the interviewer when it was written). */
    calendarOwner: p.string().length(64).nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Booking row. */
export type IBooking = InferEntity<typeof Booking>;

/**
 * Seats taken in one slot of an AI window. Booking increments `taken` with
 * `UPDATE ... SET taken = taken + 1 WHERE id = ? AND taken < capacity`: of any number of
 * simultaneous requests for the last seat exactly one sees an affected row.
 */
export const SlotCounter = defineEntity({
  name: 'SlotCounter',
  tableName: 'slot_counters',
  uniques: [{ properties: ['schedule', 'startAt'] }],
  properties: {
    id: p.integer().primary(),
    schedule: () => p.manyToOne(PlanSchedule),
    startAt: p.datetime(3),
    capacity: p.integer(),
    taken: p.integer().default(0),
  },
});
/** Slot counter row. */
export type ISlotCounter = InferEntity<typeof SlotCounter>;
