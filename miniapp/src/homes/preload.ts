/**
 * What a returning candidate's home needs, started by the start-up entry (`main.tsx`) before the
 * app's code has arrived: the home's chunk, its message catalogues and the data its first screen
 * shows. Kept out of the home's own modules so the entry stays a few KB.
 */
import { DEFAULT_LANG, storedLang } from '../i18n';
import { CANDIDATE_HOME_MESSAGES, loadMessages } from '../messageLoaders';
import { prefetchGet } from '../prefetch';

/** The candidate home's module (its own chunk; `HomePage` renders it). */
export const loadCandidateHome = () => import('./CandidateHome');

/**
 * The reads the home sends on its first render, as its hooks send them (the interview overview
 * in the UI's language, bookings, feedback, the progress timeline): the next-step card waits for
 * the first two, and the largest text on the screen (the deadline) comes from them. The entries
 * further down (applications, inbox, follow-ups) load when the card is there, as before.
 * `miniapp/e2e/firstload.browser.test.ts` checks that each is read once, by the home.
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
 * Starts fetching the candidate's home (chunk, catalogues, first reads) in parallel with the
 * app's code: on a slow phone the home would otherwise be asked for only after that code ran
 * and `/api/me` answered. The browser keeps the module, so the screen's own `import()` finds it
 * loaded; failures are left to the screen, which asks again.
 */
export function preloadCandidateHome(token: string): void {
  loadCandidateHome().catch(() => {});
  loadMessages(CANDIDATE_HOME_MESSAGES).catch(() => {});
  for (const path of candidateHomeReads(storedLang() ?? DEFAULT_LANG)) prefetchGet(path, token);
}
