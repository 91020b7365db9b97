import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useNavigate } from 'react-router-dom';
import type { AuthConfig, Me } from '../../../shared/api/auth';
import { routes } from '../../../shared/routes';
import { setUnauthorizedHandler } from '../api';
import { useI18n } from '../locale';
import { type BootstrapResult, bootstrapSignIn, browserDeps } from './bootstrap';
import { clearSession } from './session';
import { oauthStartHref } from './urlCredential';

/** The sign-in state of the app. */
export type AuthState = { status: 'loading' } | BootstrapResult;

/** What {@link useAuth} gives components. */
export interface AuthContextValue {
  state: AuthState;
  /** Runs sign-in again: in place after a transient failure, from a clean `/` otherwise. */
  retry(): void;
  /** The sign-in button: 免登 inside DingTalk, DingTalk OAuth2 login in any other browser. */
  startSignIn(): void;
  /** Forgets the session on this device and shows the sign-in page. */
  signOut(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/**
 * Runs the start-up sign-in once per attempt and keeps its result. Must sit inside the router:
 * spent credentials are removed from the address with a replacing navigation.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { suggestLang } = useI18n();
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Auth codes are single use: React's development double-invoked effects must not send one twice,
  // so the attempt that already started is remembered across the simulated remount.
  const started = useRef(-1);

  useEffect(() => {
    if (started.current === attempt) return;
    started.current = attempt;
    setState({ status: 'loading' });
    void bootstrapSignIn(browserDeps()).then((result) => {
      if (result.status !== 'unavailable' && result.replaceUrl)
        navigate(result.replaceUrl, { replace: true });
      setState(result);
    });
  }, [attempt, navigate]);

  const me = state.status === 'signedIn' ? state.me : null;
  useEffect(() => {
    if (me) suggestLang(me.locale);
  }, [me, suggestLang]);

  const config: AuthConfig | null =
    state.status === 'loading' || state.status === 'unavailable' ? null : state.config;
  const inDingTalk = state.status === 'signedIn' || state.status === 'signedOut' ? state.inDingTalk : false;

  const signOutWith = useCallback(
    (code: string | null) => {
      clearSession();
      // Nothing one person loaded may show to the next one signing in on this device.
      queryClient.clear();
      if (!config) return;
      setState({
        status: 'signedOut',
        config,
        inDingTalk,
        failure: code ? { code, message: code, cancelled: false, restart: true } : null,
        replaceUrl: null,
      });
      navigate(routes.home(), { replace: true });
    },
    [config, inDingTalk, navigate, queryClient],
  );

  useEffect(() => {
    if (state.status !== 'signedIn') return;
    setUnauthorizedHandler(() => signOutWith('unauthorized'));
    return () => setUnauthorizedHandler(null);
  }, [state.status, signOutWith]);

  const retry = useCallback(() => {
    const restart = state.status === 'signedOut' && state.failure?.restart;
    if (restart) navigate(routes.home(), { replace: true });
    setAttempt((n) => n + 1);
  }, [state, navigate]);

  const startSignIn = useCallback(() => {
    if (inDingTalk) {
      navigate(routes.home(), { replace: true });
      setAttempt((n) => n + 1);
    } else if (config) {
      window.location.assign(oauthStartHref(config.oauthStartUrl, window.location));
    }
  }, [config, inDingTalk, navigate]);

  const value = useMemo<AuthContextValue>(
    () => ({ state, retry, startSignIn, signOut: () => signOutWith(null) }),
    [state, retry, startSignIn, signOutWith],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The sign-in state and actions. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in principal; only for screens rendered behind the sign-in gate. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useMe used while signed out');
  return state.me;
}
