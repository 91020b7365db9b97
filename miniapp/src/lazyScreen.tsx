import { SpinLoading } from 'antd-mobile';
import { type ComponentType, lazy } from 'react';

/** sessionStorage key: when this tab last reloaded because a chunk of an older build was gone. */
const RELOADED_AT = 'aiv.chunkReloadAt';

/**
 * A screen loaded on first use (its own chunk), so a candidate's first load carries only the
 * sign-in and home code. `pick` names the export, since the screens use named exports.
 *
 * After a deploy the previous build's chunks are gone (the server 404s them); a tab still running
 * the old `index.html` then fails to load one. It reloads once to pick up the new build (at most
 * once a minute, so a real outage shows the error instead of looping).
 */
export function lazyScreen<M, K extends keyof M>(load: () => Promise<M>, pick: K) {
  return lazy(async () => {
    try {
      const mod = await load();
      return { default: mod[pick] as ComponentType };
    } catch (error) {
      const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
      if (Date.now() - last > 60_000) {
        sessionStorage.setItem(RELOADED_AT, String(Date.now()));
        window.location.reload();
        // Keep Suspense's fallback up until the reload replaces the page.
        return new Promise<never>(() => {});
      }
      throw error;
    }
  });
}

/** Shown while a lazy screen's chunk loads; the frame around it stays. */
export function ScreenLoading() {
  return (
    <div className="center-screen" data-testid="screen-loading" aria-busy="true">
      <SpinLoading color="primary" />
    </div>
  );
}
