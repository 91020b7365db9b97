/**
 * `GET /api/home`: one summary per signed-in employee for their home screen (issue 14 item 8).
 * HR and admins get today's numbers, managers their departments' pipelines and waiting approvals,
 * interviewers their interviews and the reports waiting for their rating. Each part is counted
 * within what the policies let the caller see, and only for the roles they hold.
 */

import type { z } from 'zod';
import type {
  HomeApproval,
  HomeInterview,
  HomeJobPipeline,
  HomeReportToRate,
  HomeSummaryResponse,
  HrToday,
} from '../../../shared/api/home';
import { routes } from '../../../shared/routes';
import type { Stage } from '../../../shared/stages';
import type { Actor } from '../../kernel/actor';
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { InterviewReport, ReportRating, ReviewAssignment } from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { assertCan, can } from '../../kernel/policies';
import { overviewQuery } from '../interview';
import { countQueueItems } from '../queue';
import { homeFirst } from './first';
import { timelineQuery } from './schema';
import { candidateTimeline } from './timeline';

const DAY_MS = 24 * 3600 * 1000;
/** Asia/Shanghai has no daylight saving: midnight there is 16:00 UTC the day before. */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const PENDING_APPROVAL = ['requested', 'running'] as const;

/** Midnight (Asia/Shanghai) of the day `now` falls in. */
export function startOfDayShanghai(now: Date): Date {
  const local = now.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - (local % DAY_MS) - SHANGHAI_OFFSET_MS);
}

async function hrToday(em: Em, from: Date, now: Date): Promise<HrToday> {
  const to = new Date(from.getTime() + DAY_MS);
  const newCandidates = await em.count(Candidate, { createdAt: { $gte: from, $lt: to } });
  const interviewsToday = await em.count(Booking, {
    startAt: { $gte: from, $lt: to },
    status: { $in: ['booked', 'completed'] },
  });
  const reportsToReview = await em.count(InterviewReport, { releasedAt: null });
  // The queue's own count (overdue or due within a day), so the number and the 待办 agree.
  const queue = await countQueueItems(em, now);
  const approvalsPending = await em.count(Approval, { status: { $in: [...PENDING_APPROVAL] } });
  // The pipeline of the job with the newest applications is where new candidates are seen.
  const newest = await em.findOne(
    Application,
    { id: { $gt: 0 } },
    { orderBy: { createdAt: 'desc' }, fields: ['job'] },
  );
  const pendingOne = await em.findOne(
    Approval,
    { status: { $in: [...PENDING_APPROVAL] } },
    { orderBy: { startedAt: 'asc' }, fields: ['application'] },
  );
  return {
    newCandidates: {
      count: newCandidates,
      link: newest ? routes.pipelineJob(newest.job.id) : routes.interviewPlans(),
    },
    interviewsToday: { count: interviewsToday, link: routes.schedules() },
    reportsToReview: { count: reportsToReview, link: routes.reports() },
    // Every kind (requests, failed messages, stale approvals, accommodations) is acted on in 待办.
    queueDue: { count: queue.overdue + queue.dueSoon, link: routes.queue() },
    approvalsPending: {
      count: approvalsPending,
      link: pendingOne ? routes.pipelineApplication(pendingOne.application.id) : routes.reports(),
    },
  };
}

async function managerPart(em: Em, actor: Actor & { kind: 'employee' }) {
  const jobs = await em.find(
    Job,
    { department: actor.departmentId ?? -1, status: { $ne: 'closed' } },
    { orderBy: { id: 'asc' } },
  );
  const apps = jobs.length
    ? await em.find(Application, { job: { $in: jobs.map((j) => j.id) } }, { fields: ['job', 'stage'] })
    : [];
  const pipelines: HomeJobPipeline[] = jobs.map((j) => {
    const counts: Partial<Record<Stage, number>> = {};
    for (const a of apps) {
      const stage = a.stage as Stage;
      if (a.job.id === j.id) counts[stage] = (counts[stage] ?? 0) + 1;
    }
    return { id: j.id, title: j.title, status: j.status, counts, link: routes.pipelineJob(j.id) };
  });
  const approvals = jobs.length
    ? await em.find(
        Approval,
        { status: { $in: [...PENDING_APPROVAL] }, application: { job: { $in: jobs.map((j) => j.id) } } },
        { populate: ['application.candidate', 'application.job'], orderBy: { startedAt: 'asc' }, limit: 20 },
      )
    : [];
  return {
    jobs: pipelines,
    approvals: approvals.map(
      (a): HomeApproval => ({
        id: a.id,
        kind: a.kind,
        candidateName: a.application.candidate.name,
        jobTitle: a.application.job.title,
        startedAt: a.startedAt.toISOString(),
        link: routes.pipelineApplication(a.application.id),
      }),
    ),
  };
}

