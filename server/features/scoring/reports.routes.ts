import { agreementQuery } from '../../../shared/api/agreement';
import type {
  FeedbackListResponse,
  FeedbackRequestResponse,
  FeedbackResponse,
  MediaResponse,
  RatingsResponse,
  ReleaseResponse,
  ReportResponse,
  ReportResumeMatch,
  ReportsResponse,
  ScoreBasis,
} from '../../../shared/api/reports';
import { matchResume, requirementsOf } from '../../../shared/resumes/match';
import { audit } from '../../kernel/audit';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { Resume } from '../../kernel/db/entities/Resume';
import {
  AnswerScore,
  AnswerTranscript,
  InterviewReport,
  ReportRating,
  ReviewAssignment,
  ReviewTask,
} from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import { notFound } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { Actor, AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan, can } from '../../kernel/policies';
import { agreementReport } from './agreement';
import { calibrationStatus, refitModel } from './calibrationStore';
import { presentFeedback, presentReport, presentReportSummary, presentTask } from './present';
import {
  assignReviewer,
  loadReadableReport,
  rateReport,
  releaseReport,
  requestAnswers,
  requestFeedbackReview,
} from './reports';
import {
  assignBody,
  feedbackRequestBody,
  listReportsQuery,
  mediaParams,
  ratingsBody,
  refitBody,
} from './reports.schema';

/** Signed video URLs live this long (TRUST.md: minutes). */
const MEDIA_TTL_SECONDS = 300;

const ctxOf = (ctx: AppContext) => ({ ip: ctx.ip, requestId: ctx.state.requestId });
const employee = (a: Actor) => a as Actor & { kind: 'employee' };

/**
 * The body of `GET /api/feedback`: the signed-in candidate's released reports, each with their
 * review requests (404 for anyone else). Also one part of a candidate's first-screen read
 * (`GET /api/home/first`), which must answer exactly what this route does.
 */
export async function candidateFeedback(em: Em, actor: Actor): Promise<FeedbackListResponse> {
  if (actor.kind !== 'candidate') throw notFound('Feedback');
  const rows = await em.find(
    InterviewReport,
    { candidateId: actor.id, releasedAt: { $ne: null } },
    { orderBy: { id: 'desc' } },
  );
  const jobs = new Map(
    (await em.find(Job, { id: { $in: rows.map((r) => r.jobId) } })).map((j) => [j.id, j.title]),
  );
  const requests = await em.find(ReviewTask, {
    report: { $in: rows.map((r) => r.id) },
    requestedByCandidateId: actor.id,
  });
  const answers = await requestAnswers(em, requests);
  return {
    items: rows.map((r) =>
      presentFeedback(
        r,
        jobs.get(r.jobId) ?? '',
        requests.filter((t) => t.report?.id === r.id),
        answers,
      ),
    ),
  };
}

/**
 * Interview reports. Reviewers (HR, the department's manager, assigned interviewers) read the
 * report with evidence highlighted in each transcript, play answers through short-lived signed
 * URLs and rate each competency; HR releases feedback; candidates read their own released
 * feedback (bands, reasons, suggestions) and ask for an explanation or a human review.
 */
