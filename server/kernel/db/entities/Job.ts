import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Department } from './Department';
import { User } from './User';

/**
 * Stored job lifecycle: only open jobs accept new invitations. A pause is `pausedAt` on an open
 * job (see `jobState`): a column added beside the status rather than a third status value,
 * because SQLite cannot change a check constraint without rebuilding `jobs`, a table many
 * others reference.
 */
export const JOB_STATUSES = ['open', 'closed'] as const;

/** What HR and the API see: open, paused (intake stopped for a while, may reopen) or closed. */
export type JobState = 'open' | 'paused' | 'closed';

/** The job's state from its stored status and pause. */
export function jobState(job: { status: (typeof JOB_STATUSES)[number]; pausedAt?: Date | null }): JobState {
  if (job.status === 'closed') return 'closed';
  return job.pausedAt ? 'paused' : 'open';
}

/** A job opening. Interview plans and questions hang off it. */
export const Job = defineEntity({
  name: 'Job',
  tableName: 'jobs',
  properties: {
    id: p.integer().primary(),
    /** Stable human key (e.g. `backend`), unique per org; the seed uses it for idempotency. */
    slug: p.string().length(64).unique(),
    title: p.string().length(200),
    /** Job description (JD) shown to candidates and reviewers. */
    description: p.text().default(''),
    /** Requirements (任职要求), apart from the description. */
    requirements: p.text().default(''),
    /** Work location as HR writes it (e.g. 杭州). */
    location: p.string().length(100).default(''),
    /** How many people the job hires. */
    headcount: p.integer().default(1),
    department: () => p.manyToOne(Department),
    hiringManager: () => p.manyToOne(User).nullable(),
    /** The hiring team's DingTalk group chat (openConversationId); null = none chosen. */
    hiringGroupConversationId: p.string().length(64).nullable(),
    status: p.enum(JOB_STATUSES).default('open'),
    /** When HR paused intake (new invitations and bookings are refused); null = not paused. */
    pausedAt: p.datetime(3).nullable(),
    /** Compare-and-swap counter: every edit sends the version it read; a stale one gets 409. */
    version: p.integer().default(1),
    /**
     * Round-robin cursor of the job's interviewer pool: bumped atomically (`update ... + 1`)
     * for every automatic reviewer assignment, so concurrent assignments take different turns.
     */
    reviewerCursor: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Job row. */
export type IJob = InferEntity<typeof Job>;

/**
 * The job's interviewer pool for reviewer assignment (round-robin). Separate from the booking
 * pools of the plan's schedules: reviewing a recorded AI interview needs no free calendar time.
 */
export const JobInterviewer = defineEntity({
  name: 'JobInterviewer',
  tableName: 'job_interviewers',
  uniques: [{ properties: ['job', 'user'] }],
  properties: {
    id: p.integer().primary(),
    job: () => p.manyToOne(Job),
    user: () => p.manyToOne(User),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Job interviewer pool row. */
export type IJobInterviewer = InferEntity<typeof JobInterviewer>;
