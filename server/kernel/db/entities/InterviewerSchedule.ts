import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { HoursRange, WeeklyHours } from '../../../../shared/slots';
import { User } from './User';

/**
 * An interviewer's weekly working hours in their own zone. `version` counts edits of the hours
 * and overrides. Bookings claim time through `InterviewerDay` rows (below).
 */
export const InterviewerSchedule = defineEntity({
  name: 'InterviewerSchedule',
  tableName: 'interviewer_schedules',
  properties: {
    id: p.integer().primary(),
    user: () => p.oneToOne(User).owner().unique(),
    timeZone: p.string().length(64).default('Asia/Shanghai'),
    weeklyHours: p.json<WeeklyHours>(),
    version: p.integer().default(1),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Interviewer schedule row. */
export type IInterviewerSchedule = InferEntity<typeof InterviewerSchedule>;

/** One date of an interviewer whose hours differ from the week: a day off (`ranges: []`) or extra hours. */
export const AvailabilityOverride = defineEntity({
  name: 'AvailabilityOverride',
  tableName: 'availability_overrides',
  uniques: [{ properties: ['user', 'date'] }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User),
    /** Local date `YYYY-MM-DD` in the interviewer's zone. */
    date: p.string().length(10),
    ranges: p.json<HoursRange[]>(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Availability override row. */
export type IAvailabilityOverride = InferEntity<typeof AvailabilityOverride>;

/**
 * The compare-and-swap row of one interviewer's local day. A session claims every local day
 * its padded interval touches with `UPDATE ... SET version = version + 1 WHERE id = ? AND
 * version = ?` after checking the day's bookings in the same transaction. Two overlapping
 * sessions always share a day, so at most one of them commits; sessions on different days
 * never contend (finer than one counter per interviewer, which serialised a whole pool).
 */
export const InterviewerDay = defineEntity({
  name: 'InterviewerDay',
  tableName: 'interviewer_days',
  uniques: [{ properties: ['user', 'date'] }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User),
    /** Local date `YYYY-MM-DD` in the interviewer's zone. */
    date: p.string().length(10),
    version: p.integer().default(1),
  },
});
/** Interviewer day row. */
export type IInterviewerDay = InferEntity<typeof InterviewerDay>;
