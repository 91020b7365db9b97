import { z } from 'zod';
import {
  type SummaryReportResponse,
  type SummaryRulesResponse,
  summaryRulesBody,
} from '../../../shared/api/summary';
import { forbidden } from '../../kernel/errors';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { setSummaryRules, summaryReport, summaryRulesOf } from './summary';

const reportParams = z.strictObject({ reportId: z.coerce.number().int().positive() });
const jobParams = z.strictObject({ jobId: z.coerce.number().int().positive() });

/**
 * The summary report (`/api/summary`): one candidate's 面试总结报告 for those who may read the
 * report, and HR's per-job rule for combining the AI's score with the people's.
 */
export function summaryRoutes() {
  const router = createRouter('/api/summary');
  router.get(
    '/reports/:reportId',
    requireAuth,
    validate({ params: reportParams }),
    async (ctx: AppContext<{ params: { reportId: number } }>) => {
      ctx.body = (await summaryReport(
        ctx.deps.orm.em,
        actorOf(ctx),
        ctx.input.params.reportId,
      )) satisfies SummaryReportResponse;
    },
  );
  const hr = [requireAuth, requireRole('hr', 'admin')] as const;
  router.get(
    '/jobs/:jobId/rules',
    ...hr,
    validate({ params: jobParams }),
    async (ctx: AppContext<{ params: { jobId: number } }>) => {
      ctx.body = (await summaryRulesOf(
        ctx.deps.orm.em,
        ctx.input.params.jobId,
      )) satisfies SummaryRulesResponse;
    },
  );
  router.put(
    '/jobs/:jobId/rules',
    ...hr,
    validate({ params: jobParams, body: summaryRulesBody }),
    async (ctx: AppContext<{ params: { jobId: number }; body: z.infer<typeof summaryRulesBody> }>) => {
      const actor = actorOf(ctx);
      if (actor.kind !== 'employee') throw forbidden('forbidden', 'HR only');
      ctx.body = (await setSummaryRules(ctx.deps.orm.em, {
        actor,
        jobId: ctx.input.params.jobId,
        ...ctx.input.body,
      })) satisfies SummaryRulesResponse;
    },
  );
  return router;
}
