import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Candidate } from './Candidate';

/**
 * A candidate's optional demographic self-identification, kept in its own table so no query
 * that serves reviewers or the scorer ever joins it. Only the fairness audit reads it, in
 * aggregate. Deleting it is one click for the candidate.
 */
export const DemographicSelfId = defineEntity({
  name: 'DemographicSelfId',
  tableName: 'demographic_self_ids',
  properties: {
    id: p.integer().primary(),
    candidate: () => p.oneToOne(Candidate).owner().unique(),
    categories: p.json<Record<string, string>>(),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Demographic self-identification row. */
export type IDemographicSelfId = InferEntity<typeof DemographicSelfId>;
