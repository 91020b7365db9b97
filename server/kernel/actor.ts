/**
 * The signed-in principal (its own leaf module: the audit trail and the SQL transaction seam name
 * it, and they must not import the HTTP layer that in turn reaches the database).
 */
import type { EmployeeRole } from '../../shared/roles';
import type { ICandidate } from './db/entities/Candidate';
import type { IUser } from './db/entities/User';

/** The signed-in principal of a request, loaded fresh from the database on every request. */
export type Actor =
  | { kind: 'employee'; id: number; user: IUser; roles: EmployeeRole[]; departmentId: number | null }
  | { kind: 'candidate'; id: number; candidate: ICandidate; invitationJobId: number | null };
