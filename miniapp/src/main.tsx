/**
 * The start-up entry: a few KB that run as soon as `index.html` is in, while the app's code (its
 * own chunk, `start.tsx`, preloaded by `index.html`) is still downloading on a slow phone. It
 * sends the requests the first screen will make anyway, so their round trips overlap that
 * download instead of following it: sign-in's config (and, with no session stored, the sign-in
 * routes' schema), the signed-in user, and for a returning candidate the home's chunk, texts and
 * first reads, from which it paints the home's card before the app's code runs (issue 18: the
 * home's LCP under 1.5 s).
 */
import { loadAuthSchemas } from './auth/schemasLoader';
import { sessionKind } from './auth/session';
import { returningSession } from './auth/urlCredential';
import { reloadForNewBuild } from './chunkReload';
import { releaseEarlyHome } from './homes/earlyHome';
import { preloadCandidateHome } from './homes/preload';
import { prefetchGet } from './prefetch';

prefetchGet('/api/auth/config', null);
const stored = returningSession();
// Without a session to resume, a sign-in is coming (the sign-in page, a credential in the
// address, DingTalk's 免登): its answer is checked with zod, whose chunk loads alongside the
// app's code. A returning user's start-up needs no zod (`auth/shapes.ts`), so it does not
// share the slow network with the app's chunk.
let appMayRun: Promise<void> = Promise.resolve();
if (!stored) loadAuthSchemas().catch(() => {});
else {
  prefetchGet('/api/me', stored.token);
  // A returning candidate's home card may be painted before the app runs (homes/earlyHome.ts).
  if (sessionKind(stored) === 'candidate') appMayRun = preloadCandidateHome(stored.token);
}

appMayRun
  .then(() => import('./start'))
  .then(
    ({ start }) => start(),
    (error: unknown) => {
      // The early-painted home's buttons would do nothing without the app: show what is under it.
      releaseEarlyHome();
      if (!reloadForNewBuild()) throw error;
    },
  );
