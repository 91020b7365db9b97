/**
 * The texts of `index.html`'s static sign-in screen (`SignInPage` while sign-in runs): which
 * element shows which message. `index.html` carries them in the default language; two places put
 * them in the stored language before React hydrates the screen: the small script the build writes
 * right after `#root` (`shellLang.ts`, so the first paint is already in that language) and, where
 * there is no such script (development, tests), `start.tsx`.
 */
import type { MessageKey } from '../i18n';

/** Selector (inside the shell) and message key of each text in the static sign-in screen. */
export const SHELL_TEXTS: ReadonlyArray<readonly [string, MessageKey]> = [
  ['.signin-title', 'app.title'],
  ['.signin-tagline', 'app.tagline'],
  ['.signin-loading .muted', 'app.loading'],
  ['.signin-note-invite', 'signin.inviteNote'],
  ['.signin-note-employee', 'signin.employeeNote'],
];

/** Texts by selector, as {@link localizeShell} takes them. */
export type ShellTexts = Record<string, string>;

/** {@link SHELL_TEXTS} in one language, through `translate`. */
export function shellTexts(translate: (key: MessageKey) => string): ShellTexts {
  return Object.fromEntries(SHELL_TEXTS.map(([selector, key]) => [selector, translate(key)]));
}

/**
 * Writes `texts` into the static sign-in screen `shell`. Only text nodes change, so React finds
 * the markup it renders in that language and hydrates it, and nothing is laid out anew but the words.
 */
export function localizeShell(shell: ParentNode, texts: ShellTexts): void {
  for (const [selector, text] of Object.entries(texts)) {
    const node = shell.querySelector(selector);
    if (node && node.textContent !== text) node.textContent = text;
  }
}
