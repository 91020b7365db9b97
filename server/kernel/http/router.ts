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
