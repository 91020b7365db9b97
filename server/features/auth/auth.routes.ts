import type { AuthConfig } from '../../../shared/api/auth';
import { usesSandbox } from '../../kernel/config';
import type { AppContext } from '../../kernel/http/context';
import { ipSubject, rateLimit } from '../../kernel/http/rateLimit';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { dingtalkSignInBody, invitationSignInBody, oauthExchangeBody, oauthStartQuery } from './auth.schema';
import { finishOAuth, type SignInDeps, signInByInvitation, signInEmployee, startOAuth } from './signIn';

const NONCE_COOKIE = 'oauth_nonce';

function signInDeps(ctx: AppContext): SignInDeps {
  const { config, dingtalk, orm } = ctx.deps;
  return {
    em: orm.em,
    config,
    dingtalk,
    now: ctx.deps.now?.() ?? new Date(),
    context: { ip: ctx.ip, requestId: ctx.state.requestId },
  };
}

/** Sign-in routes: DingTalk 免登, DingTalk OAuth2 web login, invitation links. */
export function authRoutes(signInPerMinute: number) {
  const router = createRouter('/api/auth');
  const limitByIp = rateLimit({ name: 'signin', limit: signInPerMinute, windowMs: 60_000 }, ipSubject);

  router.get('/config', (ctx: AppContext) => {
    const { config } = ctx.deps;
    ctx.body = {
      corpId: config.dingtalk.corpId,
      clientId: config.dingtalk.appKey,
      demo: config.mode !== 'production' && usesSandbox(config),
      oauthStartUrl: '/api/auth/oauth/start',
    } satisfies AuthConfig;
  });

  router.post(
    '/dingtalk',
    limitByIp,
    validate({ body: dingtalkSignInBody }),
    async (ctx: AppContext<{ body: { code: string } }>) => {
      ctx.body = await signInEmployee(signInDeps(ctx), ctx.input.body.code);
    },
  );

  router.get(
    '/oauth/start',
    limitByIp,
    validate({ query: oauthStartQuery }),
    async (ctx: AppContext<{ query: { next?: string } }>) => {
      const { nonce, url } = await startOAuth(signInDeps(ctx), ctx.input.query.next ?? '/');
      ctx.cookies.set(NONCE_COOKIE, nonce, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/api/auth',
        maxAge: 10 * 60 * 1000,
        secure: ctx.deps.config.publicUrl.startsWith('https://'),
        overwrite: true,
      });
      ctx.redirect(url);
    },
  );

  router.post(
    '/oauth/exchange',
    limitByIp,
    validate({ body: oauthExchangeBody }),
    async (ctx: AppContext<{ body: { code: string; state: string } }>) => {
      const cookieNonce = ctx.cookies.get(NONCE_COOKIE);
      // The nonce is single-use whatever happens next; clear it so a retry starts over.
      ctx.cookies.set(NONCE_COOKIE, null, { path: '/api/auth' });
      ctx.body = await finishOAuth(signInDeps(ctx), { ...ctx.input.body, cookieNonce });
    },
  );

  router.post(
    '/invitation',
    limitByIp,
    validate({ body: invitationSignInBody }),
    async (ctx: AppContext<{ body: { token: string } }>) => {
      ctx.body = await signInByInvitation(signInDeps(ctx), ctx.input.body.token);
    },
  );

  return router;
}
