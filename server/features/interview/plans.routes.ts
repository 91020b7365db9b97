import { z } from 'zod';
import {
  type AccommodationResponse,
  accommodationBody,
  type PlanListResponse,
  questionsBody,
} from '../../../shared/api/interviewPlans';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { Job, jobState } from '../../kernel/db/entities/Job';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { loadPlan, saveAccommodation, saveQuestions } from './plans';

const jobParams = z.strictObject({ jobId: z.coerce.number().int().positive() });
const appParams = z.strictObject({ applicationId: z.coerce.number().int().positive() });

/** HR edits interview content (`/api/interview-plans`) and candidates' accommodations. */
export function interviewPlanRoutes() {
  const router = createRouter('/api/interview-plans');
  const hr = [requireAuth, requireRole('hr', 'admin')] as const;
  router.get('/', ...hr, async (ctx: AppContext) => {
    const em = ctx.deps.orm.em;
    const jobs = await em.find(Job, {}, { orderBy: { id: 'asc' } });
    const plans = await em.find(InterviewPlan, {});
    const counts = new Map<number, number>();
    for (const q of await em.find(InterviewQuestion, { practice: false }, { fields: ['plan'] }))
      counts.set(q.plan.id, (counts.get(q.plan.id) ?? 0) + 1);
    ctx.body = {
      items: jobs.map((j) => {
        const plan = plans.find((p) => p.job.id === j.id);
        return {
          jobId: j.id,
          title: j.title,
          status: jobState(j),
          questions: plan ? (counts.get(plan.id) ?? 0) : 0,
        };
      }),
    } satisfies PlanListResponse;
  });
  router.get(
    '/:jobId',
    ...hr,
    validate({ params: jobParams }),
    async (ctx: AppContext<{ params: { jobId: number } }>) => {
      ctx.body = await loadPlan(ctx.deps.orm.em, ctx.input.params.jobId);
    },
  );
  router.put(
    '/:jobId/questions',
    ...hr,
    validate({ params: jobParams, body: questionsBody }),
    async (ctx: AppContext<{ params: { jobId: number }; body: z.infer<typeof questionsBody> }>) => {
      ctx.body = await saveQuestions({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        jobId: ctx.input.params.jobId,
        body: ctx.input.body,
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      });
    },
  );
  router.put(
    '/accommodations/:applicationId',
    ...hr,
    validate({ params: appParams, body: accommodationBody }),
    async (
      ctx: AppContext<{ params: { applicationId: number }; body: z.infer<typeof accommodationBody> }>,
    ) => {
      ctx.body = {
        accommodation: await saveAccommodation({
          em: ctx.deps.orm.em,
          actor: actorOf(ctx),
          applicationId: ctx.input.params.applicationId,
          body: ctx.input.body,
          context: { ip: ctx.ip, requestId: ctx.state.requestId },
        }),
      } satisfies AccommodationResponse;
    },
  );
  return router;
}
