import { z } from 'zod';
import {
  type CandidateFollowUpsResponse,
  type FollowUpRecordingResponse,
  type FollowUpRecordingStatus,
  followUpAnswerBody,
  followUpGrantBody,
  followUpMultipartBody,
  type PlanFollowUpsResponse,
  planFollowUpsBody,
  type ReportFollowUpsResponse,
} from '../../../shared/api/followups';
import type { GrantResponse, MultipartState } from '../../../shared/api/interview';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { InterviewPlan } from '../../kernel/db/entities/InterviewPlan';
import { AnswerTranscript } from '../../kernel/db/entities/Scoring';
import { forbidden, notFound } from '../../kernel/errors';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { actorSubject, rateLimit } from '../../kernel/http/rateLimit';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { loadReadableReport } from '../scoring';
import { answerFollowUp, setPlanFollowUps } from './commands';
import { presentCandidateFollowUp, presentReportFollowUp } from './present';
import {
  completeFollowUpUpload,
  followUpMultipart,
  followUpRecordingStatus,
  grantFollowUpUpload,
} from './recording';

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
 * Follow-up questions (`/api/followups`): the candidate's own list and answers (typed, or
 * recorded through an upload grant and verified like interview answers); the report's
 * question/answer/follow-up/answer view for those who may read the report; HR's per-plan switch.
 */
export function followUpRoutes(grantsPerMinute: number) {
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

  // Recorded answers: the same grant -> upload -> complete path as interview answers.
  const grants = rateLimit({ name: 'upload_grant', limit: grantsPerMinute, windowMs: 60_000 }, actorSubject);
  const recordingDeps = (ctx: AppContext) => ({
    em: ctx.deps.orm.em,
    config: ctx.deps.config,
    storage: ctx.deps.storage,
    now: ctx.deps.now?.() ?? new Date(),
    actor: candidateOf(ctx),
  });
  router.post(
    '/:id/recording',
    requireAuth,
    grants,
    validate({ params: idParams, body: followUpGrantBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof followUpGrantBody> }>) => {
      ctx.status = 201;
      ctx.body = {
        grant: await grantFollowUpUpload(recordingDeps(ctx), ctx.input.params.id, ctx.input.body),
      } satisfies GrantResponse;
    },
  );
  // OSS: a long recording goes up part by part, resumable after a drop (as interview answers).
  router.post(
    '/:id/recording/multipart',
    requireAuth,
    validate({ params: idParams, body: followUpMultipartBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof followUpMultipartBody> }>) => {
      ctx.body = (await followUpMultipart(
        recordingDeps(ctx),
        ctx.input.params.id,
        ctx.input.body,
      )) satisfies MultipartState;
    },
  );
  router.post(
    '/:id/recording/complete',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const { status, row } = await completeFollowUpUpload(recordingDeps(ctx), ctx.input.params.id);
      // 202: a worker checks the recording; the screen polls GET /:id/recording for the verdict.
      ctx.status = status.status === 'checking' ? 202 : 200;
      ctx.body = { ...status, followUp: presentCandidateFollowUp(row) } satisfies FollowUpRecordingResponse;
    },
  );
  // The poll of the recording's check and transcription: one small read, no list, no transcript.
  router.get(
    '/:id/recording',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      ctx.body = (await followUpRecordingStatus(
        ctx.deps.orm.em,
        candidateOf(ctx),
        ctx.input.params.id,
      )) satisfies FollowUpRecordingStatus;
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
