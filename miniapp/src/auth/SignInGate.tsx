import type { ReactNode } from 'react';
import { Spinner } from '../layout/Spinner';
import { useI18n } from '../locale';
import { useAuth } from './AuthProvider';
import { SignInFailurePage, SignInHero, SignInPage } from './SignInPage';

/**
 * Renders its children only for a signed-in user; otherwise the loading, failure or sign-in
 * screen that matches the auth state.
 */
export function SignInGate({ children }: { children: ReactNode }) {
  const { state, retry, startSignIn } = useAuth();
  const { t } = useI18n();

  switch (state.status) {
    case 'loading':
      return (
        // The same header as index.html's static one, so the page does not jump when React starts.
        <main className="signin" data-testid="signin-loading" aria-busy="true">
          <SignInHero />
          <div className="signin-actions signin-loading">
            <Spinner color="primary" />
            <p className="muted">{t('app.loading')}</p>
          </div>
        </main>
      );
    case 'unavailable':
      return <SignInFailurePage failure={state.failure} onRetry={retry} />;
    case 'signedOut':
      if (state.failure) return <SignInFailurePage failure={state.failure} onRetry={retry} />;
      return <SignInPage config={state.config} inDingTalk={state.inDingTalk} onSignIn={startSignIn} />;
    case 'signedIn':
      return <>{children}</>;
  }
}
