import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Department } from './Department';
import { User } from './User';

/** Job lifecycle: only open jobs accept new invitations. */
export const JOB_STATUSES = ['open', 'closed'] as const;

/** A job opening. Interview plans and questions hang off it. */
export const Job = defineEntity({
  name: 'Job',
  tableName: 'jobs',
  properties: {
    id: p.integer().primary(),
    /** Stable human key (e.g. `backend`), unique per org; the seed uses it for idempotency. */
    slug: p.string().length(64).unique(),
    title: p.string().length(200),
    description: p.text().default(''),
    department: () => p.manyToOne(Department),
    hiringManager: () => p.manyToOne(User).nullable(),
    status: p.enum(JOB_STATUSES).default('open'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Job row. */
export type IJob = InferEntity<typeof Job>;
