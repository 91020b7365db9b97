import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { EmployeeRole } from '../../../../shared/roles';
import { Department } from './Department';

/**
 * An employee: a member of the DingTalk organisation (HR, hiring manager, interviewer, admin).
 * Keyed by DingTalk `userid`; `unionid` is kept because calendar and OAuth APIs use it.
 */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.integer().primary(),
    dingtalkUserId: p.string().length(64).unique(),
    unionId: p.string().length(64).nullable().unique(),
    name: p.string().length(100),
    mobile: p.string().length(32).nullable(),
    title: p.string().length(100).nullable(),
    department: () => p.manyToOne(Department).nullable(),
    roles: p.json<EmployeeRole[]>(),
    /**
     * The department whose hiring this person manages when they hold the `manager` role (granted
     * by an admin); null means their own DingTalk department. Kept apart from `department`,
     * which the organisation sync overwrites from DingTalk.
     */
    managedDepartment: () => p.manyToOne(Department).nullable(),
    active: p.boolean().default(true),
    locale: p.string().length(8).default('zh-CN'),
    lastSignInAt: p.datetime().nullable(),
    /**
     * Bumped when the person's sessions must end at once (erasure, deactivation, leaving the
     * organisation): session tokens carry the generation they were issued under, and a token
     * of an older generation is refused on its next request.
     */
    sessionGeneration: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Employee row. */
export type IUser = InferEntity<typeof User>;
