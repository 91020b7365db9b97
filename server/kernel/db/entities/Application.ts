import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { STAGES } from '../../../../shared/stages';
import { Candidate } from './Candidate';
import { Job } from './Job';

/**
 * One candidate applying for one job: the object that moves through the hiring pipeline.
 * Bookings, interview sessions, reports and approvals hang off it. `version` backs
 * compare-and-swap stage changes so two decisions can never both win.
 */
export const Application = defineEntity({
  name: 'Application',
  tableName: 'applications',
  uniques: [{ properties: ['candidate', 'job'] }],
  // The dashboards' "waiting now" reads (stage, stage_changed_at) of open applications company-wide,
  // per job (and so per department) and by creation date: covering indexes, so the read never
  // touches the rows (analytics/queries.ts times; BENCHMARKS.md "analytics, round 4").
  indexes: [
    { properties: ['job', 'stage', 'stageChangedAt'] },
    { properties: ['stage', 'stageChangedAt'] },
    { properties: ['createdAt', 'stage', 'stageChangedAt'] },
  ],
  properties: {
    id: p.integer().primary(),
    candidate: () => p.manyToOne(Candidate),
    job: () => p.manyToOne(Job),
    stage: p.enum(STAGES).default('invited'),
    stageChangedAt: p.datetime(3).onCreate(() => new Date()),
    /** The candidate asked to be evaluated by a person only: no AI score is computed. */
    personOnly: p.boolean().default(false),
    /** Deadline for completing the AI interview (from the invitation). */
    deadlineAt: p.datetime(3).nullable(),
    version: p.integer().default(1),
    /**
     * The furthest funnel step this application has reached (`FUNNEL_RANK` in
     * shared/api/analytics.ts), kept by the same UPDATE that moves the stage, so dashboards count
     * funnels from this row alone instead of from its whole stage history.
     */
    funnelReach: p.integer().default(0),
    /** When the retention job deleted this application's recordings and transcripts. */
    purgedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Application row. */
export type IApplication = InferEntity<typeof Application>;
