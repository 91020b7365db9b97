import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Candidate } from './Candidate';

/** Life of a deletion request. */
export const DELETION_STATUSES = ['pending', 'done'] as const;

/**
 * A request to erase a candidate's personal data (TRUST.md "Retention and deletion"): made by
 * the candidate or by HR on their behalf, due within 30 days, carried out by the
 * `privacy-deletion` consumer on its next run. `summary` records what was removed, here and at
 * providers, and what could not be (with why); it names no personal data.
 */
export const DeletionRequest = defineEntity({
  name: 'DeletionRequest',
  tableName: 'deletion_requests',
  indexes: [{ properties: ['status', 'dueBy'] }],
  properties: {
    id: p.integer().primary(),
    candidate: () => p.manyToOne(Candidate),
    /** `candidate` or `employee:<id>`. */
    requestedBy: p.string().length(40),
    reason: p.string().length(500).nullable(),
    status: p.enum(DELETION_STATUSES).default('pending'),
    /** Unique while pending (`<candidateId>`), null once done: one open request per person. */
    activeKey: p.string().length(40).nullable().unique(),
    requestedAt: p.datetime(3).onCreate(() => new Date()),
    dueBy: p.datetime(3),
    completedAt: p.datetime(3).nullable(),
    summary: p.json<Record<string, unknown>>().nullable(),
  },
});
/** Deletion request row. */
export type IDeletionRequest = InferEntity<typeof DeletionRequest>;
