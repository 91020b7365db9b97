import Router from '@koa/router';
import type { DefaultContext } from 'koa';
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
