/**
 * The start-up entry: a few KB that run as soon as `index.html` is in, while the app's code (its
 * own chunk, `start.tsx`, preloaded by `index.html`) is still downloading on a slow phone. It
 * starts what the first screen will need anyway, so it overlaps that download instead of
 * following it: the first reads (`earlyReads.ts`; in a build `index.html` sent them already),
 * with no session stored the sign-in routes' schema, and for a returning candidate the home's
 * chunk and texts, painting the home's card from those reads before the app's code runs
 * (issue 18: the home's LCP under 1.5 s).
 */
import { loadAuthSchemas } from './auth/schemasLoader';
import { sessionKind } from './auth/session';
import { reloadForNewBuild } from './chunkReload';
import { startEarlyReads } from './earlyReads';
import { releaseEarlyHome } from './homes/earlyHome';
import { preloadCandidateHome } from './homes/preload';

// Already sent by the script in `index.html` in a build (then this finds them waiting).
const stored = startEarlyReads();
// Without a session to resume, a sign-in is coming (the sign-in page, a credential in the
// address, DingTalk's 免登): its answer is checked with zod, whose chunk loads alongside the
// app's code. A returning user's start-up needs no zod (`auth/shapes.ts`), so it does not
// share the slow network with the app's chunk.
let appMayRun: Promise<void> = Promise.resolve();
if (!stored) loadAuthSchemas().catch(() => {});
// A returning candidate's home card may be painted before the app runs (homes/earlyHome.ts).
else if (sessionKind(stored) === 'candidate') appMayRun = preloadCandidateHome();

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
