/**
 * The organisation as the product mirrors it from DingTalk, and the roles admins grant (issue 14
 * item 1): request schemas and response types of `/api/org/*`.
 */
import { z } from 'zod';
import { EMPLOYEE_ROLES, type EmployeeRole } from '../roles';

/** Query of `GET /api/org/members`. */
export const membersQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  role: z.enum([...EMPLOYEE_ROLES, 'none']).optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Body of `POST /api/org/members/:id/roles` (grant one role). */
export const grantRoleBody = z.strictObject({
  role: z.enum(EMPLOYEE_ROLES),
  /** For `manager`: the department they hire for (default: their own DingTalk department). */
  departmentId: z.number().int().positive().optional(),
});

/** A department as the product knows it. */
export interface DepartmentItem {
  id: number;
  dingtalkId: number;
  name: string;
  parentId: number | null;
  /** Set when DingTalk removed it (kept for history). */
  removedAt: string | null;
  memberCount: number;
}

/** One member of the organisation with the roles they hold in the product. */
export interface MemberItem {
  id: number;
  userid: string;
  name: string;
  title: string | null;
  department: { id: number; name: string } | null;
  /** The department a manager hires for (null unless they hold `manager`). */
  managedDepartment: { id: number; name: string } | null;
  roles: EmployeeRole[];
  active: boolean;
  lastSignInAt: string | null;
}

/** Response of `GET /api/org/members`. */
export interface MembersResponse {
  total: number;
  items: MemberItem[];
}

/** Response of `GET /api/org/departments`. */
export interface DepartmentsResponse {
  items: DepartmentItem[];
}

/** What a sync changed. */
export interface SyncCounts {
  departmentsCreated: number;
  departmentsUpdated: number;
  departmentsRemoved: number;
  membersCreated: number;
  membersUpdated: number;
  membersDeactivated: number;
}

/** Response of `POST /api/org/sync` and part of `GET /api/org/status`. */
export interface SyncResult extends SyncCounts {
  at: string;
}

/** Response of `GET /api/org/status`. */
export interface OrgStatusResponse {
  lastSync: (SyncResult & { byName: string | null }) | null;
  departments: number;
  members: number;
  /** Active members holding no role yet (they cannot sign in until an admin grants one). */
  withoutRole: number;
  admins: Array<{ id: number; name: string }>;
}

/** Response of role grant and revoke: the member after the change. */
export interface RoleChangeResponse {
  member: MemberItem;
  /** False when the member already had (grant) or lacked (revoke) the role: nothing written. */
  changed: boolean;
}
