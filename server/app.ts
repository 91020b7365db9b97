import type { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type EntityManager, RequestContext } from '@mikro-orm/core';
import Koa, { type Next } from 'koa';
import { FEATURES } from './features';
import type { Em } from './kernel/db/orm';
import type { Feature } from './kernel/feature';
import { jsonBodyParser } from './kernel/http/body';
import type { AppDeps, AppState } from './kernel/http/context';
import { dingtalkEventRoutes } from './kernel/http/dingtalkEvents';
import { errorMiddleware } from './kernel/http/errors';
import { healthRoutes } from './kernel/http/health';
import { type AppRouter, routesByHead } from './kernel/http/router';
import { securityHeaders, setHeader } from './kernel/http/security';
import { compressResponses, serveMiniapp } from './kernel/http/static';
import { categoryLogger, lazyChildLog, redactPath } from './kernel/logger';

/** Where the built mini-app lives (`npm run build`). */
export const MINIAPP_DIST = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../miniapp/dist');

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Turns an object or array body (a handler's, or an error body) into its JSON text once. Koa
 * would stringify it twice: koa-compress asks for the response's length, which koa measures by
 * stringifying the body, and koa stringifies it again to send it. The content type stays JSON
 * (koa set it when the object was assigned).
 */
async function jsonOnce(ctx: Koa.ParameterizedContext<AppState>, next: Next): Promise<void> {
  await next();
  const body: unknown = ctx.body;
  if (body === null || typeof body !== 'object') return;
  const proto = Object.getPrototypeOf(body);
  if (Array.isArray(body) || proto === Object.prototype || proto === null) ctx.body = JSON.stringify(body);
}

/**
 * The request's ORM context, whose EntityManager fork is made when something first asks for it.
 * `RequestContext.create` forks at once, and a fork (its unit of work, change-set machinery and
 * maps) was about a tenth of a web process's CPU on the upload grant, which runs in plain SQL and
 * never touches it (BENCHMARKS.md, load). Every reader goes through `map.get(name)`.
 */
export function lazyRequestContext(em: Em): RequestContext {
  return new RequestContext(new LazyForks(em) as unknown as Map<string, EntityManager>);
}

/** The forks of one request context: the given manager's fork is made on its first `get`. */
class LazyForks extends Map<string, Em> {
  private forking = false;

  constructor(private readonly em: Em) {
    super();
  }

  override get(name: string): Em | undefined {
    let fork = super.get(name);
    if (!fork && name === this.em.name && !this.forking) {
      // Forking resolves the current context itself (the fork's own set-up asks for it): during
      // the fork this map answers "none", as the eager context did before it was entered.
      this.forking = true;
      try {
        fork = this.em.fork({ useContext: true });
      } finally {
        this.forking = false;
      }
      super.set(name, fork);
    }
    return fork;
  }
}

/**
 * The store `RequestContext.create` runs in (private in MikroORM's types, so reached by name;
 * checked when an app is built, so a MikroORM that moved it fails at start, not per request).
 */
function requestContextStorage(): AsyncLocalStorage<RequestContext> {
  const storage = (RequestContext as unknown as { storage?: AsyncLocalStorage<RequestContext> }).storage;
  if (!storage || typeof storage.run !== 'function' || typeof storage.getStore !== 'function')
    throw new Error('MikroORM RequestContext has no storage: the lazy request context needs updating');
  return storage;
}

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
    lazyChildLog(ctx.state, httpLog, { requestId });
    setHeader(ctx, 'X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      // Below info (production's usual level) no per-request logger is built at all.
      if (httpLog.isLevelEnabled('info'))
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
  // Outside the error middleware so large error bodies are compressed too; it leaves alone what
  // already has a Content-Encoding (the precompressed mini-app files).
  app.use(compressResponses() as unknown as Koa.Middleware<AppState>);
  app.use(jsonOnce);
  app.use(errorMiddleware as unknown as Koa.Middleware<AppState>);
  app.use(jsonBodyParser(deps.config.bodyLimitKb * 1024) as unknown as Koa.Middleware<AppState>);
  // One EntityManager per request (identity map scoped to the request), forked when first used.
  const requestContexts = requestContextStorage();
  app.use((_ctx, next) => requestContexts.run(lazyRequestContext(deps.orm.em), next));

  const routers = appRouters(deps, opts.features ?? FEATURES);
  // One 405/501/OPTIONS check around all routers, not one after each: each check only reads
  // what every router it passed put in `ctx.matched`, once the rest of the chain has answered,
  // and all routers implement the same methods (`createRouter`), so the innermost check alone
  // always decided. Per router it was a promise per router passed on every request
  // (BENCHMARKS.md, load).
  const methods = routers[0]?.methods.join();
  if (routers.some((r) => r.methods.join() !== methods))
    throw new Error('every router must implement the same methods (one allowedMethods check serves all)');
  if (routers.length)
    app.use(routers[0].allowedMethods({ throw: true }) as unknown as Koa.Middleware<AppState>);
  app.use(routesByHead(routers));

  // The mini-app, precompressed and cached by content hash; any other non-API GET gets the app shell.
  app.use(serveMiniapp(opts.miniappDist ?? MINIAPP_DIST) as unknown as Koa.Middleware<AppState>);
  return app;
}
