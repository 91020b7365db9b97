import type { z } from 'zod';
import type {
  AnswerResponse,
  AttemptPollResponse,
  ConsentResponse,
  GrantResponse,
  InterviewOverview,
  StartResponse,
  SubmitResponse,
} from '../../../shared/api/interview';
import type { Em } from '../../kernel/db/orm';
import { AppError } from '../../kernel/errors';
import { actorOf, deferredSessionOf, requireAuth, requireAuthDeferred } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { actorSubject, deferredHitOf, deferredRateLimit, rateLimit } from '../../kernel/http/rateLimit';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import {
  answerParams,
  attemptParams,
  attemptQuery,
  completeBody,
  consentBody,
  grantBody,
  multipartBody,
  overviewQuery,
  startBody,
  textBody,
} from './interview.schema';
import {
  acceptAnswer,
  attemptVerdictPoll,
  completeUpload,
  grantUpload,
  type InterviewDeps,
  interviewOverview,
  ossMultipart,
  recordConsent,
  retakeAnswer,
  serveNext,
  startAnswer,
  startSession,
  submitSession,
  submitText,
  withdrawConsent,
} from './service';

function deps(ctx: AppContext): InterviewDeps {
  return {
    em: ctx.deps.orm.em,
    config: ctx.deps.config,
    storage: ctx.deps.storage,
    actor: actorOf(ctx),
    now: ctx.deps.now?.() ?? new Date(),
    context: { ip: ctx.ip, requestId: ctx.state.requestId, userAgent: ctx.get('user-agent') },
  };
}

type Answer = { params: z.infer<typeof answerParams> };

/**
 * The body of `GET /api/interview` in `locale`, read through `em`. Also one part of a candidate's
 * first-screen read (`GET /api/home/first`), which must answer exactly what this route does.
 */
export function overviewResponse(ctx: AppContext, em: Em, locale?: string): Promise<InterviewOverview> {
  return interviewOverview({ ...deps(ctx), em }, locale);
}

/**
 * The candidate's AI interview (`/api/interview`). Every route works on the signed-in
 * candidate's own application; answer ids of other candidates are 404.
 */
