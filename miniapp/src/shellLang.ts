/**
 * The script the build writes into `index.html` right after `#root` (`miniapp/vite.config.ts`,
 * bundled on its own as a classic script; the server allows it by its hash): it puts the static
 * sign-in screen into the stored language before the first paint, so a user who chose English
 * never sees the Chinese texts swapped for English ones by the app (a second paint of the
 * largest text would be the page's LCP). The texts come from the messages files at build time
 * (`__AIV_SHELL_TEXTS__`: language -> selector -> text, the languages other than the default).
 */
import { localizeShell, type ShellTexts } from './auth/shellTexts';
import { storedLang } from './lang';

declare const __AIV_SHELL_TEXTS__: Record<string, ShellTexts>;

try {
  const lang = storedLang();
  const texts = lang ? __AIV_SHELL_TEXTS__[lang] : undefined;
  const shell = document.querySelector('#root > [data-testid="signin-loading"]');
  if (lang && texts && shell) {
    localizeShell(shell, texts);
    document.documentElement.lang = lang;
  }
} catch {
  // The app's start-up localizes the screen as well (start.tsx): only the early paint is lost.
}
