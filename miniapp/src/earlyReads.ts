/**
 * The first requests of a load: sign-in's config and, for a returning user, who they are and (a
 * candidate) the reads of their home's first screen. Sent by a few hundred bytes that the build
 * writes into `index.html` itself (`inlineReads.ts`, inlined by `miniapp/vite.config.ts`), so they
 * leave while the HTML is still being parsed, and again (a no-op then: `prefetchGet` sends a
 * path once) by the start-up entry (`main.tsx`), for a page without them (development, tests).
 *
 * Why inline: on a slow phone (`npm run bench -- frontend`: 150 ms RTT, 1.6 Mbps, 4x CPU) the
 * entry's file arrived and ran about 0.7 s after the HTML, and the home's card waited for these
 * reads after that (issue 18: the home's LCP under 1.5 s). Inline they overlap the entry's download.
 * Their answers wait in `prefetch.ts`'s store, which the inline copy and the app's share.
 *
 * A returning candidate's reads go as one request (`GET /api/home/first`, {@link candidateFirstReads}):
 * sent separately, five reads queued with the app's scripts on HTTP/1.1's six connections, and
 * each paid the server's authentication and logging; the store hands each part to its reader
 * under the path it asks for, so the app reads them as before.
 */

import type { HomeFirstPart } from '../../shared/api/home';
import { type StoredSession, sessionKind } from './auth/session';
import { returningSession } from './auth/urlCredential';
import { DEFAULT_LANG, storedLang } from './lang';
import { prefetchGet, prefetchParts } from './prefetch';

/**
 * The reads the candidate home sends on its first render, as its hooks send them (the interview
 * overview in the UI's language, bookings, feedback, the progress timeline): the next-step card
 * waits for the first two, and the largest text on the screen (the deadline) comes from them. The
 * entries further down (applications, inbox, follow-ups) load when the card is there.
 * `miniapp/e2e/firstload.browser.test.ts` checks that the home reads them from the one combined
 * read ({@link candidateFirstReads}), sent once, and never sends them again on their own.
 */
export function candidateHomeReads(lang: string): string[] {
  return [
    `/api/interview?locale=${encodeURIComponent(lang)}`,
    '/api/bookings/mine',
    '/api/feedback',
    '/api/home/timeline',
  ];
}

/**
 * A returning candidate's first reads as the parts of `GET /api/home/first` (name, and the path of
 * the separate read that part stands for): who they are, then {@link candidateHomeReads}.
 */
export function candidateFirstReads(lang: string): Array<[HomeFirstPart, string]> {
  const [interview, bookings, feedback, timeline] = candidateHomeReads(lang);
  return [
    ['me', '/api/me'],
    ['interview', interview],
    ['bookings', bookings],
    ['feedback', feedback],
    ['timeline', timeline],
  ];
}

/** The combined read of {@link candidateFirstReads} in `lang`. */
export function candidateFirstReadPath(lang: string): string {
  return `/api/home/first?locale=${encodeURIComponent(lang)}`;
}

/**
 * Sends the load's first reads (see the module's comment) and returns the session they were sent
 * for: the stored one, unless it expired or the address carries a new credential (a sign-in is
 * coming, whose answer these reads would not belong to).
 */
export function startEarlyReads(): StoredSession | null {
  prefetchGet('/api/auth/config', null);
  const stored = returningSession();
  if (stored && sessionKind(stored) === 'candidate') {
    const lang = storedLang() ?? DEFAULT_LANG;
    prefetchParts(candidateFirstReadPath(lang), stored.token, candidateFirstReads(lang));
  } else if (stored) prefetchGet('/api/me', stored.token);
  return stored;
}
