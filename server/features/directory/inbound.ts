/**
 * DingTalk's address-book events as the directory applies them (reference §11), over Stream and
 * the HTTP callback alike, recorded once per event like the approval events. Every event is only a hint
 * (reference §11: at-least-once, possibly out of order, and a body can be forged or replayed):
 * each named employee is re-read through the API, and only one DingTalk no longer knows loses
 * access, at once.
 */
import { audit } from '../../kernel/audit';
import { Department } from '../../kernel/db/entities/Department';
import type { InboundDeps, InboundDingTalkEvent, InboundEventHandler } from '../../kernel/events/inbound';
import type { DingTalkDepartment, DingTalkUserDetail } from '../../kernel/integrations/dingtalk';
import { DingTalkError } from '../../kernel/integrations/dingtalk/errors';
import { markDepartmentRemoved, upsertDepartment, upsertMember } from './organisation';
import { deactivateEmployee } from './sessions';

/** The userids an address-book event names (`UserId` is a list; a single string is accepted). */
export function userIdsOf(e: InboundDingTalkEvent): string[] {
  const raw = e.data.UserId ?? e.data.userId ?? e.data.userid;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return [...new Set(list.filter((u): u is string => typeof u === 'string' && u.length > 0))].slice(0, 100);
}

/** Which of the named employees DingTalk no longer has (read with `/topapi/v2/user/get`). */
async function departed(e: InboundDingTalkEvent, deps: InboundDeps): Promise<string[]> {
  const gone: string[] = [];
  for (const userid of userIdsOf(e)) {
    try {
      await deps.dingtalk.identity.userDetail(userid);
    } catch (err) {
      if (err instanceof DingTalkError && err.kind === 'not_found') gone.push(userid);
      else throw err; // throttled or down: redelivered, decided later
    }
  }
  return gone;
}

/** The directory's handler of `user_leave_org` (declared in the feature's index). */
export const addressBookEvents: InboundEventHandler = {
  eventTypes: ['user_leave_org'],
  dedupeKey: (e) =>
    e.eventId
      ? `user_leave_org:${e.eventId}`
      : `user_leave_org:${userIdsOf(e).join(',')}:${String(e.data.TimeStamp ?? '')}`.slice(0, 190),
  prepare: departed,
  async apply(em, e, _deps, facts) {
    const gone = (facts as string[]) ?? [];
    // Everyone named is still a member: the body claims what DingTalk does not show (forged, or
    // DingTalk a moment behind). Nothing is recorded, so a genuine event is not a duplicate.
    if (!gone.length && userIdsOf(e).length)
      throw new Error('user_leave_org: DingTalk still lists every named employee');
    let n = 0;
    for (const userid of gone) if (await deactivateEmployee(em, userid, 'left_organisation')) n++;
    return n
      ? { result: 'applied', detail: `deactivated ${n}` }
      : { result: 'ignored', detail: 'nobody named has left (per DingTalk)' };
  },
};

/** The department ids an address-book event names (`DeptId` is a list; a single value is accepted). */
export function deptIdsOf(e: InboundDingTalkEvent): number[] {
  const raw = e.data.DeptId ?? e.data.deptId;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return [...new Set(list.map(Number).filter((n) => Number.isInteger(n) && n > 0))].slice(0, 100);
}

/** The key an address-book event is recorded under: its eventId, else what it names and when. */
function addressBookKey(e: InboundDingTalkEvent, names: string): string {
  return (
    e.eventId ? `${e.eventType}:${e.eventId}` : `${e.eventType}:${names}:${String(e.data.TimeStamp ?? '')}`
  ).slice(0, 190);
}

/** What DingTalk says about the members an event names (null: no longer a member). */
interface MemberFacts {
  members: Array<{ userid: string; detail: DingTalkUserDetail | null }>;
  departments: DingTalkDepartment[];
}

/** Re-reads each named member, and the departments they are in, from DingTalk. */
async function readMembers(e: InboundDingTalkEvent, deps: InboundDeps): Promise<MemberFacts> {
  const members: MemberFacts['members'] = [];
  const deptIds = new Set<number>();
  for (const userid of userIdsOf(e)) {
    try {
      const detail = await deps.dingtalk.identity.userDetail(userid);
      members.push({ userid, detail });
      for (const d of detail.deptIds) deptIds.add(d);
    } catch (err) {
      if (err instanceof DingTalkError && err.kind === 'not_found') members.push({ userid, detail: null });
      else throw err;
    }
  }
  return { members, departments: await readDepartments([...deptIds], deps) };
}

