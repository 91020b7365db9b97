/**
 * The SQL of the `analytics_deletions` migrations (both dialects): deleting an application, or
 * one of its stage events, takes its stays and time to hire out of `analytics_durations` (every
 * grain: all, src, job, day, dep) in the same statement, so the rollups stay equal to a
 * recomputation from the source tables.
 *
 * Before this, the application's `before delete` trigger lowered its counts only: stage events
 * are not foreign keys of applications (entities/ApplicationStageEvent.ts), so they stayed and so
 * did their durations, while every read of the source tables (and a rebuild) joins events to
 * their application and no longer sees them. The events themselves stay as they were (facts
 * about the past, no personal data); once their application is gone nothing counts them.
 *
 * - `before delete` on applications: every remaining event of the row is subtracted, with the
 *   application's values from OLD (its creation time dates the `day` grain and the time to hire)
 *   and its candidate's source as it is now (as the triggers that added them used).
 * - `after delete` on application_stage_events: the deleted event is subtracted when its
 *   application still exists (an event deleted on its own); an orphan event (its application
 *   already deleted, and with it the event's contribution) changes nothing.
 *
 * The migration also rebuilds the rollups from the source tables once ({@link analyticsRebuild}),
 * which removes what deletions made before it left behind. Later changes belong in a new
 * migration.
 */
import { analyticsDepartmentGrainBackfill, departmentRows } from './analyticsDepartmentGrainSql';
import { analyticsRollupsBackfill, durationRowsOf } from './analyticsRollupsSql';
import { type Dialect, type Sharding, shardOf, trigger } from './triggerSql';

/**
 * Every duration row (all grains) of the events `from` yields (aliases e, a, c), times -1; the
 * `dep` rows join the event's job (j) as well, as the triggers that added them did (an event of a
 * deleted job has no department rows, but still has its `all`, `src`, `job` and `day` rows).
 */
function subtract(d: Dialect, from: string, where: string, shard?: string): string[] {
  return [
    ...durationRowsOf(d, { from, where, n: '-1', shard }),
    ...departmentRows(d, { from: `${from} join jobs j on j.id = e.job_id`, where, n: '-1', shard }),
  ];
}

/**
 * Deletes both rollup tables and fills them again from the source tables; `sharded` (the tables
 * have a `shard` column since migration `analytics_shards`): into shard 0.
 */
export function analyticsRebuild(d: Dialect, sharded = false): string[] {
  return [
    'delete from analytics_application_counts',
    'delete from analytics_durations',
    ...analyticsRollupsBackfill(d, sharded ? '0' : undefined),
    analyticsDepartmentGrainBackfill(),
  ];
}

/** Statements that create the triggers and rebuild the rollups. */
export function analyticsDeletionUp(d: Dialect): string[] {
  return [...analyticsDeletionTriggers(d), ...analyticsRebuild(d)];
}

/**
 * The statements that create the triggers; `sharded` (migration `analytics_shards`): each event
 * subtracted from the shard of its application, where the trigger that added it wrote.
 */
export function analyticsDeletionTriggers(d: Dialect, sharded: Sharding = false): string[] {
  const shard = sharded ? shardOf('e.application_id', sharded) : undefined;
  // The application being deleted, from OLD (one row, the same aliases as the other triggers).
  const appEvents = `application_stage_events e cross join (select OLD.id as id, OLD.created_at as created_at) a join candidates c on c.id = OLD.candidate_id`;
  const oneEvent = `(select OLD.application_id as application_id, OLD.job_id as job_id, OLD.from_stage as from_stage, OLD.to_stage as to_stage, OLD.at as at, OLD.from_since as from_since) e join applications a on a.id = e.application_id join candidates c on c.id = a.candidate_id`;
  return [
    trigger(
      'analytics_applications_bd_events',
      'before delete',
      'applications',
      subtract(d, appEvents, 'e.application_id = OLD.id', shard),
    ),
    trigger(
      'analytics_stage_events_ad',
      'after delete',
      'application_stage_events',
      subtract(d, oneEvent, '1 = 1', shard),
    ),
  ];
}

/** Drops the triggers (the rollups stay as they are: exact, since the triggers kept them so). */
export function analyticsDeletionDown(): string[] {
  return ['analytics_applications_bd_events', 'analytics_stage_events_ad'].map(
    (t) => `drop trigger if exists ${t}`,
  );
}
