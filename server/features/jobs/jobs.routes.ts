import type { FilterQuery } from '@mikro-orm/core';
import { z } from 'zod';
import type { PlanResponse } from '../../../shared/api/interviewPlans';
import {
  type AssignReviewersResponse,
  assignReviewersBody,
  type BankListResponse,
  bankQuestionBody,
  bankQuestionEditBody,
  bankSearchQuery,
  type CompetencyListResponse,
  competencyBody,
  createJobBody,
  type JobFormOptionsResponse,
  type JobInterviewersResponse,
  type JobListResponse,
  type JobResponse,
  jobInterviewersBody,
  jobStatusBody,
  listJobsQuery,
  planFromBankBody,
  updateJobBody,
} from '../../../shared/api/jobs';
import { Department } from '../../kernel/db/entities/Department';
import { type IJob, Job } from '../../kernel/db/entities/Job';
import { User } from '../../kernel/db/entities/User';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan, can } from '../../kernel/policies';
import {
  bankVersions,
  buildPlanFromBank,
  createBankQuestion,
  editBankQuestion,
  listCompetencies,
  saveCompetency,
  searchBank,
} from './bank';
import { createJob, jobInterviewers, loadJob, setJobInterviewers, setJobStatus, updateJob } from './commands';
import { presentBankQuestion, presentCompetency, presentJob } from './present';
import { assignReviewers } from './reviewers';

const ctxOf = (ctx: AppContext) => ({ ip: ctx.ip, requestId: ctx.state.requestId });
const jobParams = z.strictObject({ jobId: z.coerce.number().int().positive() });

/**
 * Jobs (HR creates, edits with compare-and-swap, pauses and closes them; managers read their
 * department's), the job's interviewer pool and reviewer assignment, the question bank and
 * competency library, and building a job's plan from the bank.
 */
