/**
 * Reactions to other features' events, run inside the emitting transaction (registered in
 * server/kernel/events/registry.ts) so the stage moves with the change that caused it: a booking
 * made, an interview submitted, a report ready. Facts that arrive again or late leave the stage
 * alone (`transitionIfAllowed`).
 */
import type { BookingEventData, ReportReadyData } from '../../../shared/events';
import { routeReport, type TransitionName } from '../../../shared/pipeline';
import { Application } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval } from '../../kernel/db/entities/Approval';
import type { Em } from '../../kernel/db/orm';
import { NeedsOrmPath, requireEm, type Tx } from '../../kernel/db/tx';
import type { InTxHandler, InTxReactions } from '../../kernel/events/registry';
import type { DomainEvent } from '../../kernel/events/types';
import { requestApproval } from './approvals';
import { rulesFor } from './rules';
import { applicationRead, SYSTEM, transitionIfAllowed, transitionIfAllowedTx } from './transition';

/**
 * How each kind of booking moves the application: a record over the closed set of booking
 * kinds, so a new kind does not compile until its transitions are chosen.
 */
const BOOKING_TRANSITIONS: Record<
  BookingEventData['kind'],
  { book: TransitionName; unbook: TransitionName; booked: string; completed: TransitionName | null }
> = {
  ai_interview: { book: 'book', unbook: 'unbook', booked: '候选人已预约 AI 面试', completed: null },
  second_round: {
    book: 'book_second_round',
    unbook: 'unbook_second_round',
    booked: '候选人已预约复试',
    completed: 'complete_second_round',
  },
};

/** `booking.created`: ai_interview invited -> booked; second_round second_round -> second_round_booked. */
export const onBookingCreated: InTxHandler<'booking.created'> = async (tx, e) => {
  const d = e.data;
  // A "remind me at…" time is not an appointment: the candidate stays invited (and may start now).
  if (d.reminderOnly) return;
  await transitionIfAllowedTx(tx, {
    applicationId: d.applicationId,
    name: BOOKING_TRANSITIONS[d.kind].book,
    actor: SYSTEM,
    reason: BOOKING_TRANSITIONS[d.kind].booked,
    details: { bookingId: d.bookingId, startAt: d.startAt },
  });
};

/** `booking.cancelled` / `booking.no_show`: back to booking (the candidate may book again). */
export const onBookingReleased: InTxHandler<'booking.cancelled' | 'booking.no_show'> = async (tx, e) => {
  const d = e.data;
  if (d.reminderOnly) return; // it never moved the stage
  const what = e.type === 'booking.no_show' ? '未出席' : '已取消';
  await transitionIfAllowedTx(tx, {
    applicationId: d.applicationId,
    name: BOOKING_TRANSITIONS[d.kind].unbook,
    actor: SYSTEM,
    reason: `预约${what}${d.reason ? `：${d.reason}` : ''}`,
    details: { bookingId: d.bookingId },
  });
};

/** Booking handlers start by reading the application (shared round trip, see registry.ts). */
const readsApplication = (
  e: DomainEvent<'booking.created' | 'booking.cancelled' | 'booking.no_show'>,
  dialect: Tx['dialect'],
): Array<[string, readonly unknown[]]> => [applicationRead(dialect, e.data.applicationId)];
onBookingCreated.reads = readsApplication;
onBookingReleased.reads = readsApplication;

/** `booking.completed` of a live session: the interview happened. */
export const onBookingCompleted: InTxHandler<'booking.completed'> = async (tx, e) => {
  const d = e.data;
  const name = BOOKING_TRANSITIONS[d.kind].completed;
  if (!name) return;
  await transitionIfAllowedTx(tx, {
    applicationId: d.applicationId,
    name,
    actor: SYSTEM,
    reason: '复试已完成',
    details: { bookingId: d.bookingId },
  });
};

/** `interview.started`: booked -> interviewing. */
export const onInterviewStarted: InTxHandler<'interview.started'> = async (tx, e) => {
  const props = {
    applicationId: e.data.applicationId,
    name: 'start_interview' as const,
    actor: SYSTEM,
    reason: '候选人开始 AI 面试',
    details: { sessionId: e.data.sessionId },
  };
  // An ORM caller gets its application entity refreshed; the plain-SQL start has none.
  if (tx.em) await transitionIfAllowed(tx.em, props);
  else await transitionIfAllowedTx(tx, props);
};
onInterviewStarted.reads = (e, dialect) => [applicationRead(dialect, e.data.applicationId)];

/** `interview.submitted`: -> submitted; person-only interviews go straight to HR review. */
export const onInterviewSubmitted: InTxHandler<'interview.submitted'> = async (tx, e) => {
  const d = e.data;
  const props = {
    applicationId: d.applicationId,
    name: 'submit' as const,
    actor: SYSTEM,
    reason: '候选人已提交 AI 面试',
    details: { sessionId: d.sessionId },
  };
  if (!tx.em) {
    // The plain-SQL submit (interview/sessionLean.ts) leaves person-only interviews to the ORM
    // path; one that became person-only since its read rolls back and goes that way too.
    await transitionIfAllowedTx(tx, {
      ...props,
      beforeMove: async (app) => {
        if (app.personOnly) throw new NeedsOrmPath('a person-only submission writes its review');
      },
    });
    return;
  }
  const em = tx.em;
  let routed = null as Routed | null; // set by beforeMove (a cast, so the checker does not narrow it to null)
  const moved = await transitionIfAllowed(em, {
    ...props,
    // A person-only interview's review is written before the move (the lock order, see below).
    beforeMove: async (app) => {
      if (!app.personOnly) return;
      routed = await writeReview(em, d.applicationId, app.jobId, true, null);
      await em.flush();
    },
  });
  if (moved && routed) await routeToPeople(em, d.applicationId, routed);
};
onInterviewSubmitted.reads = (e, dialect) => [applicationRead(dialect, e.data.applicationId)];

