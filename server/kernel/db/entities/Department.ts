import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** A DingTalk department, mirrored so managers can be scoped to "their department". */
export const Department = defineEntity({
  name: 'Department',
  tableName: 'departments',
  properties: {
    id: p.integer().primary(),
    /** DingTalk's numeric dept_id. */
    dingtalkId: p.bigint('number').unique(),
    name: p.string().length(200),
    parent: () => p.manyToOne(Department).nullable(),
    /**
     * Set when DingTalk removed the department (`org_dept_remove`, or gone at the last sync).
     * The row stays: jobs and people still point at it, and the audit trail names it.
     */
    removedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
/** Department row. */
export type IDepartment = InferEntity<typeof Department>;
