import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Application } from './Application';
import { User } from './User';

/**
 * What a hired candidate's probation came to: `probation` (still in it), `regular` (转正),
 * `left` (left the company), `not_found` (no employee with the candidate's mobile in DingTalk).
 */
export const HIRE_OUTCOME_STATUSES = ['probation', 'regular', 'left', 'not_found'] as const;

/**
 * A hired application's outcome read from DingTalk's HR APIs (智能人事) by the worker: the
 * probation outcome and the latest performance grade. One row per hired application, replaced on
 * every sync, so it is what DingTalk says now (issue 17 item 4, closed-loop validity).
 */
export const HireOutcome = defineEntity({
  name: 'HireOutcome',
  tableName: 'hire_outcomes',
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application).unique(),
    /** The employee's DingTalk userid (found by the candidate's mobile); null when not found. */
    dingtalkUserId: p.string().length(64).nullable(),
    status: p.enum(HIRE_OUTCOME_STATUSES),
    /** Probation passed (转正): true; left before 转正: false; still in probation / unknown: null. */
    probationPassed: p.boolean().nullable(),
    regularAt: p.datetime(3).nullable(),
    leftAt: p.datetime(3).nullable(),
    /** The latest performance grade as DingTalk labels it (S, A, B+...), and its period. */
    performanceGrade: p.string().length(32).nullable(),
    performancePeriod: p.string().length(64).nullable(),
    /** The grade on a numeric scale (analytics/outcomes.ts GRADE_SCALE), for correlations. */
    performanceScore: p.double().nullable(),
    syncedAt: p.datetime(3),
  },
});
/** HireOutcome row. */
export type IHireOutcome = InferEntity<typeof HireOutcome>;

/** A sync run's state: asked for by HR, picked up by a worker, finished or failed. */
export const HIRE_OUTCOME_SYNC_STATUSES = ['requested', 'running', 'done', 'failed'] as const;

/**
 * One sync of hire outcomes: scheduled (no requester) or asked for by HR ("sync now"). The API
 * only writes a `requested` row; the worker claims it (one UPDATE, so one worker runs it), which
 * keeps DingTalk's HR calls (rate limited, monthly quota) out of web requests.
 */
export const HireOutcomeSync = defineEntity({
  name: 'HireOutcomeSync',
  tableName: 'hire_outcome_syncs',
  indexes: [{ properties: ['status'] }],
  properties: {
    id: p.integer().primary(),
    status: p.enum(HIRE_OUTCOME_SYNC_STATUSES),
    requestedBy: () => p.manyToOne(User).nullable(),
    requestedAt: p.datetime(3),
    startedAt: p.datetime(3).nullable(),
    finishedAt: p.datetime(3).nullable(),
    /** Hired applications read, and how many had no employee in DingTalk. */
    synced: p.integer().default(0),
    notFound: p.integer().default(0),
    error: p.text().nullable(),
  },
});
/** HireOutcomeSync row. */
export type IHireOutcomeSync = InferEntity<typeof HireOutcomeSync>;
