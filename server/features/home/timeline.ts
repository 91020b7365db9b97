/**
 * The candidate's progress timeline (issue 16 item 7, issue 19 item 2): applied, invited, booked
 * (booked-window plans only), interviewed, under review, decision, each with the instant it was
 * reached, read from the rows that record it (application, invitation, booking, session, report,
 * approvals), and the next step with when to expect it. Nothing here is stored: the timeline is
 * always what the rows say now.
 */
import type {
  CandidateTimelineResponse,
  TimelineDecision,
  TimelineNext,
  TimelineStep,
  TimelineStepKey,
} from '../../../shared/api/home';
import { routes } from '../../../shared/routes';
import type { Stage } from '../../../shared/stages';
import type { Actor } from '../../kernel/actor';
import { Application, type IApplication } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Booking } from '../../kernel/db/entities/Booking';
import { InterviewSession } from '../../kernel/db/entities/InterviewSession';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { InterviewReport, ReviewTask } from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import { forbidden, notFound } from '../../kernel/errors';
import { assertCan } from '../../kernel/policies';
import { STALE_APPROVAL_DUE_HOURS } from '../queue';
import { REVIEW_DUE_DAYS } from '../scoring';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** Stages at which the first-round decision is made, and what the candidate reads for each. */
const DECISIONS: Partial<Record<Stage, TimelineDecision>> = {
  second_round: 'advanced',
  second_round_booked: 'advanced',
  second_round_done: 'advanced',
  // An offer approval is still the hiring team's business: to the candidate they advanced.
  offer_approval: 'advanced',
  offer_sent: 'offer',
  accepted: 'offer',
  onboarding: 'hired',
  hired: 'hired',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

/** Stages that say the report exists and people are looking at it. */
const REVIEW_STAGES: readonly Stage[] = ['scored', 'in_review'];

/**
 * The application the timeline is about: the one named (it must be the caller's own, else 404
 * as if it did not exist), else the invitation's, else the candidate's latest.
 */
async function applicationFor(em: Em, actor: Actor, applicationId?: number): Promise<IApplication> {
  if (actor.kind !== 'candidate') throw forbidden('forbidden', 'The progress timeline is for candidates');
  const where =
    applicationId !== undefined
      ? { id: applicationId, candidate: actor.id }
      : actor.invitationJobId !== null
        ? { candidate: actor.id, job: actor.invitationJobId }
        : { candidate: actor.id };
  const app = await em.findOne(Application, where, { populate: ['job'], orderBy: { id: 'desc' } });
  // Someone else's application is "not found": its existence is not the caller's to learn.
  if (!app) throw notFound('Application');
  assertCan(actor, 'application.read', {
    candidateId: app.candidate.id,
    jobDepartmentId: app.job.department.id,
  });
  return app;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const earliest = (...ds: Array<Date | null | undefined>) =>
  ds.filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;

/** What {@link computeTimeline} reads: the facts, already loaded. Pure, so every case is a table test. */
export interface TimelineFacts {
  applicationId: number;
  stage: Stage;
  stageChangedAt: Date;
  appliedAt: Date;
  deadlineAt: Date | null;
  invitedAt: Date | null;
  /** The plan is taken in a booked window (the timeline then has a `booked` step). */
  bookedMode: boolean;
  /** The active (or completed) AI-interview booking: when made, and its slot. */
  booking: { createdAt: Date; startAt: Date } | null;
  session: { status: 'open' | 'submitted' | 'withdrawn'; startedAt: Date; submittedAt: Date | null } | null;
  report: { createdAt: Date; releasedAt: Date | null } | null;
  /** Earliest due date of the open review tasks (quality, person-only, human review). */
  reviewDueAt: Date | null;
  /** The first-round approval (second round): when started and, if decided, when. */
  approval: { startedAt: Date; decidedAt: Date | null; open: boolean } | null;
  now: Date;
}

/** The timeline from the facts (see {@link TimelineFacts}). */
export function computeTimeline(f: TimelineFacts): Omit<CandidateTimelineResponse, 'job' | 'timezone'> {
  const decision = DECISIONS[f.stage] ?? null;
  const decidedAt = decision
    ? decision === 'advanced' || decision === 'offer' || decision === 'hired'
      ? (f.approval?.decidedAt ?? f.stageChangedAt)
      : f.stageChangedAt
    : null;
  const interviewedAt = f.session?.status === 'submitted' ? f.session.submittedAt : null;
  const reviewAt =
    f.report?.createdAt ?? (REVIEW_STAGES.includes(f.stage) && interviewedAt ? interviewedAt : null);
  const reached: Array<[TimelineStepKey, Date | null]> = [
    ['applied', f.appliedAt],
    // Every application starts as an invitation; the invitation row dates it when there is one.
    ['invited', f.invitedAt ?? f.appliedAt],
    ...(f.bookedMode ? [['booked', f.booking?.createdAt ?? null] as [TimelineStepKey, Date | null]] : []),
    ['interviewed', interviewedAt],
    ['under_review', reviewAt],
    ['decision', decidedAt],
  ];
  let current = 0;
  reached.forEach(([, at], i) => {
    if (at) current = i;
  });
  const steps: TimelineStep[] = reached.map(([key, at], i) => ({
    key,
    at: iso(at),
    state: i === current ? 'current' : at ? 'done' : i < current ? 'skipped' : 'todo',
  }));
  const currentKey = reached[current][0];
  const next = nextOf(f, currentKey, decision);
  return {
    applicationId: f.applicationId,
    steps,
    current: currentKey,
    decision,
    next,
    decisionExpectedBy: decisionExpectedBy(f, currentKey, decision, next),
    reviewDays: REVIEW_DUE_DAYS,
  };
}

/**
 * When the decision is expected, for the candidate who has been interviewed: under review, the
 * next step's date (review task due, approval, or report + SLA); interviewed and the report not
 * yet written (minutes, by the worker), the submission plus the SLA, the date the review would
 * be due if the report were written now.
 */
function decisionExpectedBy(
  f: TimelineFacts,
  current: TimelineStepKey,
  decision: TimelineDecision | null,
  next: TimelineNext,
): string | null {
  if (decision) return null;
  if (current === 'under_review') return next.expectedBy;
  if (current === 'interviewed' && f.session?.submittedAt)
    return iso(new Date(f.session.submittedAt.getTime() + REVIEW_DUE_DAYS * DAY_MS));
  return null;
}

function nextOf(f: TimelineFacts, current: TimelineStepKey, decision: TimelineDecision | null): TimelineNext {
  const byDeadline = { expectedBy: iso(f.deadlineAt), basis: f.deadlineAt ? ('deadline' as const) : null };
  if (decision) {
    const feedback = f.report?.releasedAt ? routes.feedback() : null;
    switch (f.stage) {
      case 'second_round':
        return {
          step: null,
          action: 'book_second_round',
          expectedBy: null,
          basis: null,
          link: routes.book(f.applicationId, 'second_round'),
        };
      case 'second_round_booked':
        return {
          step: null,
          action: 'second_round',
          expectedBy: null,
          basis: null,
          link: routes.myBookings(),
        };
      case 'offer_sent':
        return { step: null, action: 'answer_offer', expectedBy: null, basis: null, link: routes.offer() };
      default:
        return feedback
          ? { step: null, action: 'read_feedback', expectedBy: null, basis: null, link: feedback }
          : { step: null, action: 'none', expectedBy: null, basis: null, link: null };
    }
  }
  switch (current) {
    case 'applied':
    case 'invited':
      if (f.session?.status === 'open')
        return { step: 'interviewed', action: 'interview', ...byDeadline, link: routes.interview() };
      if (f.bookedMode)
        return {
          step: 'booked',
          action: 'book',
          ...byDeadline,
          link: routes.book(f.applicationId, 'ai_interview'),
        };
      return { step: 'interviewed', action: 'interview', ...byDeadline, link: routes.interview() };
    case 'booked':
      // Booked and not yet begun: the slot is when; once begun, the deadline still bounds it.
      if (f.session?.status === 'open' || !f.booking)
        return { step: 'interviewed', action: 'interview', ...byDeadline, link: routes.interview() };
      return {
        step: 'interviewed',
        action: f.booking.startAt > f.now ? 'wait_interview' : 'interview',
        expectedBy: iso(f.booking.startAt),
        basis: 'booking',
        link: routes.interview(),
      };
    case 'interviewed':
      // The report is written by the worker minutes after the transcripts; no date to promise.
      return { step: 'under_review', action: 'wait_report', expectedBy: null, basis: null, link: null };
    default: {
      // Under review: an open review task's due date, an approval's expected answer, else the SLA.
      if (f.reviewDueAt)
        return {
          step: 'decision',
          action: 'wait_decision',
          expectedBy: iso(f.reviewDueAt),
          basis: 'review_due',
          link: null,
        };
      if (f.approval?.open)
        return {
          step: 'decision',
          action: 'wait_decision',
          expectedBy: iso(new Date(f.approval.startedAt.getTime() + STALE_APPROVAL_DUE_HOURS * HOUR_MS)),
          basis: 'approval',
          link: null,
        };
      const from = f.report?.createdAt ?? null;
      return {
        step: 'decision',
        action: 'wait_decision',
        expectedBy: from ? iso(new Date(from.getTime() + REVIEW_DUE_DAYS * DAY_MS)) : null,
        basis: from ? 'review_due' : null,
        link: null,
      };
    }
  }
}

/**
 * The signed-in candidate's timeline for one of their applications (`applicationId`, else the
 * invitation's or their latest). Employees are refused (403); another candidate's id is 404.
 */
export async function candidateTimeline(
  em: Em,
  actor: Actor,
  props: { applicationId?: number; now: Date },
): Promise<CandidateTimelineResponse> {
  const app = await applicationFor(em, actor, props.applicationId);
  const [invitation, schedule, bookings, session, report, reviewTask, approval, org] = await Promise.all([
    em.findOne(
      Invitation,
      { candidate: app.candidate.id, job: app.job.id },
      { orderBy: { createdAt: 'asc' } },
    ),
    em.findOne(PlanSchedule, { plan: { job: app.job.id }, kind: 'ai_interview', active: true }),
    em.find(
      Booking,
      { application: app.id, kind: 'ai_interview', status: { $in: ['booked', 'completed'] } },
      { orderBy: { createdAt: 'desc' } },
    ),
    em.findOne(InterviewSession, { application: app.id }),
    em.findOne(InterviewReport, { application: app.id }, { orderBy: { id: 'desc' } }),
    em.findOne(ReviewTask, { application: app.id, status: 'open' }, { orderBy: { dueAt: 'asc' } }),
    em.findOne(Approval, { application: app.id, kind: 'second_round' }, { orderBy: { id: 'desc' } }),
    em.find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 }),
  ]);
  const booking = bookings.find((b) => !b.reminderOnly) ?? null;
  const timeline = computeTimeline({
    applicationId: app.id,
    stage: app.stage as Stage,
    stageChangedAt: app.stageChangedAt,
    appliedAt: app.createdAt,
    deadlineAt: app.deadlineAt ?? invitation?.expiresAt ?? null,
    invitedAt: earliest(invitation?.createdAt),
    bookedMode: schedule?.takeMode === 'booked',
    booking: booking ? { createdAt: booking.createdAt, startAt: booking.startAt } : null,
    session: session
      ? { status: session.status, startedAt: session.startedAt, submittedAt: session.submittedAt ?? null }
      : null,
    report: report ? { createdAt: report.createdAt, releasedAt: report.releasedAt ?? null } : null,
    reviewDueAt: reviewTask?.dueAt ?? null,
    approval: approval
      ? {
          startedAt: approval.startedAt,
          decidedAt: approval.decidedAt ?? null,
          open: approval.status === 'requested' || approval.status === 'running',
        }
      : null,
    now: props.now,
  });
  return {
    ...timeline,
    job: { id: app.job.id, title: app.job.title },
    timezone: org[0]?.timezone ?? 'Asia/Shanghai',
  };
}
