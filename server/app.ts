import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import { RequestContext } from '@mikro-orm/core';
import Koa, { type Next } from 'koa';
import serve from 'koa-static';
import { FEATURES } from './features';
import { notFound } from './kernel/errors';
import type { Feature } from './kernel/feature';
import type { AppDeps, AppState } from './kernel/http/context';
import { dingtalkEventRoutes } from './kernel/http/dingtalkEvents';
import { errorMiddleware } from './kernel/http/errors';
import { healthRoutes } from './kernel/http/health';
import type { AppRouter } from './kernel/http/router';
import { securityHeaders } from './kernel/http/security';
import { categoryLogger, redactPath } from './kernel/logger';

/** Where the built mini-app lives (`npm run build`). */
export const MINIAPP_DIST = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../miniapp/dist');

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The routers an app mounts for its configuration, in order: health, DingTalk's HTTP event
 * callback (only in HTTP event mode), then each feature's. Exported so the access-matrix test
 * reviews exactly what is mounted.
 */
export function appRouters(deps: AppDeps, features: readonly Feature[] = FEATURES): AppRouter[] {
  return [
    healthRoutes(),
    // DingTalk's HTTP event callback feeds the process's inbound dispatcher (features' handlers).
    // Mounted only when events arrive that way: in Stream mode (or off) the route does not
    // exist, so nobody can post sealed bodies at it whatever secrets they hold.
    ...(deps.config.dingtalk.eventMode === 'http' ? [dingtalkEventRoutes()] : []),
    ...features.flatMap((f) => f.routes?.(deps) ?? []),
  ];
}

/**
 * Builds the Koa app from its dependencies. No module globals: tests create as many apps as
 * they like, each with its own database and sandbox.
 */
export function createApp(
  deps: AppDeps,
  opts: { miniappDist?: string; features?: readonly Feature[] } = {},
): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = deps.config.trustProxy;
  // Only the entries our own proxies appended: the leftmost X-Forwarded-For entry is the client's to forge.
  app.maxIpsCount = deps.config.trustProxyHops;
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
          // Invitation and upload-grant tokens travel in the path: logged without them.
          path: redactPath(ctx.path),
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

  for (const router of appRouters(deps, opts.features ?? FEATURES)) {
    app.use(router.routes() as unknown as Koa.Middleware<AppState>);
    app.use(router.allowedMethods({ throw: true }) as unknown as Koa.Middleware<AppState>);
  }

  const dist = opts.miniappDist ?? MINIAPP_DIST;
  const statics = serve(dist, {
    index: 'index.html',
    maxage: 0,
    gzip: false,
  }) as unknown as Koa.Middleware<AppState>;
  app.use(async (ctx, next) => {
    try {
      await statics(ctx, next);
    } catch (err) {
      // The static layer refuses paths that climb out of its folder (`/..%2f..%2fetc%2fpasswd`:
      // 403) or do not decode (400). Whatever they aim at does not exist here: a plain 404,
      // nothing worth a stack trace in the log.
      const status = (err as { status?: number }).status;
      if (status === 403 || status === 400) throw notFound('File', 'route_not_found');
      throw err;
    }
  });
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
