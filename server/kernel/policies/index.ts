import type { EmployeeRole } from '../../../shared/roles';
import { forbidden, notFound } from '../errors';
import type { Actor } from '../http/context';

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
  /**
   * Open one application on a candidate's profile (interviewer-facing): HR, the job's hiring
   * manager, a manager of the job's department, and reviewers assigned to the application
   * (named by HR or the pool, or the interviewer of a live booking). Never a candidate.
   */
  'candidate.profile': {
    hiringManagerId: number | null;
    jobDepartmentId: number;
    assignedReviewerIds: number[];
  };
  /** List candidates (HR: all, manager: own department). */
  'candidate.list': undefined;
  /** Invite a candidate to a job. */
  'invitation.create': { jobDepartmentId: number };
  /** Read an application (pipeline card, stage history): HR, the job department's manager, the candidate. */
  'application.read': { candidateId: number; jobDepartmentId: number };
  /** Decide on an application (advance, reject, ask for approvals) and edit job rules: HR. */
  'application.decide': undefined;
  /** Answer an offer: the candidate of the application. */
  'application.answer_offer': { candidateId: number };
  /** Book/reschedule/cancel a booking of a candidate's application: the candidate or HR. */
  'booking.manage': { candidateId: number; interviewerId: number | null };
  /** Mark a no-show: the booking's interviewer or HR. */
  'booking.mark': { candidateId: number; interviewerId: number | null };
  /** Read a booking: its candidate, its interviewer, or HR. */
  'booking.read': { candidateId: number; interviewerId: number | null };
  /**
   * An interview report's HR/reviewer view (scores, evidence, video, rating form): HR; the
   * manager of the job's department; an interviewer assigned to the application (booking
   * interviewer or explicit review assignment). Never a candidate.
   */
  'report.read': { jobDepartmentId: number; assignedReviewerIds: number[] };
  /** Rate a report's competencies: same people as `report.read`. */
  'report.rate': { jobDepartmentId: number; assignedReviewerIds: number[] };
  /** Release feedback to the candidate, assign reviewers, refit calibration: HR. */
  'report.manage': undefined;
  /** The candidate's own feedback, once HR released it. */
  'feedback.read': { candidateId: number; released: boolean };
  /** List interviews to review: HR, managers, interviewers (each sees their own scope). */
  'report.list': undefined;
  /** List jobs: HR (all), managers (their department's). */
  'job.list': undefined;
  /** Read one job: HR, the manager of its department. */
  'job.read': { departmentId: number };
  /**
   * Get a job's share link with one's own referrer token (内推): any employee, or a candidate
   * who applied to that job (`hasApplied`).
   */
  'job.share': { hasApplied: boolean };
  /** Create, edit, pause, close a job; its interviewer pool and interview plan; the question bank: HR. */
  'job.manage': undefined;
  /** Assign interviewers to review an application (by name or the pool's round-robin): HR. */
  'application.assign_reviewers': undefined;
  /** Add a candidate by hand: HR. */
  'candidate.create': undefined;
  /** Upload, preview and confirm a candidate import file: HR. */
  'candidate.import': undefined;
  /** List, resend, revoke and copy invitations: HR. */
  'invitation.manage': undefined;
  /** Ask for an accommodation on an application: its candidate. */
  'accommodation.request': { candidateId: number };
  /** Grant or decline an accommodation request: HR. */
  'accommodation.decide': undefined;
  /** See and act on the work queue (待办): HR. */
  'queue.manage': undefined;
  /** See the organisation mirrored from DingTalk (members, departments, roles): HR and admins. */
  'org.read': undefined;
  /** Sync the organisation now, grant and revoke roles: admins only. */
  'org.manage': undefined;
  /** Read and export the audit log: HR and admins. */
  'audit.read': undefined;
  /** Upload one's own résumé, set its talent-pool consent: the candidate themself. */
  'resume.own': { candidateId: number };
  /** Read a candidate's résumés and parsed profiles: the candidate themself, HR. */
  'resume.read': { candidateId: number };
  /** Upload for a candidate, correct profiles, screen résumés against a job and decide: HR. */
  'resume.manage': undefined;
  /** Hiring analytics (dashboards and their exports): HR (every department), managers (their own). */
  'analytics.read': undefined;
  /** Personal columns (name, mobile, e-mail) in analytics exports: HR. */
  'analytics.personal': undefined;
  /** A live round's outline and the list entry: its interviewer, the job's hiring manager, HR. */
  'liveround.read': { interviewerId: number | null; hiringManagerId: number | null };
  /** Fill in one's own scorecard of a live round: its interviewer and the job's hiring manager. */
  'liveround.rate': { interviewerId: number | null; hiringManagerId: number | null };
  /** Every rater's scorecard of a live round: HR and the job's hiring manager. */
  'liveround.read_all': { hiringManagerId: number | null };
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
    case 'candidate.profile': {
      const o = object as PolicyObjects['candidate.profile'];
      if (actor.kind !== 'employee') return false;
      if (isHr(actor) || actor.id === o.hiringManagerId) return true;
      if (actor.roles.includes('manager') && actor.departmentId === o.jobDepartmentId) return true;
      return o.assignedReviewerIds.includes(actor.id);
    }
    case 'invitation.create':
      return isHr(actor);
    case 'application.read': {
      const o = object as PolicyObjects['application.read'];
      if (actor.kind === 'candidate') return actor.id === o.candidateId;
      return isHr(actor) || (actor.roles.includes('manager') && actor.departmentId === o.jobDepartmentId);
    }
    case 'application.decide':
      return isHr(actor);
    case 'application.answer_offer': {
      const o = object as PolicyObjects['application.answer_offer'];
      return actor.kind === 'candidate' && actor.id === o.candidateId;
    }
    case 'booking.manage': {
      const o = object as PolicyObjects['booking.manage'];
      if (actor.kind === 'candidate') return actor.id === o.candidateId;
      return isHr(actor);
    }
    case 'booking.read': {
      const o = object as PolicyObjects['booking.read'];
      if (actor.kind === 'candidate') return actor.id === o.candidateId;
      return isHr(actor) || (o.interviewerId !== null && o.interviewerId === actor.id);
    }
    case 'booking.mark': {
      const o = object as PolicyObjects['booking.mark'];
      if (actor.kind === 'candidate') return false;
      return isHr(actor) || (o.interviewerId !== null && o.interviewerId === actor.id);
    }
    case 'report.read':
    case 'report.rate': {
      const o = object as PolicyObjects['report.read'];
      if (actor.kind === 'candidate') return false;
      if (isHr(actor)) return true;
      if (actor.roles.includes('manager') && actor.departmentId === o.jobDepartmentId) return true;
      return actor.roles.includes('interviewer') && o.assignedReviewerIds.includes(actor.id);
    }
    case 'report.manage':
      return isHr(actor);
    case 'feedback.read': {
      const o = object as PolicyObjects['feedback.read'];
      return actor.kind === 'candidate' && actor.id === o.candidateId && o.released;
    }
    case 'report.list':
      return (
        actor.kind === 'employee' &&
        actor.roles.some((r) => ['hr', 'admin', 'manager', 'interviewer'].includes(r))
      );
    case 'job.list':
      return isHr(actor) || (actor.kind === 'employee' && actor.roles.includes('manager'));
    case 'job.read': {
      const o = object as PolicyObjects['job.read'];
      if (actor.kind === 'candidate') return false;
      return isHr(actor) || (actor.roles.includes('manager') && actor.departmentId === o.departmentId);
    }
    case 'job.share': {
      const o = object as PolicyObjects['job.share'];
      return actor.kind === 'employee' || o.hasApplied;
    }
    case 'job.manage':
    case 'application.assign_reviewers':
      return isHr(actor);
    case 'candidate.create':
    case 'candidate.import':
    case 'invitation.manage':
    case 'accommodation.decide':
    case 'queue.manage':
      return isHr(actor);
    case 'accommodation.request': {
      const o = object as PolicyObjects['accommodation.request'];
      return actor.kind === 'candidate' && actor.id === o.candidateId;
    }
    case 'org.read':
    case 'audit.read':
      return isHr(actor);
    case 'analytics.read':
      return isHr(actor) || (actor.kind === 'employee' && actor.roles.includes('manager'));
    case 'analytics.personal':
      return isHr(actor);
    case 'org.manage':
      return actor.kind === 'employee' && actor.roles.includes('admin');
    case 'resume.own': {
      const o = object as PolicyObjects['resume.own'];
      return actor.kind === 'candidate' && actor.id === o.candidateId;
    }
    case 'resume.read': {
      const o = object as PolicyObjects['resume.read'];
      if (actor.kind === 'candidate') return actor.id === o.candidateId;
      return isHr(actor);
    }
    case 'resume.manage':
      return isHr(actor);
    case 'liveround.read':
    case 'liveround.rate': {
      const o = object as PolicyObjects['liveround.read'];
      if (actor.kind !== 'employee') return false;
      const rater = actor.id === o.interviewerId || actor.id === o.hiringManagerId;
      return rater || (action === 'liveround.read' && isHr(actor));
    }
    case 'liveround.read_all': {
      const o = object as PolicyObjects['liveround.read_all'];
      return isHr(actor) || (actor.kind === 'employee' && actor.id === o.hiringManagerId);
    }
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
