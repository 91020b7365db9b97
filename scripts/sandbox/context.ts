/**
 * What a sandbox module receives. A module is a function that adds routes to the shared router
 * and, if it has something to show, a tab to the console. Later modules (workflow, robot messages,
 * calendar, OSS, ASR) plug in the same way: write `modules/<name>.ts`, add it to the list in
 * server.ts, and clear its own state with `state.onReset`.
 */
import type Router from '@koa/router';
import type { SandboxState } from './state';

/** A tab of the console page. */
export interface ConsoleTab {
  /** Stable id, used in `#<id>` links and `data-testid="tab-<id>"`. */
  id: string;
  /** Label in the tab strip (Chinese first, English hint). */
  label: string;
  /** HTML of the tab's panel, rendered on each page load (may include its own inline script). */
  render(): string;
}

/** Everything a module can use. */
export interface SandboxContext {
  router: Router;
  state: SandboxState;
  /** The mini-app's public URL without a trailing slash (the console opens it "as" a user). */
  appUrl: string;
  consoleTabs: ConsoleTab[];
}

/** A sandbox module: registers routes (and maybe console tabs). */
export type SandboxModule = (sb: SandboxContext) => void;
