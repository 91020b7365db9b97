import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import { RequestContext } from '@mikro-orm/core';
import Koa, { type Next } from 'koa';
import serve from 'koa-static';
import type { AppContext, AppDeps, AppState } from './http';
import { categoryLogger } from './logger';
import { errorMiddleware } from './middleware/errors';
import { securityHeaders } from './middleware/security';
import { auditRoutes } from './routes/audit/audit';
import { authRoutes } from './routes/auth/auth';
import { availabilityRoutes } from './routes/availability/availability';
import { bookingRoutes } from './routes/bookings/bookings';
import { candidateRoutes } from './routes/candidates/candidates';
import { demographicsRoutes } from './routes/demographics/demographics';
import { dingtalkEventRoutes } from './routes/dingtalkEvents/dingtalkEvents';
import { fairnessRoutes } from './routes/fairness/fairness';
import { healthRoutes } from './routes/health/health';
import { interviewRoutes } from './routes/interview/interview';
import { interviewPlanRoutes } from './routes/interviewPlans/interviewPlans';
import { invitationRoutes } from './routes/invitations/invitations';
import { meRoutes } from './routes/me/me';
import { notificationRoutes } from './routes/notifications/notifications';
import { pipelineRoutes } from './routes/pipeline/pipeline';
import { privacyRoutes } from './routes/privacy/privacy';
import { reportRoutes } from './routes/reports/reports';
import { scheduleRoutes } from './routes/schedules/schedules';
import { uploadRoutes } from './routes/uploads/uploads';

/** Where the built mini-app lives (`npm run build`). */
export const MINIAPP_DIST = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../miniapp/dist');

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Builds the Koa app from its dependencies. No module globals: tests create as many apps as
 * they like, each with its own database and sandbox.
 */
export function createApp(deps: AppDeps, opts: { miniappDist?: string } = {}): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = deps.config.trustProxy;
  const httpLog = categoryLogger(deps.logger, 'http');
  (app.context as unknown as { deps: AppDeps }).deps = deps;

  // Request id first so every later log line and error body can carry it.
  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = httpLog.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.log.info(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  });
  app.use(securityHeaders as (ctx: Koa.ParameterizedContext<AppState>, next: Next) => Promise<void>);
  app.use(errorMiddleware as unknown as Koa.Middleware<AppState>);
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: `${deps.config.bodyLimitKb}kb`,
      encoding: 'utf-8',
      onError: (err: Error & { status?: number }) => {
        throw Object.assign(err, { expose: true, status: err.status ?? 400 });
      },
    }) as unknown as Koa.Middleware<AppState>,
  );
  // One EntityManager per request (identity map scoped to the request).
  app.use((_ctx, next) => RequestContext.create(deps.orm.em, next));

  for (const router of [
    healthRoutes(),
    authRoutes(deps.config.rateLimits.signInPerMinute),
    meRoutes(),
    candidateRoutes(),
    reportRoutes(),
    invitationRoutes(),
    pipelineRoutes(),
    dingtalkEventRoutes(),
    bookingRoutes(),
    availabilityRoutes(),
    scheduleRoutes(),
    demographicsRoutes(),
    fairnessRoutes(),
    privacyRoutes(),
    auditRoutes(),
    interviewRoutes(deps.config.interview.grantsPerMinute),
    uploadRoutes(),
    interviewPlanRoutes(),
    notificationRoutes(deps.config),
  ]) {
    app.use(router.routes() as unknown as Koa.Middleware<AppState>);
    app.use(router.allowedMethods({ throw: true }) as unknown as Koa.Middleware<AppState>);
  }

  const dist = opts.miniappDist ?? MINIAPP_DIST;
  app.use(
    serve(dist, { index: 'index.html', maxage: 0, gzip: false }) as unknown as Koa.Middleware<AppState>,
  );
  // SPA fallback: any non-API GET that is not a file gets the app shell.
  app.use(async (ctx: Koa.ParameterizedContext<AppState>, next: Next) => {
    if (ctx.method !== 'GET' || ctx.path.startsWith('/api/') || ctx.body !== undefined) return next();
    const index = path.join(dist, 'index.html');
    if (fs.existsSync(index)) {
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = fs.createReadStream(index);
    } else {
      ctx.status = 503;
      ctx.type = 'text';
      ctx.body = 'The mini-app is not built yet: run `npm run build` (npm run demo does it for you).';
    }
  });
  return app;
}

export type { AppContext };
