/**
 * Classes the inline script in `index.html` (`inlineReads.ts`) puts on `<html>` before the body
 * is parsed, so the page's first layout and paint are already the right ones (issue 18: LCP under
 * 1.5 s on a slow phone). `styles.css` (inline in the page) acts on them.
 */
import { type StoredSession, sessionKind } from './auth/session';
import { mayBeInDingTalk } from './dingtalkSignals';

/**
 * The early home will be painted (`homes/earlyHome.ts`): the static "signing in" screen in
 * `#root` is not painted, only laid out (see `styles.css`: that first layout with Chinese text
 * warms the fonts while the card's reads travel), so a returning candidate never sees it flash.
 */
export const EARLY_HOME_CLASS = 'aiv-early-home';

/** Probably inside a DingTalk client: the sign-in screen's employee note is not drawn there. */
export const DINGTALK_CLASS = 'aiv-dingtalk';

/** What {@link firstPaintClasses} looks at. */
export interface FirstPaintSignals {
  /** The session the start-up resumes (`returningSession()`), or null. */
  stored: StoredSession | null;
  /** The page's path. */
  path: string;
  /** `mayBeInDingTalk()`. */
  inDingTalk: boolean;
}

/**
 * The classes for `<html>`. The early-home one only where `paintEarlyHome` paints (a candidate's
 * session, the home's address, outside DingTalk): elsewhere the "signing in" screen is what shows
 * until React draws, and a fresh sign-in (no session, or a credential in the address, which
 * `returningSession()` turns into null) keeps it.
 */
export function firstPaintClasses({ stored, path, inDingTalk }: FirstPaintSignals): string[] {
  const classes: string[] = [];
  if (inDingTalk) classes.push(DINGTALK_CLASS);
  else if (path === '/' && sessionKind(stored) === 'candidate') classes.push(EARLY_HOME_CLASS);
  return classes;
}

/** Puts {@link firstPaintClasses} on `<html>` for this page and the session being resumed. */
export function markFirstPaint(stored: StoredSession | null): void {
  const classes = firstPaintClasses({
    stored,
    path: window.location.pathname,
    inDingTalk: mayBeInDingTalk(),
  });
  if (classes.length) document.documentElement.classList.add(...classes);
}

/**
 * Takes the early-home mark off: the early home will not paint after all (a read failed, another
 * language, the app failed to load), so the "signing in" screen shows again while React decides.
 */
export function unmarkEarlyHome(): void {
  document.documentElement.classList.remove(EARLY_HOME_CLASS);
}

/**
 * Takes the DingTalk mark off: the sign-in found it is not in a DingTalk client after all (the
 * user agent only suggested it), so the employee note it hid must show.
 */
export function unmarkDingTalk(): void {
  document.documentElement.classList.remove(DINGTALK_CLASS);
}
