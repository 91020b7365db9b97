import { type ComponentType, lazy } from 'react';
import { reloadForNewBuild } from './chunkReload';
import { Spinner } from './layout/Spinner';
import { ALL_FEATURES, loadMessages, type MessageNeed } from './messageLoaders';

/**
 * A screen loaded on first use (its own chunk), so a candidate's first load carries only the
 * sign-in and home code. `pick` names the export, since the screens use named exports.
 *
 * A chunk that fails to load (an older build's, after a deploy) reloads the page once
 * ({@link reloadForNewBuild}).
 *
 * `messages`: the catalogues the screen's texts come from (`messageLoaders.ts`: features' messages,
 * and `errors` for screens that show errors not made by a request), loaded in parallel with its
 * code so it renders with every text in place. Every catalogue by default (staff screens mix
 * several features); a candidate's screens name theirs, so they fetch little.
 */
export function lazyScreen<M, K extends keyof M>(
  load: () => Promise<M>,
  pick: K,
  messages: readonly MessageNeed[] = ALL_FEATURES,
) {
  return lazy(async () => {
    try {
      const [mod] = await Promise.all([load(), loadMessages(messages)]);
      return { default: mod[pick] as ComponentType };
    } catch (error) {
      // Keep Suspense's fallback up until the reload replaces the page.
      if (reloadForNewBuild()) return new Promise<never>(() => {});
      throw error;
    }
  });
}

/** Shown while a lazy screen's chunk loads; the frame around it stays. */
export function ScreenLoading() {
  return (
    <div className="center-screen" data-testid="screen-loading" aria-busy="true">
      <Spinner color="primary" />
    </div>
  );
}
