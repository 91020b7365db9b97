/**
 * A returning candidate's home, painted by the start-up entry (`main.tsx`) from its early reads
 * as plain HTML, before the app's code has arrived and run.
 *
 * Why: on a slow phone (`npm run bench -- frontend`: 4x CPU, 1.6 Mbps, 150 ms RTT) the home's
 * largest text, the next-step card's deadline line, painted only after the app's chunk (75 KB)
 * had downloaded, compiled and run and React had drawn the home: about 0.9 s after the answers
 * it shows were in (issue 18: LCP under 1.5 s). Here the card is drawn as soon as `/api/me` and
 * the card's reads have answered, in the words React will use (`nextCardContent`, the same
 * texts), inside the same frame markup, so nothing moves when React's home takes its place.
 *
 * How the two meet: the early home is a sibling of `#root`, which stays hidden (React keeps
 * hydrating the sign-in shell inside it as usual) until React's home has its card or shows
 * something else; then {@link releaseEarlyHome} removes the early one and shows `#root` in the
 * same task, so no frame shows both or neither. The early card carries no test ids and its
 * buttons navigate by loading the page (it has no router); it is inert otherwise.
 */
import type { Me } from '../../../shared/api/auth';
import type { MyBookingsResponse } from '../../../shared/api/bookings';
import type { InterviewOverview } from '../../../shared/api/interview';
import type { FeedbackListResponse } from '../../../shared/api/reports';
import { mayBeInDingTalk } from '../dingtalkSignals';
import { unmarkEarlyHome } from '../firstPaint';
import { asLang, type Lang, registerMessages, translate } from '../i18n';
import { type PeekedResponse, peekPrefetched } from '../prefetch';
import { homeTitleKey, roleLabelKeys } from '../roleLabels';
import { formatAt } from './formatAt';
import { type CardAction, type NextCardContent, nextCardContent, overviewLite } from './nextCard';
import { nextStep } from './nextStep';
import { nextStepEn, nextStepZhCN } from './nextStepMessages';
// The card's styles come with the entry, so `index.html` carries them inline (vite.config.ts).
import './candidate.css';

/** Id of the early home's container, a sibling of `#root`. */
export const EARLY_HOME_ID = 'early-home';

let released = false;

/**
 * Removes the early-painted home (if any) and shows `#root`; from now on nothing is painted
 * early. Called by React in a layout effect once its own home can replace it (its next-step card
 * or an error), or when the app shows another screen, and by the entry if the app failed to load.
 */
export function releaseEarlyHome(): void {
  if (released) return;
  released = true;
  // The screen React shows now is not hidden for the early home any longer (firstPaint.ts).
  unmarkEarlyHome();
  const early = document.getElementById(EARLY_HOME_ID);
  if (!early) return;
  early.remove();
  document.getElementById('root')?.removeAttribute('hidden');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** Text as HTML (names, job titles and company names come from other people's input). */
const esc = (text: string) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]);

/** antd-mobile's `Button` classes for each kind of card action (what `CardButton` renders). */
const BUTTON_CLASS: Record<CardAction['kind'], string> = {
  primary: 'adm-button adm-button-primary adm-button-block adm-button-large adm-button-shape-default',
  secondary: 'adm-button adm-button-primary adm-button-block adm-button-fill-none adm-button-shape-default',
  waiting:
    'adm-button adm-button-default adm-button-block adm-button-disabled adm-button-large adm-button-shape-default',
};

/** What the early home shows: the frame's title, the greeting and the next-step card. */
export interface EarlyHome {
  title: string;
  me: Pick<Me, 'name' | 'kind' | 'roles' | 'department'>;
  greeting: string;
  roleLabels: string[];
  step: string;
  card: NextCardContent;
}

/**
 * The early home's markup: `MobileLayout`'s frame (without the tab bar, which adds nothing above
 * the card), `Greeting` and `NextCard` as React renders them, without test ids.
 */
export function earlyHomeHtml(home: EarlyHome): string {
  const { card } = home;
  const avatar = Array.from(home.me.name)[0] ?? '?';
  const tags =
    home.roleLabels
      .map(
        (label) =>
          `<span class="adm-tag adm-tag-round" style="--border-color: #ffffff; --text-color: #ffffff; --background-color: transparent;">${esc(label)}</span>`,
      )
      .join('') +
    (home.me.department ? `<span class="muted greeting-dept">${esc(home.me.department)}</span>` : '');
  const actions = card.actions
    .map(
      (a) =>
        `<button type="button" class="${BUTTON_CLASS[a.kind]}"${a.kind === 'waiting' ? ' disabled=""' : ''}><span>${esc(a.label)}</span></button>`,
    )
    .join('');
  return (
    `<div class="app-frame"><header class="app-navbar app-header"><h1 class="app-title">${esc(home.title)}</h1></header>` +
    '<div class="app-body"><div class="home">' +
    `<section class="greeting"><div class="greeting-avatar" aria-hidden="true">${esc(avatar)}</div>` +
    `<div class="greeting-text"><h2 class="greeting-name">${esc(home.greeting)}</h2><div class="greeting-tags">${tags}</div></div></section>` +
    `<div class="hm"><section class="hm-next" data-step="${esc(home.step)}" aria-labelledby="hm-next-title">` +
    (card.job !== null ? `<p class="hm-job">${esc(card.job)}</p>` : '') +
    `<h2 id="hm-next-title" class="hm-next-title">${esc(card.title)}</h2>` +
    `<p class="hm-next-body">${esc(card.body)}</p>` +
    (card.deadline !== null ? `<p class="hm-deadline">${esc(card.deadline)}</p>` : '') +
    (actions ? `<div class="hm-next-action">${actions}</div>` : '') +
    '</section></div></div></div></div>'
  );
}

