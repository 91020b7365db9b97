import { StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { App } from './App';
import { startSignInRequests } from './auth/bootstrap';
import { sessionKind } from './auth/session';
import { localizeShell, shellTexts } from './auth/shellTexts';
import { returningSession } from './auth/urlCredential';
import { prepareCandidateHome } from './homes/HomePage';
import { DEFAULT_LANG, storedLang, translate } from './i18n';
import { isPublicPath } from './routeTable';
import './styles.css';

/**
 * Renders the app into `#root`. The app's code is a chunk of its own that the start-up entry
 * (`main.tsx`) imports once it has sent the first requests; `index.html` preloads it and carries
 * its stylesheets inline (`miniapp/vite.config.ts`), so it downloads from the first moment.
 *
 * React's first render of the signed-in app is the sign-in screen's loading state, which
 * `index.html` already shows: React hydrates those nodes rather than replacing them, so the
 * header painted with the HTML is not painted again later (a later, larger paint would be the
 * page's LCP; issue 18). A public page (a shared job) renders something else: it starts afresh.
 */
export function start(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  // Before the first render: sign-in's first round trips overlap React's start-up (the entry
  // sent them already; these hand their responses on, see prefetch.ts).
  startSignInRequests();
  // A returning candidate's home gets ready while sign-in confirms the session.
  if (sessionKind(returningSession()) === 'candidate') prepareCandidateHome().catch(() => {});

  const app = (
    <StrictMode>
      <App />
    </StrictMode>
  );
  const shell = container.querySelector('[data-testid="signin-loading"]');
  if (shell && !isPublicPath(window.location.pathname)) {
    const lang = storedLang() ?? DEFAULT_LANG;
    // Hydration keeps nodes only when their text is what React renders. In a build the script
    // after `#root` did this before the first paint (shellLang.ts); then nothing changes here.
    if (lang !== DEFAULT_LANG)
      localizeShell(
        shell,
        shellTexts((key) => translate(lang, key)),
      );
    hydrateRoot(container, app);
  } else {
    container.replaceChildren();
    createRoot(container).render(app);
  }
}
