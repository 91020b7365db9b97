/**
 * Writes on interview reports: ratings (which feed calibration), releasing feedback to the
 * candidate, reviewer assignments, and the candidate's requests for an explanation or a human
 * review (a task for HR with a due date). Each in one transaction with its audit row.
 */
import { audit } from '../../kernel/audit';
import { Booking } from '../../kernel/db/entities/Booking';
import { Job } from '../../kernel/db/entities/Job';
import { QueueClosure } from '../../kernel/db/entities/QueueClosure';
import {
  type IInterviewReport,
  InterviewReport,
  type IReviewTask,
  ReportRating,
  ReviewAssignment,
  ReviewTask,
} from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertCan } from '../../kernel/policies';

/** Request context recorded with audit rows. */
export interface AuditCtx {
  ip?: string;
  requestId?: string;
}

/** Days HR has to answer a candidate's request. */
export const REQUEST_DUE_DAYS = 5;

/** The facts `report.read` needs: the job's department and who is assigned to review. */
export async function reportAccess(em: Em, report: IInterviewReport) {
  const job = await em.findOneOrFail(Job, { id: report.jobId });
  const bookings = await em.find(Booking, { application: report.application.id, interviewer: { $ne: null } });
  const assigned = await em.find(ReviewAssignment, { application: report.application.id });
  return {
    jobDepartmentId: job.department.id,
    assignedReviewerIds: [
      ...new Set([
        ...bookings.filter((b) => b.status !== 'cancelled').map((b) => (b.interviewer as { id: number }).id),
        ...assigned.map((a) => a.reviewer.id),
      ]),
    ],
  };
}

/** Loads a report the actor may read (404 otherwise, so ids cannot be probed). */
export async function loadReadableReport(
  em: Em,
  actor: Actor,
  id: number,
  action: 'report.read' | 'report.rate' = 'report.read',
) {
  const report = await em.findOne(InterviewReport, { id });
  if (!report) throw notFound('Report');
  assertCan(actor, action, await reportAccess(em, report), 'Report');
  return report;
}

/** Props of {@link rateReport}. */
export interface RateReportProps {
  actor: Actor & { kind: 'employee' };
  reportId: number;
  ratings: Array<{ competency: string; score: number }>;
  comment?: string;
  context?: AuditCtx;
}

/** Upserts the reviewer's 1-5 rating per competency (one row per reviewer and competency). */
export async function rateReport(em: Em, p: RateReportProps) {
  return em.transactional(async (tx) => {
    const report = await loadReadableReport(tx, p.actor, p.reportId, 'report.rate');
    const names = new Set(report.competencies.map((c) => c.name));
    for (const r of p.ratings)
      if (names.size && !names.has(r.competency))
        throw badRequest(
          'unknown_competency',
          `ratings.competency: "${r.competency}" is not a competency of this report`,
        );
    const reviewer = await tx.findOneOrFail(User, { id: p.actor.id });
    for (const r of p.ratings) {
      const row = await tx.findOne(ReportRating, { report, reviewer, competency: r.competency });
      if (row) Object.assign(row, { score: r.score, comment: p.comment ?? row.comment });
      else
        tx.create(ReportRating, {
          report,
          reviewer,
          competency: r.competency,
          score: r.score,
          comment: p.comment ?? null,
        } as never);
    }
    audit(
      tx,
      p.actor,
      'report.rated',
      { type: 'interview_report', id: report.id },
      { ratings: p.ratings },
      p.context,
    );
    await tx.flush();
    return tx.find(ReportRating, { report }, { populate: ['reviewer'], orderBy: { id: 'asc' } });
  });
}