/** The reads the card needs, as the start-up sent them (`preload.ts`). */
export interface EarlyReads {
  me: PeekedResponse;
  overview: PeekedResponse;
  bookings: PeekedResponse;
  feedback: PeekedResponse;
}

/**
 * What React's home will show first, from the same answers, or null when the early paint should
 * not guess: a read failed (React shows an error), the user is not a candidate, React would draw
 * in another language (the profile's, with none chosen on this device), or the interview is
 * closed (its reason's text is in the error catalogue, which is not loaded yet).
 */
export function earlyHome(reads: EarlyReads, lang: Lang, chosen: boolean, now: number): EarlyHome | null {
  if (reads.me.status !== 200 || reads.bookings.status !== 200) return null;
  if (reads.overview.status !== 200 && reads.overview.status !== 404) return null;
  const me = (reads.me.body as { me: Me }).me;
  if (me.kind !== 'candidate' || me.home !== 'candidate') return null;
  if (!chosen && (asLang(me.locale) ?? lang) !== lang) return null;
  const overview = reads.overview.status === 200 ? (reads.overview.body as InterviewOverview) : null;
  const bookings = reads.bookings.body as MyBookingsResponse;
  const feedback = reads.feedback.status === 200 ? (reads.feedback.body as FeedbackListResponse) : null;
  const step = nextStep({
    overview,
    bookings: bookings.items,
    applications: bookings.applications ?? [],
    feedbackCount: feedback?.items.length ?? 0,
  });
  if (step.kind === 'closed') return null;
  registerMessages({ zhCN: nextStepZhCN, en: nextStepEn });
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
    translate(lang, key, params);
  return {
    title: t(homeTitleKey(me.home)),
    me,
    greeting: t('home.greeting', { name: me.name }),
    roleLabels: roleLabelKeys(me).map((key) => t(key)),
    step: step.kind,
    card: nextCardContent(step, overview ? overviewLite(overview) : null, {
      t,
      lang,
      reasonText: () => '',
      now,
    }),
  };
}

/**
 * Paints the candidate's home from the start-up's reads of `paths` (`/api/me`, then the
 * overview, bookings and feedback as `preload.ts` sent them) once they have all answered, unless
 * React got there first. Only on the home's address and outside DingTalk (whose client draws
 * its own title bar: the frame would differ). `lang` is the language the UI starts in; `chosen`,
 * whether the user picked it on this device.
 *
 * Returns null when it will not paint (another address, DingTalk, a read not sent), else a promise
 * that settles once the card has been painted (the frame after it went in) or will not be: the
 * start-up runs the app's code after that, so the paint does not wait behind it.
 */
export function paintEarlyHome(
  paths: [string, string, string, string],
  lang: Lang,
  chosen: boolean,
): Promise<void> | null {
  if (window.location.pathname !== '/' || mayBeInDingTalk()) return notPainting(null);
  const peeks = paths.map((path) => peekPrefetched(path));
  if (peeks.some((p) => p === null)) return notPainting(null);
  return (
    Promise.all(peeks)
      .then(async (answers) => {
        if (released) return;
        const [me, overview, bookings, feedback] = answers as PeekedResponse[];
        const home = earlyHome({ me, overview, bookings, feedback }, lang, chosen, Date.now());
        const root = document.getElementById('root');
        if (!home || !root) return notPainting(undefined);
        const container = document.createElement('div');
        container.id = EARLY_HOME_ID;
        container.innerHTML = earlyHomeHtml(home);
        // No router yet: a tap loads the page it leads to (the app starts there).
        container.querySelectorAll('.hm-next-action button').forEach((button, i) => {
          const to = home.card.actions[i]?.to;
          if (to) button.addEventListener('click', () => window.location.assign(to));
        });
        root.after(container);
        root.hidden = true;
        document.title = home.title;
        document.documentElement.lang = lang;
        // Painted: `requestAnimationFrame` runs just before that paint; the timeout, just after.
        await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        // Now, not before the card: the date formatter React's home needs (the device's zone
        // and ICU's data cost 0.1-0.3 s of a slow phone's first use of `Intl`). Before, it ran
        // while the reads travelled but landed as they arrived, right in the card's way
        // (`npm run bench -- frontend --trace`); the card formats its deadline without it when
        // an earlier visit remembered the zone (`formatAt`).
        setTimeout(() => formatAt(new Date(0).toISOString(), lang, true), 0);
      })
      // A read that failed or answered something else: React's home draws it as it always did.
      .catch(() => notPainting(undefined))
  );
}

/**
 * The early home will not be painted: the static "signing in" screen, hidden for it from the
 * first paint (`firstPaint.ts`), shows again while React decides. Returns `result`.
 */
function notPainting<T>(result: T): T {
  unmarkEarlyHome();
  return result;
}
