import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Application } from './Application';
import { User } from './User';

/**
 * Adjustments HR grants one candidate (disability, bandwidth, a broken camera): more time for
 * every question, extra retakes, and permission to answer video questions with audio only.
 */
export const InterviewAccommodation = defineEntity({
  name: 'InterviewAccommodation',
  tableName: 'interview_accommodations',
  properties: {
    id: p.integer().primary(),
    application: () => p.oneToOne(Application).owner().unique(),
    /** Extra think and answer time in percent (50 = one and a half times). */
    extraTimePercent: p.integer().default(0),
    extraRetakes: p.integer().default(0),
    audioOnlyAllowed: p.boolean().default(false),
    note: p.string().length(500).default(''),
    updatedBy: () => p.manyToOne(User).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Accommodation row. */
export type IInterviewAccommodation = InferEntity<typeof InterviewAccommodation>;
