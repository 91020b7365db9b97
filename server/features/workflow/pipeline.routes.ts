import type { z } from 'zod';
import type {
  ApplicationResponse,
  DecisionBody,
  MyApplicationsResponse,
  PipelineBoardResponse,
  PipelineJobsResponse,
  StageResponse,
} from '../../../shared/api/workflow';
import { STAGES } from '../../../shared/stages';
import { audit } from '../../kernel/audit';
import { Application, type IApplication } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval } from '../../kernel/db/entities/Approval';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { JobRules } from '../../kernel/db/entities/JobRules';
import { User } from '../../kernel/db/entities/User';
import { notFound, validationError } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan, can } from '../../kernel/policies';
import { ensureTemplates } from './approvals';
import { answerOffer, decide } from './decisions';
import { boardQuery, decisionBody, jobRulesBody, offerAnswerBody } from './pipeline.schema';
import { actionsFor, presentApplicationCard, presentApproval, presentStageChange } from './present';
import { rulesFor } from './rules';

type Ctx<I> = AppContext<I>;

/** Pipeline board, application detail, HR decisions, the candidate's offer answer and job rules. */
export function pipelineRoutes() {
  const router = createRouter('/api');

  router.get('/pipeline/jobs', requireAuth, async (ctx: Ctx<unknown>) => {
    const actor = actorOf(ctx);
    assertCan(actor, 'candidate.list', undefined);
    const em = ctx.deps.orm.em;
    const jobs = await em.find(
      Job,
      can(actor, 'hr.access', undefined) || actor.kind !== 'employee'
        ? {}
        : { department: actor.departmentId ?? -1 },
      { orderBy: { id: 'asc' } },
    );
    const apps = await em.find(
      Application,
      { job: { $in: jobs.map((j) => j.id) } },
      { fields: ['job', 'stage'] },
    );
    ctx.body = {
      items: jobs.map((j) => {
        const counts: Record<string, number> = {};
        for (const a of apps) if (a.job.id === j.id) counts[a.stage] = (counts[a.stage] ?? 0) + 1;
        return { id: j.id, title: j.title, status: j.status, counts };
      }),
    } satisfies PipelineJobsResponse;
  });

  router.get(
    '/pipeline/jobs/:id',
    requireAuth,
    validate({ params: idParams, query: boardQuery }),
    async (
      ctx: Ctx<{ params: { id: number }; query: { stage?: string; suggestion?: string; q?: string } }>,
    ) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const job = await em.findOne(Job, { id: ctx.input.params.id });
      assertCan(
        actor,
        'application.read',
        { candidateId: -1, jobDepartmentId: job?.department.id ?? -1 },
        'Job',
      );
      if (!job) return;
      const apps = await em.find(
        Application,
        { job },
        { populate: ['candidate'], orderBy: { stageChangedAt: 'desc' } },
      );
      const reviews = await em.find(ApplicationReview, { application: { $in: apps.map((a) => a.id) } });
      const open = await em.find(Approval, {
        application: { $in: apps.map((a) => a.id) },
        activeKey: { $ne: null },
      });
      const { stage, suggestion, q } = ctx.input.query;
      const counts = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<string, number>;
      for (const a of apps) counts[a.stage] = (counts[a.stage] ?? 0) + 1;
      const cards = apps
        .map((a) =>
          presentApplicationCard(a, {
            candidateName: a.candidate.name,
            review: reviews.find((r) => r.application.id === a.id) ?? null,
            openApproval: open.find((o) => o.application.id === a.id) ?? null,
          }),
        )
        .filter((c) => (!stage || c.stage === stage) && (!suggestion || c.suggestion === suggestion))
        .filter((c) => !q || c.candidateName.includes(q));
      ctx.body = {
        job: { id: job.id, title: job.title },
        counts,
        items: cards,
      } satisfies PipelineBoardResponse;
    },
  );

  router.get(
    '/applications/:id',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: Ctx<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const app = await em.findOne(
        Application,
        { id: ctx.input.params.id },
        { populate: ['candidate', 'job'] },
      );
      assertCan(
        actor,
        'application.read',
        { candidateId: app?.candidate.id ?? -1, jobDepartmentId: app?.job.department.id ?? -1 },
        'Application',
      );
      if (!app) return;
      ctx.body = await presentDetail(ctx, app);
    },
  );

  router.post(
    '/applications/:id/decisions',
    requireAuth,
    validate({ params: idParams, body: decisionBody }),
    async (ctx: Ctx<{ params: { id: number }; body: DecisionBody }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const app = await em.findOne(Application, { id: ctx.input.params.id }, { populate: ['job'] });
      assertCan(
        actor,
        'application.read',
        { candidateId: -1, jobDepartmentId: app?.job.department.id ?? -1 },
        'Application',
      );
      assertCan(actor, 'application.decide', undefined);
      if (!app || actor.kind !== 'employee') throw notFound('Application');
      const result = await decide(ctx.deps.orm, {
        applicationId: app.id,
        actor,
        decision: ctx.input.body,
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      });
      ctx.body = result satisfies StageResponse;
    },
  );

  router.post(
    '/applications/:id/offer-answer',
    requireAuth,
    validate({ params: idParams, body: offerAnswerBody }),
    async (ctx: Ctx<{ params: { id: number }; body: { answer: 'accept' | 'decline'; version: number } }>) => {
      const actor = actorOf(ctx);
      const app = await ctx.deps.orm.em.findOne(Application, { id: ctx.input.params.id });
      assertCan(actor, 'application.answer_offer', { candidateId: app?.candidate.id ?? -1 }, 'Application');
      if (!app) return;
      ctx.body = (await answerOffer(ctx.deps.orm, {
        applicationId: app.id,
        candidateId: actor.id,
        answer: ctx.input.body.answer,
        version: ctx.input.body.version,
      })) satisfies StageResponse;
    },
  );

  router.get('/my/applications', requireAuth, async (ctx: Ctx<unknown>) => {
    const actor = actorOf(ctx);
    if (actor.kind !== 'candidate') throw notFound('Application');
    const em = ctx.deps.orm.em;
    const apps = await em.find(
      Application,
      { candidate: actor.id },
      { populate: ['job'], orderBy: { id: 'asc' } },
    );
    const offers = await em.find(Approval, {
      application: { $in: apps.map((a) => a.id) },
      kind: 'offer',
      status: 'agreed',
    });
    ctx.body = {
      items: apps.map((a) => ({
        id: a.id,
        jobTitle: a.job.title,
        stage: a.stage,
        version: a.version,
        // Offer terms only once the offer was approved and sent.
        offer: ['offer_sent', 'accepted', 'onboarding', 'hired'].includes(a.stage)
          ? (offers.find((o) => o.application.id === a.id)?.offer ?? null)
          : null,
      })),
    } satisfies MyApplicationsResponse;
  });

  router.get(
    '/jobs/:id/rules',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: Ctx<{ params: { id: number } }>) => {
      assertCan(actorOf(ctx), 'application.decide', undefined);
      const job = await ctx.deps.orm.em.findOne(Job, { id: ctx.input.params.id });
      if (!job) throw notFound('Job');
      ctx.body = { rules: await rulesFor(ctx.deps.orm.em, job.id) };
    },
  );

  router.put(
    '/jobs/:id/rules',
    requireAuth,
    validate({ params: idParams, body: jobRulesBody }),
    async (ctx: Ctx<{ params: { id: number }; body: z.infer<typeof jobRulesBody> }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'application.decide', undefined);
      const b = ctx.input.body;
      // Equal thresholds would leave no band for HR's review: pass must be strictly above reject.
      if (b.rejectThreshold >= b.passThreshold)
        throw validationError([
          { field: 'body.rejectThreshold', message: 'must be below passThreshold', kind: 'invalid' },
        ]);
      // Approvers and cc are DingTalk user ids of active people in the directory, each once.
      const known = new Set(
        (
          await ctx.deps.orm.em.find(
            User,
            { dingtalkUserId: { $in: [...b.approverUserIds, ...b.ccUserIds] }, active: true },
            { fields: ['dingtalkUserId'] },
          )
        ).map((u) => u.dingtalkUserId),
      );
      for (const key of ['approverUserIds', 'ccUserIds'] as const)
        for (const [i, id] of b[key].entries()) {
          if (!known.has(id))
            throw validationError([
              { field: `body.${key}.${i}`, message: `${id} is not an active employee`, kind: 'invalid' },
            ]);
          if (b[key].indexOf(id) !== i)
            throw validationError([{ field: `body.${key}.${i}`, message: 'listed twice', kind: 'invalid' }]);
        }
      await ctx.deps.orm.em.fork().transactional(async (em) => {
        const job = await em.findOne(Job, { id: ctx.input.params.id });
        if (!job) throw notFound('Job');
        const row = await em.findOne(JobRules, { job });
        const { hiringGroupConversationId: group, ...rest } = b;
        if (row) {
          Object.assign(row, rest);
          // Absent keeps the stored group (clients that don't know the field); null clears it.
          if (group !== undefined) row.hiringGroupConversationId = group;
        } else
          em.create(JobRules, {
            job,
            ...rest,
            secondRoundProcessCode: null,
            offerProcessCode: null,
            hiringGroupConversationId: group ?? null,
          });
        audit(em, actor, 'job.rules_updated', { type: 'job', id: job.id }, b, {
          ip: ctx.ip,
          requestId: ctx.state.requestId,
        });
      });
      ctx.body = { rules: await rulesFor(ctx.deps.orm.em.fork(), ctx.input.params.id) };
    },
  );

  router.post('/workflow/templates', requireAuth, async (ctx: Ctx<unknown>) => {
    assertCan(actorOf(ctx), 'application.decide', undefined);
    ctx.body = {
      processCodes: await ensureTemplates(ctx.deps.orm.em.fork(), ctx.deps.dingtalk, ctx.deps.config),
    };
  });

  return router;
}

