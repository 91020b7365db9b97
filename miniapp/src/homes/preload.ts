/**
 * What a returning candidate's home needs, started by the start-up entry (`main.tsx`) before the
 * app's code has arrived: the home's chunk, its message catalogues and the data its first screen
 * shows. Kept out of the home's own modules so the entry stays a few KB.
 */
import { DEFAULT_LANG, storedLang } from '../i18n';
import { CANDIDATE_HOME_MESSAGES, loadMessages } from '../messageLoaders';
import { prefetchGet } from '../prefetch';
import { paintEarlyHome } from './earlyHome';
import { fetchHomeFiles } from './homeFiles';

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
 * How long the start-up holds the app's code back for the early-painted card (at most): past
 * it, the reads are slow and the app runs anyway (its home waits for them too, `loadNextStep`).
 */
export const EARLY_PAINT_WAIT_MS = 1500;

/**
 * Starts fetching the candidate's home (chunk, catalogues, first reads) in parallel with the
 * app's code: on a slow phone the home would otherwise be asked for only after that code ran
 * and `/api/me` answered. `/api/me` must have been sent before.
 *
 * When the home's card can be painted from those reads before the app runs (`earlyHome.ts`),
 * the home's files are only downloaded for now, and the returned promise settles once the card
 * is painted (or after {@link EARLY_PAINT_WAIT_MS}): the start-up runs the app's code after it, so
 * that code's few hundred milliseconds on the main thread do not delay the page's largest paint
 * (issue 18: LCP under 1.5 s). Otherwise it settles at once.
 */
export function preloadCandidateHome(token: string): Promise<void> {
  const chosen = storedLang();
  const lang = chosen ?? DEFAULT_LANG;
  const reads = candidateHomeReads(lang);
  for (const path of reads) prefetchGet(path, token);
  // The browser keeps the modules, so the screen's own `import()` finds them loaded; failures
  // are left to the screen, which asks again.
  const load = () => {
    loadCandidateHome().catch(() => {});
    loadMessages(CANDIDATE_HOME_MESSAGES).catch(() => {});
  };
  const painting = paintEarlyHome(['/api/me', reads[0], reads[1], reads[2]], lang, chosen !== null);
  if (!painting) {
    load();
    return Promise.resolve();
  }
  // Downloaded now, run once the card is painted.
  fetchHomeFiles();
  return Promise.race([painting, new Promise((resolve) => setTimeout(resolve, EARLY_PAINT_WAIT_MS))]).then(
    load,
  );
}
