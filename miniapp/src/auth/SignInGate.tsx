import { type ReactNode, useLayoutEffect } from 'react';
import { releaseEarlyHome } from '../homes/earlyHome';
import { useAuth } from './AuthProvider';
import { SignInFailurePage, SignInPage } from './SignInPage';

/**
 * Renders its children only for a signed-in user; otherwise the loading, failure or sign-in
 * screen that matches the auth state.
 */
export function SignInGate({ children }: { children: ReactNode }) {
  const { state, retry, startSignIn } = useAuth();
  // A home painted early for a stored session (homes/earlyHome.ts) must not cover a sign-in
  // screen: the session turned out not to be usable.
  useLayoutEffect(() => {
    if (state.status !== 'loading' && state.status !== 'signedIn') releaseEarlyHome();
  }, [state.status]);

  switch (state.status) {
    case 'loading':
      // The same component as the sign-in page, so its header stays (see SignInPage).
      return <SignInPage />;
    case 'unavailable':
      return <SignInFailurePage failure={state.failure} onRetry={retry} />;
    case 'signedOut':
      if (state.failure) return <SignInFailurePage failure={state.failure} onRetry={retry} />;
      return <SignInPage config={state.config} inDingTalk={state.inDingTalk} onSignIn={startSignIn} />;
    case 'signedIn':
      return <>{children}</>;
  }
}