async function presentDetail(ctx: Ctx<unknown>, app: IApplication): Promise<ApplicationResponse> {
  const actor = actorOf(ctx);
  const em = ctx.deps.orm.em;
  const candidate = await em.findOneOrFail(Candidate, { id: app.candidate.id });
  const isHrView = can(actor, 'application.decide', undefined);
  const base = {
    id: app.id,
    stage: app.stage,
    version: app.version,
    stageChangedAt: app.stageChangedAt.toISOString(),
    candidate: { id: candidate.id, name: candidate.name },
    job: { id: app.job.id, title: app.job.title },
  };
  if (actor.kind === 'candidate') return { application: { ...base, actions: actionsFor(app, 'candidate') } };
  const [review, approvals, history] = await Promise.all([
    em.findOne(ApplicationReview, { application: app.id }),
    em.find(Approval, { application: app.id }, { orderBy: { id: 'asc' } }),
    em.find(
      AuditLog,
      { objectType: 'application', objectId: String(app.id), action: 'application.stage_changed' },
      { orderBy: { id: 'asc' } },
    ),
  ]);
  return {
    application: {
      ...base,
      personOnly: app.personOnly,
      review: review
        ? {
            overall: review.overall ?? null,
            suggestion: review.suggestion,
            reason: review.reason,
            remark: review.remark ?? null,
            report: review.report ?? null,
          }
        : null,
      approvals: approvals.map(presentApproval),
      history: history.map(presentStageChange),
      actions: isHrView ? actionsFor(app, 'hr') : [],
    },
  };
}
