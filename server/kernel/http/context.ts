import type { DefaultContext, DefaultState, ParameterizedContext } from 'koa';
import type { Actor } from '../actor';
import type { Deps } from '../deps';
import type { Logger } from '../logger';

export type { Actor } from '../actor';

/** Everything `createApp` needs (the process's {@link Deps}); nothing is read from module globals. */
export type AppDeps = Deps;

/** Per-request state. */
export interface AppState extends DefaultState {
  requestId: string;
  actor?: Actor;
  log: Logger;
  /** CSP sources for the inline scripts of the page being sent (`appShell.ts`). */
  scriptSources?: string[];
}

/** Koa context with our state and the validated input. */
export type AppContext<I = unknown> = ParameterizedContext<
  AppState,
  DefaultContext & { input: I; deps: AppDeps }
>;
