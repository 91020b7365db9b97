/**
 * The start-up entry: a few KB that run as soon as `index.html` is in, while the app's code (its
 * own chunk, `start.tsx`, preloaded by `index.html`) is still downloading on a slow phone. It
 * sends the requests the first screen will make anyway, so their round trips overlap that
 * download instead of following it: sign-in's config and response schemas, the signed-in user,
 * and for a returning candidate the home's chunk, texts and first reads (issue 18: the home's
 * LCP under 1.5 s).
 */
import { loadAuthSchemas } from './auth/schemasLoader';
import { sessionKind } from './auth/session';
import { returningSession } from './auth/urlCredential';
import { reloadForNewBuild } from './chunkReload';
import { preloadCandidateHome } from './homes/preload';
import { prefetchGet } from './prefetch';

prefetchGet('/api/auth/config', null);
// Sign-in checks its answers against these schemas (zod): they load alongside the app's code.
loadAuthSchemas().catch(() => {});
const stored = returningSession();
if (stored) {
  prefetchGet('/api/me', stored.token);
  if (sessionKind(stored) === 'candidate') preloadCandidateHome(stored.token);
}

import('./start').then(
  ({ start }) => start(),
  (error: unknown) => {
    if (!reloadForNewBuild()) throw error;
  },
);
