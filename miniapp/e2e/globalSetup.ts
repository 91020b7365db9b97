/**
 * Runs once in vitest's main process before the browser test files start: builds
 * `miniapp/dist` if it is missing or stale. The files run two at a time, and each one's
 * `useStackAndBrowser` checks the build again; without this, two stale-build checks at the same
 * moment would run two Vite builds into the same directory.
 */
import { ensureMiniappBuilt } from './helpers';

export default function setup(): void {
  ensureMiniappBuilt();
}