export function jobRoutes() {
  const router = createRouter('/api');

  router.get('/jobs/form-options', requireAuth, async (ctx: AppContext) => {
    assertCan(actorOf(ctx), 'job.manage', undefined);
    const em = ctx.deps.orm.em;
    const departments = await em.find(Department, {}, { orderBy: { id: 'asc' } });
    const employees = await em.find(User, { active: true }, { orderBy: { id: 'asc' } });
    ctx.body = {
      departments: departments.map((d) => ({ id: d.id, name: d.name })),
      employees: employees.map((u) => ({
        id: u.id,
        name: u.name,
        dingtalkUserId: u.dingtalkUserId,
        roles: u.roles,
        departmentId: u.department?.id ?? null,
      })),
    } satisfies JobFormOptionsResponse;
  });

  router.get(
    '/jobs',
    requireAuth,
    validate({ query: listJobsQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof listJobsQuery> }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'job.list', undefined);
      const { q, status, limit, offset } = ctx.input.query;
      const where: FilterQuery<IJob> = {};
      const w = where as Record<string, unknown>;
      if (q) w.title = { $like: `%${q}%` };
      if (status === 'closed') w.status = 'closed';
      else if (status === 'paused') Object.assign(w, { status: 'open', pausedAt: { $ne: null } });
      else if (status === 'open') Object.assign(w, { status: 'open', pausedAt: null });
      // Managers see their own department's jobs only.
      if (!can(actor, 'job.manage', undefined) && actor.kind === 'employee')
        w.department = actor.departmentId ?? -1;
      const [rows, total] = await ctx.deps.orm.em.findAndCount(Job, where, {
        populate: ['department', 'hiringManager'],
        orderBy: { id: 'desc' },
        limit,
        offset,
      });
      ctx.body = { total, items: rows.map(presentJob) } satisfies JobListResponse;
    },
  );

  router.post(
    '/jobs',
    requireAuth,
    validate({ body: createJobBody }),
    async (ctx: AppContext<{ body: z.infer<typeof createJobBody> }>) => {
      const job = await createJob({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        body: ctx.input.body,
        context: ctxOf(ctx),
      });
      ctx.status = 201;
      ctx.body = { job: presentJob(job) } satisfies JobResponse;
    },
  );

  router.get(
    '/jobs/:id',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const job = await ctx.deps.orm.em.findOne(
        Job,
        { id: ctx.input.params.id },
        { populate: ['department', 'hiringManager'] },
      );
      // Unknown and forbidden look alike (404).
      assertCan(actorOf(ctx), 'job.read', { departmentId: job?.department.id ?? -1 }, 'Job');
      ctx.body = { job: presentJob(job as IJob) } satisfies JobResponse;
    },
  );

  router.put(
    '/jobs/:id',
    requireAuth,
    validate({ params: idParams, body: updateJobBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof updateJobBody> }>) => {
      const job = await updateJob({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        id: ctx.input.params.id,
        body: ctx.input.body,
        context: ctxOf(ctx),
      });
      ctx.body = { job: presentJob(job) } satisfies JobResponse;
    },
  );

  router.post(
    '/jobs/:id/status',
    requireAuth,
    validate({ params: idParams, body: jobStatusBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof jobStatusBody> }>) => {
      const job = await setJobStatus({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        id: ctx.input.params.id,
        status: ctx.input.body.status,
        version: ctx.input.body.version,
        now: ctx.deps.now?.() ?? new Date(),
        context: ctxOf(ctx),
      });
      ctx.body = { job: presentJob(job) } satisfies JobResponse;
    },
  );

  router.get(
    '/jobs/:id/interviewers',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      assertCan(actorOf(ctx), 'job.manage', undefined);
      await loadJob(ctx.deps.orm.em, ctx.input.params.id);
      ctx.body = {
        jobId: ctx.input.params.id,
        interviewers: await jobInterviewers(ctx.deps.orm.em, ctx.input.params.id),
      } satisfies JobInterviewersResponse;
    },
  );

  router.put(
    '/jobs/:id/interviewers',
    requireAuth,
    validate({ params: idParams, body: jobInterviewersBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof jobInterviewersBody> }>) => {
      ctx.body = {
        jobId: ctx.input.params.id,
        interviewers: await setJobInterviewers({
          em: ctx.deps.orm.em,
          actor: actorOf(ctx),
          jobId: ctx.input.params.id,
          userIds: ctx.input.body.userIds,
          context: ctxOf(ctx),
        }),
      } satisfies JobInterviewersResponse;
    },
  );

  router.post(
    '/applications/:id/reviewers',
    requireAuth,
    validate({ params: idParams, body: assignReviewersBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof assignReviewersBody> }>) => {
      ctx.body = (await assignReviewers({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        applicationId: ctx.input.params.id,
        body: ctx.input.body,
        context: ctxOf(ctx),
      })) satisfies AssignReviewersResponse;
    },
  );

  router.get(
    '/question-bank',
    requireAuth,
    validate({ query: bankSearchQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof bankSearchQuery> }>) => {
      assertCan(actorOf(ctx), 'job.manage', undefined);
      const rows = await searchBank(ctx.deps.orm.em, ctx.input.query.q, ctx.input.query.competency);
      ctx.body = { items: rows.map(presentBankQuestion) } satisfies BankListResponse;
    },
  );

  router.post(
    '/question-bank',
    requireAuth,
    validate({ body: bankQuestionBody }),
    async (ctx: AppContext<{ body: z.infer<typeof bankQuestionBody> }>) => {
      const row = await createBankQuestion({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        body: ctx.input.body,
        context: ctxOf(ctx),
      });
      ctx.status = 201;
      ctx.body = { question: presentBankQuestion(row) };
    },
  );

  router.put(
    '/question-bank/:id',
    requireAuth,
    validate({ params: idParams, body: bankQuestionEditBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof bankQuestionEditBody> }>) => {
      const row = await editBankQuestion({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        id: ctx.input.params.id,
        body: ctx.input.body,
        context: ctxOf(ctx),
      });
      ctx.body = { question: presentBankQuestion(row) };
    },
  );

  router.get(
    '/question-bank/:id/versions',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      assertCan(actorOf(ctx), 'job.manage', undefined);
      const rows = await bankVersions(ctx.deps.orm.em, ctx.input.params.id);
      ctx.body = { items: rows.map(presentBankQuestion) } satisfies BankListResponse;
    },
  );

  router.get('/competencies', requireAuth, async (ctx: AppContext) => {
    assertCan(actorOf(ctx), 'job.manage', undefined);
    const rows = await listCompetencies(ctx.deps.orm.em);
    ctx.body = { items: rows.map(presentCompetency) } satisfies CompetencyListResponse;
  });

  router.post(
    '/competencies',
    requireAuth,
    validate({ body: competencyBody }),
    async (ctx: AppContext<{ body: z.infer<typeof competencyBody> }>) => {
      const row = await saveCompetency({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        body: ctx.input.body,
        context: ctxOf(ctx),
      });
      ctx.status = 201;
      ctx.body = { competency: presentCompetency(row) };
    },
  );

  router.put(
    '/interview-plans/:jobId/from-bank',
    requireAuth,
    validate({ params: jobParams, body: planFromBankBody }),
    async (ctx: AppContext<{ params: { jobId: number }; body: z.infer<typeof planFromBankBody> }>) => {
      ctx.body = (await buildPlanFromBank({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        jobId: ctx.input.params.jobId,
        body: ctx.input.body,
        context: ctxOf(ctx),
      })) satisfies PlanResponse;
    },
  );

  return router;
}
