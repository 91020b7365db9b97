/**
 * Runs once in vitest's main process before the browser test files start: builds
 * `miniapp/dist` if it is missing or stale. Each file's `useStackAndBrowser` checks the build
 * again, but building here, before any worker starts, means no two workers can ever run two
 * Vite builds into the same directory, whatever `fileParallelism` says.
 */
import { ensureMiniappBuilt } from './helpers';

export default function setup(): void {
  ensureMiniappBuilt();
}