/** Releases the candidate's feedback (HR). Releasing twice keeps the first time. */
export async function releaseReport(
  em: Em,
  p: { actor: Actor; reportId: number; now: Date; context?: AuditCtx },
) {
  return em.transactional(async (tx) => {
    assertCan(p.actor, 'report.manage', undefined);
    const report = await tx.findOne(InterviewReport, { id: p.reportId });
    if (!report) throw notFound('Report');
    if (!report.releasedAt) {
      report.releasedAt = p.now;
      report.releasedById = p.actor.id;
      audit(tx, p.actor, 'report.released', { type: 'interview_report', id: report.id }, null, p.context);
    }
    await tx.flush();
    return report;
  });
}

/** Assigns a reviewer (an employee with the interviewer role) to the report's application (HR). */
export async function assignReviewer(
  em: Em,
  p: { actor: Actor; reportId: number; userId: number; context?: AuditCtx },
) {
  return em.transactional(async (tx) => {
    assertCan(p.actor, 'report.manage', undefined);
    const report = await tx.findOne(InterviewReport, { id: p.reportId });
    if (!report) throw notFound('Report');
    const user = await tx.findOne(User, { id: p.userId });
    if (!user) throw badRequest('unknown_user', 'userId: no such employee');
    const exists = await tx.findOne(ReviewAssignment, { application: report.application.id, reviewer: user });
    if (!exists) {
      tx.create(ReviewAssignment, {
        application: report.application.id,
        reviewer: user,
        assignedById: p.actor.id,
      } as never);
      audit(
        tx,
        p.actor,
        'report.reviewer_assigned',
        { type: 'interview_report', id: report.id },
        { userId: user.id },
        p.context,
      );
    }
    await tx.flush();
    return { reportId: report.id, userId: user.id };
  });
}

/** Props of {@link requestFeedbackReview}. */
export interface FeedbackRequestProps {
  actor: Actor & { kind: 'candidate' };
  reportId: number;
  kind: 'explanation' | 'human_review';
  message: string;
  now: Date;
  context?: AuditCtx;
}

/**
 * The candidate asks for an explanation or a human review of their released feedback: a task
 * for HR due in {@link REQUEST_DUE_DAYS} days. One open request per kind (409 for a second).
 */
export async function requestFeedbackReview(em: Em, p: FeedbackRequestProps) {
  return em.transactional(async (tx) => {
    const report = await tx.findOne(InterviewReport, { id: p.reportId });
    assertCan(
      p.actor,
      'feedback.read',
      { candidateId: report?.candidateId ?? -1, released: !!report?.releasedAt },
      'Report',
    );
    if (!report) throw notFound('Report');
    const open = await tx.findOne(ReviewTask, {
      report,
      kind: p.kind,
      status: 'open',
      requestedByCandidateId: p.actor.id,
    });
    if (open)
      throw conflict(
        'request_open',
        'You already have an open request of this kind; HR will answer by its due date',
        { dueAt: open.dueAt.toISOString() },
      );
    const n = await tx.count(ReviewTask, { report, kind: p.kind });
    const task = tx.create(ReviewTask, {
      key: `report:${report.id}:${p.kind}:${n + 1}`,
      application: report.application,
      report,
      kind: p.kind,
      reason: p.message,
      requestedByCandidateId: p.actor.id,
      dueAt: new Date(p.now.getTime() + REQUEST_DUE_DAYS * 86_400_000),
    } as never);
    audit(
      tx,
      p.actor,
      `feedback.${p.kind}_requested`,
      { type: 'interview_report', id: report.id },
      null,
      p.context,
    );
    await tx.flush();
    return task;
  });
}

/**
 * HR's answers to a candidate's closed requests, by task id: the note HR wrote when closing the
 * request from the queue (the same words the candidate's message carried), so the feedback
 * screen shows the answer next to the question instead of dropping the request once it is done.
 */
export async function requestAnswers(em: Em, tasks: IReviewTask[]): Promise<Map<number, string>> {
  const done = tasks.filter((t) => t.status === 'done');
  if (!done.length) return new Map();
  const closures = await em.find(QueueClosure, { itemKey: { $in: done.map((t) => `task:${t.id}`) } });
  return new Map(closures.map((c) => [Number(c.itemKey.slice('task:'.length)), c.note]));
}
