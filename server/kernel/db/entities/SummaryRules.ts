import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * How a job's summary report (面试总结报告, server/features/summary) combines the AI score with
 * the people's ratings, and how far apart raters may be before it is flagged. A job without a
 * row uses the defaults (DEFAULT_SUMMARY_RULES in the feature).
 */
export const SummaryRules = defineEntity({
  name: 'SummaryRules',
  tableName: 'summary_rules',
  properties: {
    id: p.integer().primary(),
    jobId: p.integer().unique(),
    /** Percent of the combined score that comes from the AI (the rest from the people), 0-100. */
    aiWeight: p.integer(),
    /** Raters further apart than this (0-100 scale) are flagged as a disagreement. */
    disagreementPoints: p.integer(),
    updatedById: p.integer().nullable(),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** SummaryRules row. */
export type ISummaryRules = InferEntity<typeof SummaryRules>;
