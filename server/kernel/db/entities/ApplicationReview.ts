import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { ReportReadyData } from '../../../../shared/events';
import { Application } from './Application';

/** What the job's rules suggest for a report. */
export const REVIEW_SUGGESTIONS = ['pass', 'review', 'reject'] as const;

/**
 * HR's review item for an application: the report summary the workflow received, what the rules
 * suggest and why, and the latest approver remark when an approval was refused. One per
 * application (a newer report replaces the summary).
 */
export const ApplicationReview = defineEntity({
  name: 'ApplicationReview',
  tableName: 'application_reviews',
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application).unique(),
    reportId: p.integer().nullable(),
    overall: p.integer().nullable(),
    report: p.json<ReportReadyData>().nullable(),
    suggestion: p.enum(REVIEW_SUGGESTIONS),
    /** Why: `below_reject_threshold`, `between_thresholds`, `quality_flags`, `person_only`, `approval_refused`... */
    reason: p.string().length(100),
    /** The approver's remark when an approval was refused or withdrawn. */
    remark: p.text().nullable(),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** ApplicationReview row. */
export type IApplicationReview = InferEntity<typeof ApplicationReview>;
