import type { EmployeeRole } from '../../shared/roles';
import { forbidden, notFound } from '../errors';
import type { Actor } from '../http';

/**
 * Who may do what to which object. Routes load the facts about the object (its owner, its
 * departments, its assignments) and ask here; nothing else decides access. Later issues add
 * actions (bookings, answers, reports, approvals) to the same table.
 */
export interface PolicyObjects {
  /** Employee holds any of the roles. */
  'role.any': { roles: EmployeeRole[] };
  /** HR-only screens and routes (job setup, all candidates, invitations). */
  'hr.access': undefined;
  /** Read a candidate's profile. `departmentIds` = departments of the jobs they applied to. */
  'candidate.read': { candidateId: number; departmentIds: number[]; assignedInterviewerIds: number[] };
  /** List candidates (HR: all, manager: own department). */
  'candidate.list': undefined;
  /** Invite a candidate to a job. */
  'invitation.create': { jobDepartmentId: number };
}
/** A policy action name. */
export type PolicyAction = keyof PolicyObjects;

const isHr = (a: Actor) => a.kind === 'employee' && (a.roles.includes('hr') || a.roles.includes('admin'));

/** True when `actor` may perform `action` on `object`. Pure: no I/O. */
export function can<A extends PolicyAction>(actor: Actor, action: A, object: PolicyObjects[A]): boolean {
  switch (action) {
    case 'role.any': {
      const { roles } = object as PolicyObjects['role.any'];
      return actor.kind === 'employee' && actor.roles.some((r) => roles.includes(r));
    }
    case 'hr.access':
      return isHr(actor);
    case 'candidate.list':
      return isHr(actor) || (actor.kind === 'employee' && actor.roles.includes('manager'));
    case 'candidate.read': {
      const o = object as PolicyObjects['candidate.read'];
      if (actor.kind === 'candidate') return actor.id === o.candidateId;
      if (isHr(actor)) return true;
      if (
        actor.roles.includes('manager') &&
        actor.departmentId !== null &&
        o.departmentIds.includes(actor.departmentId)
      )
        return true;
      if (actor.roles.includes('interviewer') && o.assignedInterviewerIds.includes(actor.id)) return true;
      return false;
    }
    case 'invitation.create':
      return isHr(actor);
    default:
      return false;
  }
}

/**
 * Throws when the actor may not act. For reads of a specific object, pass `hideAs` so a
 * stranger gets 404 (not 403) and cannot probe which ids exist.
 */
export function assertCan<A extends PolicyAction>(
  actor: Actor,
  action: A,
  object: PolicyObjects[A],
  hideAs?: string,
): void {
  if (can(actor, action, object)) return;
  if (hideAs) throw notFound(hideAs);
  throw forbidden('forbidden', `You are not allowed to ${action.replace('.', ' ')}`);
}
