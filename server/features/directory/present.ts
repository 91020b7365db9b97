/** Organisation rows -> the `shared/api/organisation` contract. */
import type { DepartmentItem, MemberItem } from '../../../shared/api/organisation';
import type { IDepartment } from '../../kernel/db/entities/Department';
import type { IUser } from '../../kernel/db/entities/User';

/** A member with the roles they hold (department relations must be loaded). */
export function presentMember(u: IUser): MemberItem {
  return {
    id: u.id,
    userid: u.dingtalkUserId,
    name: u.name,
    title: u.title ?? null,
    department: u.department ? { id: u.department.id, name: u.department.name } : null,
    managedDepartment:
      u.roles.includes('manager') && u.managedDepartment
        ? { id: u.managedDepartment.id, name: u.managedDepartment.name }
        : null,
    roles: [...u.roles],
    active: u.active,
    lastSignInAt: u.lastSignInAt ? u.lastSignInAt.toISOString() : null,
  };
}

/** A department with its count of active members. */
export function presentDepartment(d: IDepartment, memberCount: number): DepartmentItem {
  return {
    id: d.id,
    dingtalkId: d.dingtalkId,
    name: d.name,
    parentId: d.parent?.id ?? null,
    removedAt: d.removedAt ? d.removedAt.toISOString() : null,
    memberCount,
  };
}
