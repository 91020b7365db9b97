import { Button, Result, Tag } from 'antd-mobile';
import { VideoOutline } from 'antd-mobile-icons';
import { type ReactNode, useEffect, useLayoutEffect } from 'react';
import type { AuthConfig } from '../../../shared/api/auth';
import { errorText } from '../errorCatalogue';
import { unmarkDingTalk } from '../firstPaint';
import { Spinner } from '../layout/Spinner';
import { useI18n } from '../locale';
import type { SignInFailure } from './bootstrap';

/**
 * The app's logo, title and tagline at the top of the sign-in screens. `index.html` carries the
 * same markup as static HTML (see {@link SignInPage}).
 */
export function SignInHero({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="signin-hero">
      <div className="signin-logo" aria-hidden="true">
        <VideoOutline aria-hidden="true" />
      </div>
      <h1 className="signin-title">{t('app.title')}</h1>
      <p className="signin-tagline">{t('app.tagline')}</p>
      {children}
    </div>
  );
}

/** Props of {@link SignInPage}: none while sign-in is still under way. */
export interface SignInPageProps {
  config?: AuthConfig;
  inDingTalk?: boolean;
  onSignIn?(): void;
}

/**
 * The page for someone not signed in: one DingTalk sign-in button (OAuth2 in a browser,
 * 免登 inside DingTalk) and a pointer to the invitation link for candidates without DingTalk.
 *
 * Without `config` it is the screen while sign-in runs (a spinner where the button will be, the
 * notes under it already in place), which
 * `index.html` carries as static HTML, exactly this markup in zh-CN (`SignInLoading.test.ts`):
 * React hydrates it on start-up (`start.tsx`), and the sign-in page that follows is the same
 * component in the same place, so the header painted with the HTML is kept, never painted anew
 * (a later paint of it would be the page's LCP; issue 18). The same holds for the notes under the
 * button, the largest text with a Chinese font: only the spinner becomes the button, in a box of
 * the button's height, at the bottom of the screen, so nothing moves. While loading, the employee
 * note is drawn even inside DingTalk (not known yet); CSS hides it there from the first paint
 * (`firstPaint.ts` marks the page), so removing it later moves nothing either.
 */
export function SignInPage({ config, inDingTalk = false, onSignIn }: SignInPageProps) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  const loading = !config;
  // The page was marked as inside DingTalk from its user agent (firstPaint.ts), which hides the
  // employee note; sign-in's own check says otherwise, so the note must show.
  useLayoutEffect(() => {
    if (!loading && !inDingTalk) unmarkDingTalk();
  }, [loading, inDingTalk]);
  return (
    <main
      className="signin"
      data-testid={loading ? 'signin-loading' : 'signin-page'}
      aria-busy={loading ? true : undefined}
    >
      <SignInHero>
        {config?.demo ? (
          <Tag color="warning" fill="outline" data-testid="demo-tag">
            {t('app.demo')}
          </Tag>
        ) : null}
      </SignInHero>
      <div className="signin-actions">
        {loading ? (
          <div className="signin-loading">
            <Spinner color="primary" />
            <p className="muted">{t('app.loading')}</p>
          </div>
        ) : (
          <Button
            block
            color="primary"
            size="large"
            shape="rounded"
            data-testid="oauth-login"
            onClick={onSignIn}
          >
            {t('signin.oauth')}
          </Button>
        )}
        {/* The notes are there from the first paint (index.html) and stay: the largest text of
            the screen, painted with the HTML, is the page's LCP, not a later paint by React. */}
        <p className="signin-note signin-note-invite">{t('signin.inviteNote')}</p>
        {inDingTalk ? null : <p className="signin-note signin-note-employee">{t('signin.employeeNote')}</p>}
      </div>
    </main>
  );
}

/** Props of {@link SignInFailurePage}. */
export interface SignInFailurePageProps {
  failure: SignInFailure;
  onRetry(): void;
}

/** Explains a failed or cancelled sign-in and offers the one sensible next step. */
export function SignInFailurePage({ failure, onRetry }: SignInFailurePageProps) {
  const { t, lang } = useI18n();
  const title = failure.cancelled ? t('signin.cancelledTitle') : t('signin.failedTitle');
  return (
    <main className="signin" data-testid="signin-error" data-error-code={failure.code}>
      <Result
        status={failure.cancelled ? 'info' : 'warning'}
        title={title}
        description={errorText(failure.code, lang, failure.details)}
      />
      <div className="signin-actions">
        <Button
          block
          color="primary"
          size="large"
          shape="rounded"
          data-testid="signin-retry"
          onClick={onRetry}
        >
          {failure.restart ? t('signin.backToSignIn') : t('signin.retry')}
        </Button>
      </div>
    </main>
  );
}
