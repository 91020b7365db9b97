import Router from '@koa/router';
import type Koa from 'koa';
import type { DefaultContext } from 'koa';
import compose from 'koa-compose';
import type { AppDeps, AppState } from './context';

/** A router typed with our state and context. */
export type AppRouter = Router<AppState, DefaultContext & { input: any; deps: AppDeps }>;

/** Creates a router for one route group. */
export function createRouter(prefix?: string): AppRouter {
  return new Router<AppState, DefaultContext & { input: any; deps: AppDeps }>(
    prefix ? { prefix } : undefined,
  );
}

/** One mounted route: method and path pattern (as written, prefix included). */
export interface RouteEntry {
  method: string;
  path: string;
}

/**
 * Every method and path the routers answer (HEAD only where it is declared on its own). The
 * access-matrix test compares this list with its table, so a new route cannot go unreviewed.
 */
export function listRoutes(routers: readonly AppRouter[]): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const router of routers)
    for (const layer of router.stack) {
      const methods = layer.methods.filter((m) => m !== 'HEAD');
      for (const method of methods.length ? methods : layer.methods)
        out.push({ method, path: String(layer.path) });
    }
  return out;
}

/**
 * The head of a route's path: its first two segments, lower-cased (`/api/interview`), which
 * every request the route can match starts with. `null` when the route could match requests of
 * more than one head: a parameter or wildcard within its first two segments (`/api/:id`), a
 * regular-expression path, or a one-segment prefix that also matches what lies below it.
 */
function layerHead(layer: AppRouter['stack'][number]): string | null {
  if (typeof layer.path !== 'string' || layer.opts.pathAsRegExp === true) return null;
  // The literal text before the first parameter, wildcard, optional group or escape.
  const cut = layer.path.search(/[:*{(\\]/);
  const literal = (cut < 0 ? layer.path : layer.path.slice(0, cut)).toLowerCase();
  const segments = literal.split('/').slice(1);
  // The last piece is a whole segment only when the path has no pattern after it.
  const whole =
    cut < 0 ? segments.filter((s, i) => s !== '' || i < segments.length - 1) : segments.slice(0, -1);
  if (whole.length >= 2) return `/${whole[0]}/${whole[1]}`;
  // `/healthz`: a one-segment route matches its own head only, unless it matches below it too.
  if (whole.length === 1 && cut < 0 && layer.opts.end !== false) return `/${whole[0]}`;
  return null;
}

/** The head of a request's path, as {@link layerHead} reads a route's (a trailing slash dropped). */
function requestHead(path: string): string {
  const second = path.indexOf('/', 1);
  const third = second < 0 ? -1 : path.indexOf('/', second + 1);
  const head = third < 0 ? path : path.slice(0, third);
  return (head.endsWith('/') && head.length > 1 ? head.slice(0, -1) : head).toLowerCase();
}

/**
 * One middleware in place of each router's own, which sends a request only through the routers
 * that have a route under its path's head (the first two segments), in their order. A router's
 * middleware tests the request against every route it has and passes a promise on when none
 * matches; with some thirty routers every API request paid that some thirty times, a measurable
 * share of a cheap request's CPU (BENCHMARKS.md, load). A router left out could not have
 * matched, so what answers is what would have answered. `ctx.matched` is started empty, as the
 * first router used to, for the one `allowedMethods` check around all routers (405, 501, OPTIONS).
 */
export function routesByHead(routers: readonly AppRouter[]): Koa.Middleware<AppState> {
  const middleware = routers.map((r) => r.routes() as unknown as Koa.Middleware<AppState>);
  const heads = routers.map((r) => new Set(r.stack.map(layerHead)));
  const chain = (head: string | null) => {
    const list = middleware.filter((_, i) => heads[i].has(null) || (head !== null && heads[i].has(head)));
    return list.length === 1 ? list[0] : compose(list);
  };
  // Only heads some route has: a request's head is the client's to choose, so it never becomes a key.
  const byHead = new Map(
    [...new Set(heads.flatMap((h) => [...h]))].flatMap((h) => (h ? [[h, chain(h)]] : [])),
  );
  const others = chain(null);
  return (ctx, next) => {
    const c = ctx as typeof ctx & { matched?: unknown[] };
    c.matched ??= [];
    return (byHead.get(requestHead(ctx.path)) ?? others)(ctx, next);
  };
}
