/**
 * What a returning candidate's home needs, started by the start-up entry (`main.tsx`) before the
 * app's code has arrived: the home's chunk and its message catalogues (the data its first screen
 * shows was asked for already, `earlyReads.ts`), and the card painted early from that data. Kept
 * out of the home's own modules so the entry stays a few KB.
 */
import { candidateHomeReads } from '../earlyReads';
import { DEFAULT_LANG, storedLang } from '../i18n';
import { CANDIDATE_HOME_MESSAGES, loadMessages } from '../messageLoaders';
import { paintEarlyHome } from './earlyHome';
import { fetchHomeFiles } from './homeFiles';

/** The candidate home's module (its own chunk; `HomePage` renders it). */
export const loadCandidateHome = () => import('./CandidateHome');

/**
 * How long the start-up holds the app's code back for the early-painted card (at most): past
 * it, the reads are slow and the app runs anyway (its home waits for them too, `loadNextStep`).
 */
export const EARLY_PAINT_WAIT_MS = 1500;

/**
 * Starts fetching the candidate's home (chunk, catalogues) in parallel with the app's code: on a slow phone the home would otherwise be asked for only after that code ran
 * and `/api/me` answered. The reads must have been sent before (`earlyReads.ts`).
 *
 * When the home's card can be painted from those reads before the app runs (`earlyHome.ts`),
 * the home's files are only downloaded for now, and the returned promise settles once the card
 * is painted (or after {@link EARLY_PAINT_WAIT_MS}): the start-up runs the app's code after it, so
 * that code's few hundred milliseconds on the main thread do not delay the page's largest paint
 * (issue 18: LCP under 1.5 s). Otherwise it settles at once.
 */
export function preloadCandidateHome(): Promise<void> {
  const chosen = storedLang();
  const lang = chosen ?? DEFAULT_LANG;
  // Sent by `earlyReads.ts` already, for the same session and language.
  const reads = candidateHomeReads(lang);
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