export function interviewRoutes(grantsPerMinute: number) {
  const router = createRouter('/api/interview');
  // Counted inside the grant's own transaction (the hottest candidate write; see grantLean.ts).
  const grants = deferredRateLimit(
    { name: 'upload_grant', limit: grantsPerMinute, windowMs: 60_000 },
    actorSubject,
  );
  // Resuming on a flaky network asks often; still bounded so nobody floods OSS through us.
  const parts = rateLimit(
    { name: 'upload_part', limit: grantsPerMinute * 4, windowMs: 60_000 },
    actorSubject,
  );
  router.get(
    '/',
    requireAuth,
    validate({ query: overviewQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof overviewQuery> }>) => {
      ctx.body = await overviewResponse(ctx, ctx.deps.orm.em, ctx.input.query.locale);
    },
  );
  router.post(
    '/consent',
    requireAuth,
    validate({ body: consentBody }),
    async (ctx: AppContext<{ body: z.infer<typeof consentBody> }>) => {
      ctx.status = 201;
      ctx.body = { consent: await recordConsent(deps(ctx), ctx.input.body) } satisfies ConsentResponse;
    },
  );
  router.post('/consent/withdraw', requireAuth, async (ctx: AppContext) => {
    ctx.body = await withdrawConsent(deps(ctx));
  });
  router.post(
    '/start',
    requireAuth,
    validate({ body: startBody }),
    async (ctx: AppContext<{ body: z.infer<typeof startBody> }>) => {
      ctx.body = { session: await startSession(deps(ctx), ctx.input.body) } satisfies StartResponse;
    },
  );
  router.post('/next', requireAuth, async (ctx: AppContext) => {
    ctx.body = await serveNext(deps(ctx));
  });
  /** A step of one answer that takes no body and returns the answer (start, retake, accept). */
  const answerStep = (
    step: string,
    run: (d: InterviewDeps, answerId: number) => Promise<AnswerResponse['answer']>,
  ) =>
    router.post(
      `/answers/:answerId/${step}`,
      requireAuth,
      validate({ params: answerParams }),
      async (ctx: AppContext<Answer>) => {
        ctx.body = { answer: await run(deps(ctx), ctx.input.params.answerId) } satisfies AnswerResponse;
      },
    );
  answerStep('start', startAnswer);
  router.post(
    '/answers/:answerId/grant',
    // The session row is read in the grant's own transaction (see grantLean.ts).
    requireAuthDeferred,
    grants,
    validate({ params: answerParams, body: grantBody }),
    async (ctx: AppContext<Answer & { body: z.infer<typeof grantBody> }>) => {
      ctx.status = 201;
      ctx.body = {
        grant: await grantUpload(
          deps(ctx),
          ctx.input.params.answerId,
          ctx.input.body,
          deferredHitOf(ctx),
          deferredSessionOf(ctx),
        ),
      } satisfies GrantResponse;
    },
  );
  router.post(
    '/answers/:answerId/complete',
    requireAuth,
    validate({ params: answerParams, body: completeBody }),
    async (ctx: AppContext<Answer & { body: z.infer<typeof completeBody> }>) => {
      const v = await completeUpload(deps(ctx), ctx.input.params.answerId, ctx.input.body.attempt);
      // 202: the media check runs in a worker; the candidate polls the attempt for the verdict.
      ctx.status = v.status === 'checking' ? 202 : 200;
      ctx.body = v;
    },
  );
  router.get(
    '/answers/:answerId/attempts/:attempt',
    requireAuth,
    validate({ params: attemptParams, query: attemptQuery }),
    async (
      ctx: AppContext<{ params: z.infer<typeof attemptParams>; query: z.infer<typeof attemptQuery> }>,
    ) => {
      const { answerId, attempt } = ctx.input.params;
      // The screen asks while the worker checks: a small read until the verdict, held up to
      // `wait` ms (one request per recording instead of a poll every 300 ms to 3 s).
      ctx.body = (await attemptVerdictPoll(
        deps(ctx),
        answerId,
        attempt,
        ctx.input.query.wait ?? 0,
      )) satisfies AttemptPollResponse;
    },
  );
  // OSS mode: resumable multipart upload of the current attempt (init / resume / complete).
  router.post(
    '/answers/:answerId/multipart',
    requireAuth,
    parts,
    validate({ params: answerParams, body: multipartBody }),
    async (ctx: AppContext<Answer & { body: z.infer<typeof multipartBody> }>) => {
      ctx.body = await ossMultipart(deps(ctx), ctx.input.params.answerId, ctx.input.body);
    },
  );
  answerStep('retake', retakeAnswer);
  answerStep('accept', acceptAnswer);
  router.post(
    '/answers/:answerId/text',
    requireAuth,
    validate({ params: answerParams, body: textBody }),
    async (ctx: AppContext<Answer & { body: z.infer<typeof textBody> }>) => {
      ctx.body = {
        answer: await submitText(deps(ctx), ctx.input.params.answerId, ctx.input.body.text),
      } satisfies AnswerResponse;
    },
  );
  // Upload speed probe of the device check: reads and discards up to 2 MB.
  router.post('/probe', requireAuth, async (ctx: AppContext) => {
    let bytes = 0;
    for await (const chunk of ctx.req) {
      bytes += (chunk as Buffer).length;
      if (bytes > 2 * 1024 * 1024) throw new AppError('probe_too_large', 'The probe may be at most 2 MB');
    }
    ctx.body = { bytes };
  });
  router.post('/submit', requireAuth, async (ctx: AppContext) => {
    ctx.body = { session: await submitSession(deps(ctx)) } satisfies SubmitResponse;
  });
  return router;
}
