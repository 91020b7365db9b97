import { z } from 'zod';
import { DEMOGRAPHIC_DIMENSIONS } from '../../../shared/api/demographics';
import type { FairnessAuditResponse } from '../../../shared/api/fairness';
import { type AuditRecord, biasAudit } from '../../../shared/fairness/audit';
import type { Stage } from '../../../shared/stages';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { DemographicSelfId } from '../../kernel/db/entities/DemographicSelfId';
import { ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';

/** Query of `GET /api/fairness/audit`. */
export const fairnessQuery = z.strictObject({
  jobId: z.coerce.number().int().positive().optional(),
});

/** Stages reached only after a person advanced the candidate past the AI interview. */
const SELECTED: readonly Stage[] = [
  'second_round',
  'second_round_booked',
  'second_round_done',
  'offer_approval',
  'offer_sent',
  'accepted',
  'onboarding',
  'hired',
];

/**
 * An application counts as evaluated once a person has decided on its AI-interview report:
 * it was advanced (a selected stage) or rejected with a report on file. Applications still
 * waiting for a decision are left out, so pending work never looks like a low selection rate.
 */
function evaluated(stage: Stage, hasReport: boolean): boolean {
  return SELECTED.includes(stage) || (stage === 'rejected' && hasReport);
}

/**
 * The bias audit (TRUST.md "Fairness") per job or overall: selection and scoring rates per
 * self-identified category and intersection, impact ratios and four-fifths flags. HR only;
 * demographics are read here in aggregate and never leave this route per person.
 */
export function fairnessRoutes() {
  const router = createRouter('/api/fairness');
  router.get(
    '/audit',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ query: fairnessQuery }),
    async (ctx: AppContext<{ query: { jobId?: number } }>) => {
      const em = ctx.deps.orm.em;
      const jobId = ctx.input.query.jobId;
      const apps = await em.find(Application, jobId ? { job: jobId } : {}, {
        fields: ['id', 'stage', 'candidate'],
      });
      const reports = apps.length
        ? await em.find(
            InterviewReport,
            { application: { $in: apps.map((a) => a.id) } },
            { fields: ['id', 'application', 'overall'] },
          )
        : [];
      const reportOf = new Map(reports.map((r) => [r.application.id, r]));
      const candidateIds = [...new Set(apps.map((a) => a.candidate.id))];
      const demographics = candidateIds.length
        ? await em.find(DemographicSelfId, { candidate: { $in: candidateIds } })
        : [];
      const demoOf = new Map(demographics.map((d) => [d.candidate.id, d.categories]));
      const records: AuditRecord[] = [];
      for (const a of apps) {
        const report = reportOf.get(a.id);
        if (!evaluated(a.stage, Boolean(report))) continue;
        records.push({
          categories: demoOf.get(a.candidate.id) ?? {},
          selected: SELECTED.includes(a.stage),
          score: report?.overall ?? null,
        });
      }
      const result = biasAudit(records, Object.keys(DEMOGRAPHIC_DIMENSIONS));
      // The screening stage: every decided résumé counts (there is no pending decision row).
      const decisions = await em.find(ScreeningDecisionRow, jobId ? { job: jobId } : {}, {
        fields: ['id', 'candidate', 'decision', 'score'],
      });
      const missing = [...new Set(decisions.map((d) => d.candidate.id))].filter((id) => !demoOf.has(id));
      if (missing.length)
        for (const d of await em.find(DemographicSelfId, { candidate: { $in: missing } }))
          demoOf.set(d.candidate.id, d.categories);
      const screening = biasAudit(
        decisions.map((d) => ({
          categories: demoOf.get(d.candidate.id) ?? {},
          selected: d.decision === 'invite',
          score: d.score,
        })),
        Object.keys(DEMOGRAPHIC_DIMENSIONS),
      );
      audit(em, actorOf(ctx), 'fairness.audit_viewed', { type: 'job', id: jobId ?? 'all' }, null, {
        ip: ctx.ip,
        requestId: ctx.state.requestId,
      });
      await em.flush();
      ctx.body = { jobId: jobId ?? null, ...result, screening } satisfies FairnessAuditResponse;
    },
  );
  return router;
}
