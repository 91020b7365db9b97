import { Button, Result, Tag } from 'antd-mobile';
import { VideoOutline } from 'antd-mobile-icons';
import { type ReactNode, useEffect } from 'react';
import type { AuthConfig } from '../../../shared/api/auth';
import { errorText } from '../errorCatalogue';
import { useI18n } from '../locale';
import type { SignInFailure } from './bootstrap';

/** Props of {@link SignInPage}. */
export interface SignInPageProps {
  config: AuthConfig;
  inDingTalk: boolean;
  onSignIn(): void;
}

/**
 * The app's logo, title and tagline at the top of the sign-in screens. `index.html` carries the
 * same markup as static HTML, painted before the scripts arrive; keep the two in step.
 */
export function SignInHero({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="signin-hero">
      <div className="signin-logo" aria-hidden="true">
        <VideoOutline />
      </div>
      <h1 className="signin-title">{t('app.title')}</h1>
      <p className="signin-tagline">{t('app.tagline')}</p>
      {children}
    </div>
  );
}

/**
 * The page for someone not signed in: one DingTalk sign-in button (OAuth2 in a browser,
 * 免登 inside DingTalk) and a pointer to the invitation link for candidates without DingTalk.
 */
export function SignInPage({ config, inDingTalk, onSignIn }: SignInPageProps) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  return (
    <main className="signin" data-testid="signin-page">
      <SignInHero>
        {config.demo ? (
          <Tag color="warning" fill="outline" data-testid="demo-tag">
            {t('app.demo')}
          </Tag>
        ) : null}
      </SignInHero>
      <div className="signin-actions">
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
        <p className="signin-note">{t('signin.inviteNote')}</p>
        {inDingTalk ? null : <p className="signin-note">{t('signin.employeeNote')}</p>}
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
