import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { ACTOR_KINDS } from './AuditLog';

/**
 * One move of an application from one stage to another, written by the workflow's `transition`
 * in the same transaction as the stage change (plain SQL, like the compare-and-swap it rides
 * with). Analytics reads funnels, time in stage and time to hire from these rows.
 *
 * `applicationId` and `jobId` are plain indexed columns, not foreign keys: the row is a fact
 * about the past that must never block (or be blocked by) a change to the job, and InnoDB takes
 * a shared lock on a referenced parent row for every insert. `jobId` is copied so dashboard
 * queries filter by job without a join.
 *
 * `fromStage` is null only for rows backfilled from applications that existed before this table
 * (one row at their `stage_changed_at`: the path they took is unknown). `fromSince` is when the
 * application entered `fromStage`, so the time spent there is `at - fromSince` without a
 * self-join over the application's history.
 */
export const ApplicationStageEvent = defineEntity({
  name: 'ApplicationStageEvent',
  tableName: 'application_stage_events',
  indexes: [
    // Time in stage / time to hire for a job over a date range; the funnel's per-application max.
    { properties: ['jobId', 'at'] },
    { properties: ['applicationId', 'toStage'] },
    { properties: ['toStage', 'at'] },
  ],
  properties: {
    id: p.integer().primary(),
    applicationId: p.integer(),
    jobId: p.integer(),
    fromStage: p.string().length(32).nullable(),
    toStage: p.string().length(32),
    /** The transition's name (`advance_second_round`...), or `backfill`. */
    transition: p.string().length(40),
    at: p.datetime(3),
    fromSince: p.datetime(3).nullable(),
    /** Who moved it (a person, or the system applying a fact or rule). */
    actorKind: p.enum(ACTOR_KINDS),
    actorId: p.integer().nullable(),
  },
});
/** ApplicationStageEvent row. */
export type IApplicationStageEvent = InferEntity<typeof ApplicationStageEvent>;