export function reportRoutes() {
  const router = createRouter();

  router.get(
    '/api/reports',
    requireAuth,
    validate({ query: listReportsQuery }),
    async (ctx: AppContext<{ query: { status?: string; limit: number; offset: number } }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'report.list', undefined);
      const me = employee(actor);
      const em = ctx.deps.orm.em;
      const where: Record<string, unknown> = {};
      if (ctx.input.query.status) where.status = ctx.input.query.status;
      if (!can(actor, 'hr.access', undefined)) {
        // A manager's department jobs, plus applications the actor is assigned to review.
        const jobIds =
          me.roles.includes('manager') && me.departmentId !== null
            ? (await em.find(Job, { department: me.departmentId }, { fields: ['id'] })).map((j) => j.id)
            : [];
        const viaBooking = (
          await em.find(
            Booking,
            { interviewer: me.id, status: { $ne: 'cancelled' } },
            { fields: ['application'] },
          )
        ).map((b) => b.application.id);
        const viaAssignment = (
          await em.find(ReviewAssignment, { reviewer: me.id }, { fields: ['application'] })
        ).map((a) => a.application.id);
        const appIds = me.roles.includes('interviewer') ? [...viaBooking, ...viaAssignment] : [];
        where.$or = [
          { jobId: { $in: jobIds.length ? jobIds : [-1] } },
          { application: { $in: appIds.length ? appIds : [-1] } },
        ];
      }
      const [rows, total] = await em.findAndCount(InterviewReport, where, {
        orderBy: { id: 'desc' },
        limit: ctx.input.query.limit,
        offset: ctx.input.query.offset,
      });
      const candidates = new Map(
        (await em.find(Candidate, { id: { $in: rows.map((r) => r.candidateId) } })).map((c) => [
          c.id,
          c.name,
        ]),
      );
      const jobs = new Map(
        (await em.find(Job, { id: { $in: rows.map((r) => r.jobId) } })).map((j) => [j.id, j.title]),
      );
      const mine = new Set(
        (await em.find(ReportRating, { reviewer: me.id, report: { $in: rows.map((r) => r.id) } })).map(
          (r) => r.report.id,
        ),
      );
      ctx.body = {
        total,
        items: rows.map((r) =>
          presentReportSummary(r, {
            candidateName: candidates.get(r.candidateId) ?? '',
            jobTitle: jobs.get(r.jobId) ?? '',
            ratedByMe: mine.has(r.id),
          }),
        ),
      } satisfies ReportsResponse;
    },
  );

  router.get(
    '/api/reports/:id',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const report = await loadReadableReport(em, actor, ctx.input.params.id);
      const [candidate, job, transcripts, ratings, tasks, scores, resume] = await Promise.all([
        em.findOneOrFail(Candidate, { id: report.candidateId }),
        em.findOneOrFail(Job, { id: report.jobId }),
        em.find(AnswerTranscript, { sessionId: report.sessionId }, { orderBy: { position: 'asc' } }),
        em.find(ReportRating, { report }, { populate: ['reviewer'], orderBy: { id: 'asc' } }),
        em.find(ReviewTask, { report }, { orderBy: { id: 'asc' } }),
        em.find(AnswerScore, { sessionId: report.sessionId }),
        // The 岗位匹配 line: the same résumé the screening queue shows (the latest parsed one).
        em.findOne(Resume, { candidate: report.candidateId, status: 'parsed' }, { orderBy: { id: 'desc' } }),
      ]);
      const resumeMatch: ReportResumeMatch | null =
        resume?.profile && resume.text
          ? {
              resumeId: resume.id,
              ...matchResume(resume.text, resume.profile, requirementsOf(job), resume.createdAt),
            }
          : null;
      audit(em, actor, 'report.viewed', { type: 'interview_report', id: report.id }, null, ctxOf(ctx));
      await em.flush();
      ctx.body = {
        report: presentReport(report, {
          candidateName: candidate.name,
          jobTitle: job.title,
          transcripts,
          ratings,
          myId: actor.id,
          tasks,
          basis: new Map(scores.map((x) => [x.answerId, (x.result as { basis?: ScoreBasis }).basis ?? null])),
          resumeMatch,
        }),
      } satisfies ReportResponse;
    },
  );

  router.get(
    '/api/reports/:id/media/:answerId',
    requireAuth,
    validate({ params: mediaParams }),
    async (ctx: AppContext<{ params: { id: number; answerId: number } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const report = await loadReadableReport(em, actor, ctx.input.params.id);
      const t = await em.findOne(AnswerTranscript, {
        answerId: ctx.input.params.answerId,
        sessionId: report.sessionId,
      });
      if (!t?.objectKey) throw notFound('Recording');
      const url = await ctx.deps.storage.signedGetUrl(t.objectKey, MEDIA_TTL_SECONDS);
      audit(
        em,
        actor,
        'media.viewed',
        { type: 'answer', id: t.answerId },
        { reportId: report.id },
        ctxOf(ctx),
      );
      await em.flush();
      const now = ctx.deps.now?.() ?? new Date();
      ctx.body = {
        url,
        expiresAt: new Date(now.getTime() + MEDIA_TTL_SECONDS * 1000).toISOString(),
        startMs: 0,
      } satisfies MediaResponse;
    },
  );

  router.put(
    '/api/reports/:id/ratings',
    requireAuth,
    validate({ params: idParams, body: ratingsBody }),
    async (
      ctx: AppContext<{
        params: { id: number };
        body: { ratings: Array<{ competency: string; score: number }>; comment?: string };
      }>,
    ) => {
      const actor = actorOf(ctx);
      if (actor.kind !== 'employee') throw notFound('Report');
      const rows = await rateReport(ctx.deps.orm.em, {
        actor: employee(actor),
        reportId: ctx.input.params.id,
        ...ctx.input.body,
        context: ctxOf(ctx),
      });
      ctx.body = {
        ratings: rows
          .filter((r) => r.reviewer.id === actor.id)
          .map((r) => ({ competency: r.competency, score: r.score, comment: r.comment ?? null })),
      } satisfies RatingsResponse;
    },
  );

  router.post(
    '/api/reports/:id/release',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const r = await releaseReport(ctx.deps.orm.em, {
        actor: actorOf(ctx),
        reportId: ctx.input.params.id,
        now: ctx.deps.now?.() ?? new Date(),
        context: ctxOf(ctx),
      });
      ctx.body = { id: r.id, releasedAt: r.releasedAt?.toISOString() ?? null } satisfies ReleaseResponse;
    },
  );

  router.post(
    '/api/reports/:id/assignments',
    requireAuth,
    validate({ params: idParams, body: assignBody }),
    async (ctx: AppContext<{ params: { id: number }; body: { userId: number } }>) => {
      ctx.status = 201;
      ctx.body = await assignReviewer(ctx.deps.orm.em, {
        actor: actorOf(ctx),
        reportId: ctx.input.params.id,
        userId: ctx.input.body.userId,
        context: ctxOf(ctx),
      });
    },
  );

  router.get('/api/review-tasks', requireAuth, async (ctx: AppContext) => {
    assertCan(actorOf(ctx), 'report.manage', undefined);
    const rows = await ctx.deps.orm.em.find(
      ReviewTask,
      { status: 'open' },
      { orderBy: { dueAt: 'asc' }, limit: 200 },
    );
    ctx.body = { items: rows.map(presentTask) };
  });

  router.get('/api/feedback', requireAuth, async (ctx: AppContext) => {
    ctx.body = await candidateFeedback(ctx.deps.orm.em, actorOf(ctx));
  });

  router.get(
    '/api/feedback/:id',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const report = await em.findOne(InterviewReport, { id: ctx.input.params.id });
      assertCan(
        actor,
        'feedback.read',
        { candidateId: report?.candidateId ?? -1, released: !!report?.releasedAt },
        'Feedback',
      );
      if (!report) return;
      const job = await em.findOneOrFail(Job, { id: report.jobId });
      const requests = await em.find(ReviewTask, { report, requestedByCandidateId: actor.id });
      const answers = await requestAnswers(em, requests);
      audit(em, actor, 'feedback.viewed', { type: 'interview_report', id: report.id }, null, ctxOf(ctx));
      await em.flush();
      ctx.body = {
        feedback: presentFeedback(report, job.title, requests, answers),
      } satisfies FeedbackResponse;
    },
  );

  router.post(
    '/api/feedback/:id/requests',
    requireAuth,
    validate({ params: idParams, body: feedbackRequestBody }),
    async (
      ctx: AppContext<{
        params: { id: number };
        body: { kind: 'explanation' | 'human_review'; message: string };
      }>,
    ) => {
      const actor = actorOf(ctx);
      if (actor.kind !== 'candidate') throw notFound('Feedback');
      const task = await requestFeedbackReview(ctx.deps.orm.em, {
        actor,
        reportId: ctx.input.params.id,
        ...ctx.input.body,
        now: ctx.deps.now?.() ?? new Date(),
        context: ctxOf(ctx),
      });
      ctx.status = 201;
      ctx.body = {
        request: {
          id: task.id,
          kind: task.kind,
          status: task.status,
          dueAt: task.dueAt.toISOString(),
          answer: null,
        },
      } satisfies FeedbackRequestResponse;
    },
  );

  // AI-vs-human agreement per job and competency, with drift flags (TRUST.md "Fairness").
  router.get(
    '/api/scoring/agreement',
    requireAuth,
    validate({ query: agreementQuery }),
    async (ctx: AppContext<{ query: { jobId?: number; recentDays?: number } }>) => {
      assertCan(actorOf(ctx), 'report.manage', undefined);
      ctx.body = await agreementReport(ctx.deps.orm.em, {
        ...ctx.input.query,
        now: ctx.deps.now?.() ?? new Date(),
      });
    },
  );

  router.get('/api/scoring/calibration', requireAuth, async (ctx: AppContext) => {
    assertCan(actorOf(ctx), 'report.manage', undefined);
    ctx.body = await calibrationStatus(ctx.deps.orm.em);
  });

  router.post(
    '/api/scoring/calibration',
    requireAuth,
    validate({ body: refitBody }),
    async (ctx: AppContext<{ body: Record<string, never> }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'report.manage', undefined);
      const em = ctx.deps.orm.em;
      const outcome = await em.transactional(async (tx) => {
        const out = await refitModel(tx, { now: ctx.deps.now?.() ?? new Date(), reason: 'manual' });
        audit(
          tx,
          actor,
          'scoring.calibrated',
          { type: 'scoring_model', id: null },
          out
            ? { version: out.version, status: out.status, ratings: out.ratings }
            : { fitted: false, reason: 'too few ratings' },
          ctxOf(ctx),
        );
        return out;
      });
      ctx.body = { outcome, status: await calibrationStatus(em) };
    },
  );

  return router;
}
