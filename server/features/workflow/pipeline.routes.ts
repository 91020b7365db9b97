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
import { ApplicationReview, type IApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval, type IApproval } from '../../kernel/db/entities/Approval';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { type IJob, Job } from '../../kernel/db/entities/Job';
import { JobRules } from '../../kernel/db/entities/JobRules';
import { User } from '../../kernel/db/entities/User';
import { placeholders, sqlBool, sqlDate } from '../../kernel/db/raw';
import { query } from '../../kernel/db/tx';
import type { Em } from '../../kernel/db/types';
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
    // Counted by the database: hydrating every application of every job (a thousand entities
    // per call at a thousand candidates) was a synchronous chunk of the web process's loop that
    // every other request waited behind (BENCHMARKS.md, load).
    const ids = jobs.map((j) => j.id);
    const rows = ids.length
      ? await query<{ job_id: number | string; stage: string; n: number | string }>(
          em,
          `select job_id, stage, count(*) as n from applications where job_id in (${placeholders(ids.length)})
            group by job_id, stage`,
          ids,
        )
      : [];
    const counts = new Map<number, Record<string, number>>(ids.map((id) => [id, {}]));
    for (const r of rows) {
      const c = counts.get(Number(r.job_id));
      if (c) c[r.stage] = Number(r.n);
    }
    ctx.body = {
      items: jobs.map((j) => ({
        id: j.id,
        title: j.title,
        status: j.status,
        counts: counts.get(j.id) ?? {},
      })),
    } satisfies PipelineJobsResponse;
  });

  router.get(
    '/pipeline/jobs/:id',
    requireAuth,
    validate({ params: idParams, query: boardQuery }),
    async (ctx: Ctx<{ params: { id: number }; query: z.infer<typeof boardQuery> }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      // Plain SQL, not `findOne`: the board needs three columns of the job, and an ORM read
      // (query building, hydration, the request's fork) was a large share of this hot read's
      // CPU and garbage (BENCHMARKS.md, api).
      const [job] = await query<{ id: number; title: string; department_id: number }>(
        em,
        'select id, title, department_id from jobs where id = ?',
        [ctx.input.params.id],
      );
      assertCan(
        actor,
        'application.read',
        { candidateId: -1, jobDepartmentId: job ? Number(job.department_id) : -1 },
        'Job',
      );
      if (!job) return;
      ctx.body = await boardPage(em, { id: Number(job.id), title: job.title }, ctx.input.query);
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

/**
 * One page of a job's board. A read path only, in plain SQL (the plain-SQL pool on MySQL, whose
 * reads skip the ORM's query formatting and executor layers; the ORM's connection on SQLite): the
 * cards are serialised, never changed, so hydrating and tracking entities (the old path loaded
 * every application of the job, ~600 entities a request) buys nothing. Filters and paging are in
 * SQL and the counts a `group by`, so the cost follows the page size, not the job's size.
 */
async function boardPage(
  em: Em,
  job: Pick<IJob, 'id' | 'title'>,
  filters: z.infer<typeof boardQuery>,
): Promise<PipelineBoardResponse> {
  const { stage, suggestion, q, limit, offset } = filters;
  const countRows = await query<{ stage: string; n: number | string }>(
    em,
    'select stage, count(*) as n from applications where job_id = ? group by stage',
    [job.id],
  );
  const counts = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<string, number>;
  for (const r of countRows) counts[r.stage] = Number(r.n);
  const where = ['a.job_id = ?'];
  const params: unknown[] = [job.id];
  if (stage) {
    where.push('a.stage = ?');
    params.push(stage);
  }
  if (suggestion) {
    where.push('r.suggestion = ?');
    params.push(suggestion);
  }
  // LIKE wildcards typed by HR are taken literally by dropping them (names do not contain them).
  const name = q?.replace(/[%_\\]/g, '');
  if (name) {
    where.push('c.name like ?');
    params.push(`%${name}%`);
  }
  const rows = await query(
    em,
    `select a.id, a.candidate_id, c.name, a.job_id, a.stage, a.version, a.stage_changed_at, a.person_only
       from applications a join candidates c on c.id = a.candidate_id${
         suggestion ? ' join application_reviews r on r.application_id = a.id' : ''
       }
      where ${where.join(' and ')}
      order by a.stage_changed_at desc, a.id desc limit ? offset ?`,
    [...params, limit + 1, offset],
  );
  const page = rows.slice(0, limit);
  const ids = page.map((a) => Number(a.id));
  type Review = Pick<IApplicationReview, 'overall' | 'suggestion' | 'reason'>;
  const reviews = new Map<number, Review>();
  const open = new Map<number, Pick<IApproval, 'kind' | 'status'>>();
  if (ids.length) {
    const list = placeholders(ids.length);
    for (const r of await query<Review & { application_id: number }>(
      em,
      `select application_id, overall, suggestion, reason from application_reviews where application_id in (${list})`,
      ids,
    ))
      reviews.set(Number(r.application_id), r);
    for (const o of await query<Pick<IApproval, 'kind' | 'status'> & { application_id: number }>(
      em,
      `select application_id, kind, status from approvals
        where application_id in (${list}) and active_key is not null order by id`,
      ids,
    ))
      if (!open.has(Number(o.application_id))) open.set(Number(o.application_id), o);
  }
  return {
    job: { id: job.id, title: job.title },
    counts,
    items: page.map((a) => {
      const id = Number(a.id);
      return presentApplicationCard(
        {
          id,
          candidate: { id: Number(a.candidate_id) },
          job: { id: Number(a.job_id) },
          stage: a.stage as IApplication['stage'],
          version: Number(a.version),
          stageChangedAt: sqlDate(a.stage_changed_at) as Date,
          personOnly: sqlBool(a.person_only),
        },
        {
          candidateName: String(a.name),
          review: reviews.get(id) ?? null,
          openApproval: open.get(id) ?? null,
        },
      );
    }),
    nextOffset: rows.length > limit ? offset + limit : null,
  };
}
