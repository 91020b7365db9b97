import { z } from 'zod';
import {
  type CandidateFollowUpsResponse,
  followUpAnswerBody,
  type PlanFollowUpsResponse,
  planFollowUpsBody,
  type ReportFollowUpsResponse,
} from '../../../shared/api/followups';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { InterviewPlan } from '../../kernel/db/entities/InterviewPlan';
import { AnswerTranscript } from '../../kernel/db/entities/Scoring';
import { forbidden, notFound } from '../../kernel/errors';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { loadReadableReport } from '../scoring';
import { answerFollowUp, setPlanFollowUps } from './commands';
import { presentCandidateFollowUp, presentReportFollowUp } from './present';

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });
const reportParams = z.strictObject({ reportId: z.coerce.number().int().positive() });
const jobParams = z.strictObject({ jobId: z.coerce.number().int().positive() });

function candidateOf(ctx: AppContext) {
  const actor = actorOf(ctx);
  if (actor.kind !== 'candidate')
    throw forbidden('candidates_only', 'Follow-up questions are answered by candidates');
  return actor;
}

/**
 * Follow-up questions (`/api/followups`): the candidate's own list and answers; the report's
 * question/answer/follow-up/answer view for those who may read the report; HR's per-plan switch.
 */
export function followUpRoutes() {
  const router = createRouter('/api/followups');

  router.get('/', requireAuth, async (ctx: AppContext) => {
    const actor = candidateOf(ctx);
    const rows = await ctx.deps.orm.em.find(
      FollowUp,
      { candidateId: actor.id, status: { $ne: 'withdrawn' } },
      { orderBy: { sessionId: 'desc', position: 'asc' } },
    );
    const items = rows
      .map(presentCandidateFollowUp)
      .sort((a, b) => Number(a.status !== 'pending') - Number(b.status !== 'pending'));
    ctx.body = {
      items,
      pending: items.filter((i) => i.status === 'pending').length,
    } satisfies CandidateFollowUpsResponse;
  });

  router.post(
    '/:id/answer',
    requireAuth,
    validate({ params: idParams, body: followUpAnswerBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof followUpAnswerBody> }>) => {
      ctx.body = {
        followUp: await answerFollowUp(ctx.deps.orm.em, {
          actor: candidateOf(ctx),
          id: ctx.input.params.id,
          text: ctx.input.body.text,
          now: ctx.deps.now?.() ?? new Date(),
        }),
      };
    },
  );

  router.get(
    '/reports/:reportId',
    requireAuth,
    validate({ params: reportParams }),
    async (ctx: AppContext<{ params: { reportId: number } }>) => {
      const em = ctx.deps.orm.em;
      const report = await loadReadableReport(em, actorOf(ctx), ctx.input.params.reportId);
      const rows = await em.find(FollowUp, { sessionId: report.sessionId }, { orderBy: { position: 'asc' } });
      const transcripts = rows.length
        ? await em.find(AnswerTranscript, { answerId: { $in: rows.map((r) => r.answerId) } })
        : [];
      ctx.body = {
        items: rows.map((f) =>
          presentReportFollowUp(f, transcripts.find((t) => t.answerId === f.answerId)?.text ?? null),
        ),
      } satisfies ReportFollowUpsResponse;
    },
  );

  const hr = [requireAuth, requireRole('hr', 'admin')] as const;
  router.get(
    '/plans/:jobId',
    ...hr,
    validate({ params: jobParams }),
    async (ctx: AppContext<{ params: { jobId: number } }>) => {
      const plan = await ctx.deps.orm.em.findOne(InterviewPlan, { job: ctx.input.params.jobId });
      if (!plan) throw notFound('Interview plan');
      ctx.body = { jobId: ctx.input.params.jobId, enabled: plan.followUps } satisfies PlanFollowUpsResponse;
    },
  );
  router.put(
    '/plans/:jobId',
    ...hr,
    validate({ params: jobParams, body: planFollowUpsBody }),
    async (ctx: AppContext<{ params: { jobId: number }; body: { enabled: boolean } }>) => {
      ctx.body = (await setPlanFollowUps(ctx.deps.orm.em, {
        actor: actorOf(ctx),
        jobId: ctx.input.params.jobId,
        enabled: ctx.input.body.enabled,
      })) satisfies PlanFollowUpsResponse;
    },
  );
  return router;
}