async function interviewerPart(em: Em, actor: Actor & { kind: 'employee' }, from: Date, now: Date) {
  const to = new Date(from.getTime() + DAY_MS);
  const bookings = await em.find(
    Booking,
    {
      interviewer: actor.id,
      status: 'booked',
      startAt: { $gte: from, $lt: new Date(from.getTime() + 8 * DAY_MS) },
    },
    { populate: ['application.candidate', 'application.job'], orderBy: { startAt: 'asc' }, limit: 50 },
  );
  const view = (b: (typeof bookings)[number]): HomeInterview => ({
    bookingId: b.id,
    candidateName: b.application.candidate.name,
    jobTitle: b.application.job.title,
    kind: b.kind,
    startAt: b.startAt.toISOString(),
    endAt: b.endAt.toISOString(),
    // A live round opens its outline and scorecard (server/features/liveround).
    link: b.kind === 'second_round' ? routes.liveRound(b.id) : routes.booking(b.id),
  });
  // Reports of applications assigned to them (review assignment or their booking), not rated by them.
  const assigned = await em.find(ReviewAssignment, { reviewer: actor.id }, { fields: ['application'] });
  const booked = await em.find(Booking, { interviewer: actor.id }, { fields: ['application'] });
  const appIds = [...new Set([...assigned, ...booked].map((x) => x.application.id))];
  const reports = appIds.length
    ? await em.find(
        InterviewReport,
        { application: { $in: appIds } },
        { populate: ['application.candidate', 'application.job'], orderBy: { createdAt: 'asc' } },
      )
    : [];
  const rated = reports.length
    ? new Set(
        (
          await em.find(
            ReportRating,
            { reviewer: actor.id, report: { $in: reports.map((r) => r.id) } },
            { fields: ['report'] },
          )
        ).map((r) => r.report.id),
      )
    : new Set<number>();
  return {
    today: bookings.filter((b) => b.startAt < to && b.endAt > now).map(view),
    upcoming: bookings.filter((b) => b.startAt >= to).map(view),
    toRate: reports
      .filter((r) => !rated.has(r.id))
      .slice(0, 20)
      .map(
        (r): HomeReportToRate => ({
          reportId: r.id,
          candidateName: r.application.candidate.name,
          jobTitle: r.application.job.title,
          createdAt: r.createdAt.toISOString(),
          link: routes.report(r.id),
        }),
      ),
  };
}

/** The home summary route, the candidate's progress timeline and first screen. */
export function homeRoutes() {
  const router = createRouter('/api/home');
  router.get('/', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    assertCan(actor, 'role.any', { roles: ['hr', 'admin', 'manager', 'interviewer'] });
    if (actor.kind !== 'employee') return; // unreachable: role.any refuses candidates
    const em = ctx.deps.orm.em;
    const now = ctx.deps.now?.() ?? new Date();
    const from = startOfDayShanghai(now);
    const isHr = can(actor, 'hr.access', undefined);
    ctx.body = {
      today: from.toISOString(),
      hr: isHr ? await hrToday(em, from, now) : null,
      manager: actor.roles.includes('manager') ? await managerPart(em, actor) : null,
      interviewer: actor.roles.includes('interviewer') ? await interviewerPart(em, actor, from, now) : null,
    } satisfies HomeSummaryResponse;
  });
  // A returning candidate's first screen in one request (first.ts); employees are refused.
  router.get(
    '/first',
    requireAuth,
    validate({ query: overviewQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof overviewQuery> }>) => {
      ctx.body = await homeFirst(ctx, ctx.input.query.locale);
    },
  );
  // The signed-in candidate's own progress (issue 16 item 7); employees are refused.
  router.get(
    '/timeline',
    requireAuth,
    validate({ query: timelineQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof timelineQuery> }>) => {
      ctx.body = await candidateTimeline(ctx.deps.orm.em, actorOf(ctx), {
        applicationId: ctx.input.query.applicationId,
        now: ctx.deps.now?.() ?? new Date(),
      });
    },
  );
  return router;
}