/** Reads departments (skipping those DingTalk no longer has), parents before children. */
async function readDepartments(ids: number[], deps: InboundDeps): Promise<DingTalkDepartment[]> {
  const out: DingTalkDepartment[] = [];
  for (const id of ids) {
    try {
      out.push(await deps.dingtalk.contacts.department(id));
    } catch (err) {
      if (!(err instanceof DingTalkError && err.kind === 'not_found')) throw err;
    }
  }
  return out;
}

/**
 * `user_add_org` and `user_modify_org`: the named members are re-read and written as DingTalk
 * has them now (name, title, mobile, department); a newcomer holds no role until an admin grants
 * one. A member DingTalk no longer has is left to `user_leave_org`.
 */
export const memberEvents: InboundEventHandler = {
  eventTypes: ['user_add_org', 'user_modify_org'],
  dedupeKey: (e) => addressBookKey(e, userIdsOf(e).join(',')),
  prepare: readMembers,
  async apply(em, e, _deps, facts) {
    const f = facts as MemberFacts;
    for (const d of f.departments) await upsertDepartment(em, d);
    await em.flush();
    let created = 0;
    let updated = 0;
    for (const m of f.members) {
      if (!m.detail) continue;
      const { change, row } = await upsertMember(em, m.detail);
      if (change === 'same') continue;
      await em.flush();
      if (change === 'created') created++;
      else updated++;
      audit(
        em,
        null,
        change === 'created' ? 'user.joined' : 'user.synced',
        { type: 'user', id: row.id },
        {
          event: e.eventType,
        },
      );
    }
    await em.flush();
    return created + updated
      ? { result: 'applied', detail: `created ${created}, updated ${updated}` }
      : { result: 'ignored', detail: 'nothing changed (per DingTalk)' };
  },
};

/** What DingTalk says about the departments an event names (null: gone). */
type DeptFacts = Array<{ deptId: number; dept: DingTalkDepartment | null }>;

async function readNamedDepartments(e: InboundDingTalkEvent, deps: InboundDeps): Promise<DeptFacts> {
  const out: DeptFacts = [];
  for (const deptId of deptIdsOf(e)) {
    try {
      out.push({ deptId, dept: await deps.dingtalk.contacts.department(deptId) });
    } catch (err) {
      if (err instanceof DingTalkError && err.kind === 'not_found') out.push({ deptId, dept: null });
      else throw err;
    }
  }
  return out;
}

/**
 * `org_dept_create`, `org_dept_modify`, `org_dept_remove`: each named department is re-read; one
 * DingTalk has is written as it is now (whatever the event type claims), one it no longer has is
 * marked removed. A removal DingTalk does not confirm is refused (redelivered, then given up),
 * like a `user_leave_org` for someone still in the organisation.
 */
export const departmentEvents: InboundEventHandler = {
  eventTypes: ['org_dept_create', 'org_dept_modify', 'org_dept_remove'],
  dedupeKey: (e) => addressBookKey(e, deptIdsOf(e).join(',')),
  prepare: readNamedDepartments,
  async apply(em, e, _deps, facts) {
    const f = (facts as DeptFacts) ?? [];
    if (e.eventType === 'org_dept_remove' && f.length && f.every((x) => x.dept))
      throw new Error('org_dept_remove: DingTalk still lists every named department');
    let n = 0;
    for (const { deptId, dept } of f) {
      if (dept) {
        const { change, row } = await upsertDepartment(em, dept);
        if (change === 'same') continue;
        await em.flush();
        n++;
        audit(
          em,
          null,
          change === 'created' ? 'department.created' : 'department.updated',
          {
            type: 'department',
            id: row.id,
          },
          { name: row.name },
        );
      } else {
        const row = await em.findOne(Department, { dingtalkId: deptId });
        if (row && markDepartmentRemoved(row, new Date())) {
          n++;
          audit(em, null, 'department.removed', { type: 'department', id: row.id }, { name: row.name });
        }
      }
    }
    await em.flush();
    return n
      ? { result: 'applied', detail: `departments changed ${n}` }
      : { result: 'ignored', detail: 'no change' };
  },
};
