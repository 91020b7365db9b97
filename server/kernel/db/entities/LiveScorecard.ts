import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Live-round scorecards (server/features/liveround): one per rater of a second-round booking.
 * Bookings, applications and raters are referenced by id, like scoring's tables, so the feature
 * depends on booking only through its data.
 */

/** A scorecard is a draft until its rater submits it, once. */
export const SCORECARD_STATUSES = ['draft', 'submitted'] as const;
/** Scorecard status. */
export type ScorecardStatus = (typeof SCORECARD_STATUSES)[number];

/** One competency's rating (1-5, null while not yet rated) and the rater's note on it. */
export interface ScorecardRating {
  competency: string;
  score: number | null;
  note: string;
}

/** A rater's scorecard of one live (second-round) interview. */
export const LiveScorecard = defineEntity({
  name: 'LiveScorecard',
  tableName: 'live_scorecards',
  uniques: [{ properties: ['bookingId', 'raterId'] }],
  indexes: [{ properties: ['applicationId'] }],
  properties: {
    id: p.integer().primary(),
    bookingId: p.integer(),
    applicationId: p.integer(),
    jobId: p.integer(),
    raterId: p.integer(),
    ratings: p.json<ScorecardRating[]>(),
    /** Free notes on the whole interview. */
    notes: p.text().default(''),
    status: p.enum(SCORECARD_STATUSES).default('draft'),
    submittedAt: p.datetime(3).nullable(),
    /** Edits after submission (each one is in the audit log with what changed). */
    editsAfterSubmit: p.integer().default(0),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Scorecard row. */
export type ILiveScorecard = InferEntity<typeof LiveScorecard>;