/**
 * `report.ready`: -> scored, then the job's rules route it (approval, review, suggested rejection).
 *
 * The review row is written before the `score` move, not after it (`beforeMove`: after the
 * application is read and locked, before the stage UPDATE). Every stage move fires the
 * analytics trigger, which reads the application's review (for its score decile) and then
 * updates the rollup rows; on MariaDB that read takes a shared lock on the reviews index gap
 * where a review would go, so a stage move locks "reviews' gap, then rollup rows". Writing the
 * review after the `score` move took them the other way round (rollup rows, then an insert into
 * that gap) and deadlocked with a candidate's concurrent stage move in the same job
 * (BENCHMARKS.md, the candidate's answer routes). The rollups end the same: the review's
 * trigger moves the application to its decile within its stage, the move carries it on. A late
 * or repeated report is refused by the move's check before anything is written.
 */
export const onReportReady: InTxHandler<'report.ready'> = async (tx, e) => {
  const em = requireEm(tx);
  const d = e.data;
  let routed = null as Routed | null; // set by beforeMove (a cast, so the checker does not narrow it to null)
  const moved = await transitionIfAllowed(em, {
    applicationId: d.applicationId,
    name: 'score',
    actor: SYSTEM,
    reason: `AI 报告已生成（综合 ${Math.round(d.overall)}）`,
    details: { reportId: d.reportId, overall: d.overall },
    beforeMove: async (app) => {
      routed = await writeReview(em, d.applicationId, app.jobId, app.personOnly, d);
      // Sent now so the insert precedes the stage move's trigger.
      await em.flush();
    },
  });
  if (moved && routed) await routeToPeople(em, d.applicationId, routed);
};

/** The routing of a report by the job's rules, and the thresholds it was judged against. */
interface Routed {
  routing: ReturnType<typeof routeReport>;
  rules: Awaited<ReturnType<typeof rulesFor>>;
  report: ReportReadyData | null;
}

/** Applies the job's thresholds and writes (or rewrites) the application's review with the outcome. */
async function writeReview(
  em: Em,
  applicationId: number,
  jobId: number,
  personOnly: boolean,
  report: ReportReadyData | null,
): Promise<Routed> {
  const rules = await rulesFor(em, jobId);
  const routing = routeReport(
    report,
    { pass: rules.passThreshold, reject: rules.rejectThreshold },
    personOnly,
  );
  const review = await em.findOne(ApplicationReview, { application: applicationId });
  const fields = {
    reportId: report?.reportId ?? null,
    overall: report ? Math.round(report.overall) : null,
    report,
    suggestion: routing.suggestion,
    reason: routing.reason,
    remark: null,
  };
  if (review) Object.assign(review, fields);
  else em.create(ApplicationReview, { application: em.getReference(Application, applicationId), ...fields });
  return { routing, rules, report };
}

/**
 * Moves a reviewed application to people. Passing -> a second-round approval is requested (the
 * approvers decide); otherwise HR's queue with a suggestion. The stage becomes `in_review` either way.
 */
async function routeToPeople(
  em: Em,
  applicationId: number,
  { routing, rules, report }: Routed,
): Promise<void> {
  const reasonText = {
    pass_threshold: `达到通过线 ${rules.passThreshold}，已发起复试审批`,
    below_reject_threshold: `低于淘汰线 ${rules.rejectThreshold}，建议淘汰，待 HR 确认`,
    between_thresholds: '介于通过线与淘汰线之间，待 HR 评估',
    quality_flags: `面试质量存疑（${report?.flags.join('、')}），待 HR 评估`,
    person_only: '候选人选择仅人工评估，待 HR 评估',
  }[routing.reason];
  await transitionIfAllowed(em, {
    applicationId,
    name: 'review',
    actor: SYSTEM,
    reason: reasonText,
    details: { suggestion: routing.suggestion, rule: routing.reason },
  });
  if (
    routing.suggestion === 'pass' &&
    !(await em.findOne(Approval, { activeKey: `${applicationId}:second_round` }))
  ) {
    await requestApproval(em, {
      applicationId,
      kind: 'second_round',
      requestedBy: null,
    });
  }
}

/** The workflow's in-transaction reactions: the application's stage moves with the fact that moves it. */
export const workflowReactions: InTxReactions = {
  'booking.created': [onBookingCreated],
  'booking.cancelled': [onBookingReleased],
  'booking.no_show': [onBookingReleased],
  'booking.completed': [onBookingCompleted],
  'interview.started': [onInterviewStarted],
  'interview.submitted': [onInterviewSubmitted],
  'report.ready': [onReportReady],
};
