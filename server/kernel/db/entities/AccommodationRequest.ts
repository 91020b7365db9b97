import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Application } from './Application';

/** What became of an accommodation request. */
export const ACCOMMODATION_REQUEST_STATUSES = ['pending', 'granted', 'declined'] as const;

/**
 * A candidate's request for an accommodation (extra time, extra retakes, audio only) on one
 * application. Granting writes the `InterviewAccommodation` the interview serves; the request
 * keeps who decided, when and why.
 */
export const AccommodationRequest = defineEntity({
  name: 'AccommodationRequest',
  tableName: 'accommodation_requests',
  indexes: [{ properties: ['status', 'dueAt'] }],
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application),
    candidateId: p.integer(),
    extraTimePercent: p.integer().default(0),
    extraRetakes: p.integer().default(0),
    audioOnly: p.boolean().default(false),
    note: p.string().length(500).default(''),
    status: p.enum(ACCOMMODATION_REQUEST_STATUSES).default('pending'),
    dueAt: p.datetime(3),
    decidedById: p.integer().nullable(),
    decidedAt: p.datetime(3).nullable(),
    decisionNote: p.string().length(500).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Accommodation request row. */
export type IAccommodationRequest = InferEntity<typeof AccommodationRequest>;
