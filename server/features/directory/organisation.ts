/**
 * The organisation mirrored from DingTalk (issue 14 item 1). DingTalk is the source of truth for
 * who is in the organisation and in which department; the product keeps only what it needs
 * (names, departments, who leads) plus the roles an admin grants, which DingTalk knows nothing of.
 *
 * Reads from DingTalk happen before a transaction opens (no lock held across the network);
 * writes are applied in one transaction behind the organisation lock, so a sync, an address-book
 * event and a role change never interleave.
 */

import type { SyncCounts } from '../../../shared/api/organisation';
import type { Actor } from '../../kernel/actor';
import { audit } from '../../kernel/audit';
import { Department, type IDepartment } from '../../kernel/db/entities/Department';
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import { type IUser, User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import type { DingTalk, DingTalkDepartment, DingTalkMember } from '../../kernel/integrations/dingtalk';
import { DingTalkError } from '../../kernel/integrations/dingtalk';
import { deactivateEmployee } from './sessions';

/** The organisation as DingTalk lists it at one moment. */
export interface OrgSnapshot {
  departments: DingTalkDepartment[];
  members: DingTalkMember[];
}

/** Reads every department and member from DingTalk (the slow part of a sync, done unlocked). */
export async function readOrganisation(dingtalk: DingTalk): Promise<OrgSnapshot> {
  const departments = await dingtalk.contacts.allDepartments();
  const byUser = new Map<string, DingTalkMember>();
  for (const d of departments)
    for (const m of await dingtalk.contacts.members(d.deptId)) {
      // A member of several departments is listed in each; keep one record with all of them.
      const seen = byUser.get(m.userid);
      if (seen) seen.deptIds = [...new Set([...seen.deptIds, ...m.deptIds])];
      else byUser.set(m.userid, { ...m });
    }
  return { departments, members: [...byUser.values()] };
}

/**
 * Serialises writes to the organisation: the first statement of the transaction writes the
 * settings row, so on MySQL a second writer waits on its row lock and on SQLite on the write lock,
 * until the first commits. Role changes rely on it for the "last admin" rule.
 */
export async function lockOrganisation(em: Em, corpId: string, orgName: string): Promise<void> {
  const n = await em.nativeUpdate(OrgSettings, { corpId }, { updatedAt: new Date() });
  if (n === 0) {
    em.create(OrgSettings, { corpId, name: orgName });
    await em.flush();
  }
}

/** Creates or updates one department; returns what happened. */
export async function upsertDepartment(
  em: Em,
  d: DingTalkDepartment,
): Promise<{ row: IDepartment; change: 'created' | 'updated' | 'same' }> {
  const parent = d.parentId === null ? null : await em.findOne(Department, { dingtalkId: d.parentId });
  let row = await em.findOne(Department, { dingtalkId: d.deptId });
  if (!row) {
    row = em.create(Department, { dingtalkId: d.deptId, name: d.name, parent, removedAt: null });
    return { row, change: 'created' };
  }
  const changed =
    row.name !== d.name || (row.parent?.id ?? null) !== (parent?.id ?? null) || row.removedAt !== null;
  if (changed) {
    row.name = d.name;
    row.parent = parent;
    row.removedAt = null;
  }
  return { row, change: changed ? 'updated' : 'same' };
}

/**
 * Creates or updates one member from DingTalk's record. A newcomer holds no role (no access
 * until an admin grants one). Someone who had left and is back is turned on again with no roles:
 * whatever they could do before is granted afresh.
 */
export async function upsertMember(
  em: Em,
  m: Pick<DingTalkMember, 'userid' | 'unionid' | 'name' | 'mobile' | 'title' | 'deptIds'>,
): Promise<{ row: IUser; change: 'created' | 'updated' | 'same' }> {
  const department = m.deptIds.length ? await em.findOne(Department, { dingtalkId: m.deptIds[0] }) : null;
  let row = await em.findOne(User, { dingtalkUserId: m.userid });
  if (!row) {
    row = em.create(User, {
      dingtalkUserId: m.userid,
      unionId: m.unionid,
      name: m.name,
      mobile: m.mobile,
      title: m.title,
      department,
      roles: [],
    });
    return { row, change: 'created' };
  }
  let changed = false;
  const set = <K extends 'name' | 'mobile' | 'title'>(k: K, v: IUser[K]) => {
    if (row[k] !== v) {
      row[k] = v;
      changed = true;
    }
  };
  set('name', m.name);
  set('mobile', m.mobile);
  set('title', m.title);
  if (m.unionid && row.unionId !== m.unionid) {
    row.unionId = m.unionid;
    changed = true;
  }
  if ((row.department?.id ?? null) !== (department?.id ?? null)) {
    row.department = department;
    changed = true;
  }
  if (!row.active) {
    row.active = true;
    row.roles = [];
    row.managedDepartment = null;
    changed = true;
  }
  return { row, change: changed ? 'updated' : 'same' };
}

/** Marks a department DingTalk no longer has as removed (the row stays for history). */
export function markDepartmentRemoved(row: IDepartment, now: Date): boolean {
  if (row.removedAt) return false;
  row.removedAt = now;
  return true;
}

/**
 * Applies a snapshot in the caller's transaction (after {@link lockOrganisation}): departments
 * parents first, then members; departments missing from DingTalk are marked removed, and active
 * members missing from it are deactivated only when `confirmedGone` (re-read one by one) says so,
 * so a short or failed listing never locks people out.
 */
export async function applySnapshot(
  em: Em,
  snap: OrgSnapshot,
  confirmedGone: ReadonlySet<string>,
  actor: Actor | null,
  now: Date,
): Promise<SyncCounts> {
  const counts: SyncCounts = {
    departmentsCreated: 0,
    departmentsUpdated: 0,
    departmentsRemoved: 0,
    membersCreated: 0,
    membersUpdated: 0,
    membersDeactivated: 0,
  };
  for (const d of snap.departments) {
    const { change } = await upsertDepartment(em, d);
    if (change === 'created') counts.departmentsCreated++;
    if (change === 'updated') counts.departmentsUpdated++;
    // Children look their parent up by dingtalkId: make it visible before they do.
    if (change !== 'same') await em.flush();
  }
  const listed = new Set(snap.departments.map((d) => d.deptId));
  for (const row of await em.find(Department, { removedAt: null })) {
    if (!listed.has(row.dingtalkId) && markDepartmentRemoved(row, now)) {
      counts.departmentsRemoved++;
      audit(em, actor, 'department.removed', { type: 'department', id: row.id }, { name: row.name });
    }
  }
  for (const m of snap.members) {
    const { change, row } = await upsertMember(em, m);
    if (change === 'created') counts.membersCreated++;
    if (change === 'updated') {
      counts.membersUpdated++;
      await em.flush();
      audit(em, actor, 'user.synced', { type: 'user', id: row.id }, { name: row.name });
    }
  }
  await em.flush();
  for (const userid of confirmedGone)
    if (await deactivateEmployee(em, userid, 'left_organisation')) counts.membersDeactivated++;
  return counts;
}

/**
 * Of the active employees missing from the snapshot, those DingTalk confirms are gone (`user/get`
 * answers "not found"). Any other failure is thrown: the sync fails rather than guessing.
 */
export async function confirmDeparted(em: Em, dingtalk: DingTalk, snap: OrgSnapshot): Promise<Set<string>> {
  const listed = new Set(snap.members.map((m) => m.userid));
  const missing = (await em.find(User, { active: true }, { fields: ['dingtalkUserId'] }))
    .map((u) => u.dingtalkUserId)
    .filter((u) => !listed.has(u));
  const gone = new Set<string>();
  for (const userid of missing) {
    try {
      await dingtalk.identity.userDetail(userid);
    } catch (err) {
      if (err instanceof DingTalkError && err.kind === 'not_found') gone.add(userid);
      else throw err;
    }
  }
  return gone;
}
