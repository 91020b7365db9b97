/**
 * Writes an admin makes to the organisation: sync it from DingTalk now, grant and revoke roles.
 * Each runs in one transaction behind the organisation lock and is audited.
 */

import type { SyncResult } from '../../../shared/api/organisation';
import type { EmployeeRole } from '../../../shared/roles';
import type { Actor } from '../../kernel/actor';
import { type AuditContext, audit } from '../../kernel/audit';
import { Department } from '../../kernel/db/entities/Department';
import { type IUser, User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { conflict, notFound, upstreamError, validationError } from '../../kernel/errors';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { DingTalkError } from '../../kernel/integrations/dingtalk';
import { applySnapshot, confirmDeparted, lockOrganisation, readOrganisation } from './organisation';

/** What the organisation commands need. */
export interface OrgCommandDeps {
  em: Em;
  dingtalk: DingTalk;
  corpId: string;
  now: Date;
  context: AuditContext;
}

/**
 * Reads the whole organisation from DingTalk and applies it (departments, members, departures).
 * DingTalk failing answers 502 `org_sync_failed` and changes nothing.
 */
export async function syncOrganisation(deps: OrgCommandDeps, actor: Actor | null): Promise<SyncResult> {
  const { em, dingtalk } = deps;
  let snap: Awaited<ReturnType<typeof readOrganisation>>;
  let gone: Set<string>;
  try {
    snap = await readOrganisation(dingtalk);
    gone = await confirmDeparted(em.fork(), dingtalk, snap);
  } catch (err) {
    if (err instanceof DingTalkError)
      throw upstreamError('org_sync_failed', `reading the organisation failed: ${err.code}`);
    throw err;
  }
  const counts = await em.fork().transactional(async (tx) => {
    await lockOrganisation(tx, deps.corpId, deps.corpId);
    const c = await applySnapshot(tx, snap, gone, actor, deps.now);
    audit(
      tx,
      actor,
      'organisation.synced',
      { type: 'organisation', id: deps.corpId },
      { ...c },
      deps.context,
    );
    return c;
  });
  return { ...counts, at: deps.now.toISOString() };
}

async function loadMember(em: Em, id: number): Promise<IUser> {
  const user = await em.findOne(User, { id }, { populate: ['department', 'managedDepartment'] });
  if (!user) throw notFound('member', 'not_found');
  return user;
}

/**
 * Grants `role` to member `id`. Granting a role already held changes nothing (`changed: false`);
 * for `manager` it (re)sets the department they hire for: `departmentId`, else their own.
 */
export async function grantRole(
  deps: OrgCommandDeps,
  actor: Actor,
  input: { id: number; role: EmployeeRole; departmentId?: number },
): Promise<{ member: IUser; changed: boolean }> {
  return deps.em.fork().transactional(async (em) => {
    await lockOrganisation(em, deps.corpId, deps.corpId);
    const user = await loadMember(em, input.id);
    if (!user.active) throw conflict('member_inactive', 'this member has left or is deactivated');
    let managed = user.managedDepartment ?? null;
    if (input.role === 'manager') {
      const deptId = input.departmentId ?? user.department?.id;
      if (!deptId)
        throw validationError([
          {
            field: 'body.departmentId',
            kind: 'required',
            message: 'choose the department a manager hires for',
          },
        ]);
      const dept = await em.findOne(Department, { id: deptId, removedAt: null });
      if (!dept) throw notFound('department');
      managed = dept;
    } else if (input.departmentId !== undefined) {
      throw validationError([
        {
          field: 'body.departmentId',
          kind: 'invalid',
          message: 'departmentId applies to the manager role only',
        },
      ]);
    }
    const has = user.roles.includes(input.role);
    const sameDept = input.role !== 'manager' || (user.managedDepartment?.id ?? null) === managed?.id;
    if (has && sameDept) return { member: user, changed: false };
    if (!has) user.roles = [...user.roles, input.role];
    if (input.role === 'manager') user.managedDepartment = managed;
    audit(
      em,
      actor,
      'role.granted',
      { type: 'user', id: user.id },
      { role: input.role, ...(input.role === 'manager' ? { departmentId: managed?.id ?? null } : {}) },
      deps.context,
    );
    await em.flush();
    return { member: user, changed: true };
  });
}

/**
 * Revokes `role` from member `id`. The last active admin keeps theirs (409 `last_admin`): the
 * check and the change happen behind the organisation lock, so two admins revoking each other at
 * once cannot both succeed. Revoking a role not held changes nothing.
 */
export async function revokeRole(
  deps: OrgCommandDeps,
  actor: Actor,
  input: { id: number; role: EmployeeRole },
): Promise<{ member: IUser; changed: boolean }> {
  return deps.em.fork().transactional(async (em) => {
    await lockOrganisation(em, deps.corpId, deps.corpId);
    const user = await loadMember(em, input.id);
    if (!user.roles.includes(input.role)) return { member: user, changed: false };
    if (input.role === 'admin' && user.active) {
      const admins = (await em.find(User, { active: true })).filter((u) => u.roles.includes('admin'));
      if (admins.length <= 1) throw conflict('last_admin', 'cannot remove the last admin');
    }
    user.roles = user.roles.filter((r) => r !== input.role);
    if (input.role === 'manager') user.managedDepartment = null;
    audit(em, actor, 'role.revoked', { type: 'user', id: user.id }, { role: input.role }, deps.context);
    await em.flush();
    return { member: user, changed: true };
  });
}
