/** sessionStorage key: when this tab last reloaded because a chunk of an older build was gone. */
const RELOADED_AT = 'aiv.chunkReloadAt';

/**
 * After a deploy the previous build's chunks are gone (the server 404s them); a tab still running
 * the old `index.html` then fails to load one. Reloads the page to pick up the new build, at most
 * once a minute so a real outage shows its error instead of looping. Returns whether it reloaded.
 */
export function reloadForNewBuild(now: number = Date.now()): boolean {
  let last = 0;
  try {
    last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
  } catch {
    // No sessionStorage (some WebViews): reload anyway, the minute's guard is best effort.
  }
  if (now - last <= 60_000) return false;
  try {
    sessionStorage.setItem(RELOADED_AT, String(now));
  } catch {
    // As above.
  }
  window.location.reload();
  return true;
}
