/**
 * The signed-in principal (its own leaf module: the audit trail and the SQL transaction seam name
 * it, and they must not import the HTTP layer that in turn reaches the database).
 */
import type { EmployeeRole } from '../../shared/roles';
import type { IUser } from './db/entities/User';

/**
 * What a request knows of the signed-in candidate: the columns of their row that sessions and
 * `/api/me` need, read by one plain-SQL query in `requireAuth`. Not an entity on purpose: hydrating
 * one cost about a tenth of a web process's CPU on the hottest candidate call (the upload grant,
 * BENCHMARKS.md load). Code that needs more of the person loads the entity itself
 * (`em.findOne(Candidate, { id: actor.id })`); a `Candidate` entity satisfies this type too.
 */
export interface CandidateSession {
  id: number;
  name: string;
  locale: string;
  sessionGeneration: number;
}

/** The signed-in principal of a request, loaded fresh from the database on every request. */
export type Actor =
  | { kind: 'employee'; id: number; user: IUser; roles: EmployeeRole[]; departmentId: number | null }
  | { kind: 'candidate'; id: number; candidate: CandidateSession; invitationJobId: number | null };
