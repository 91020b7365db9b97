/**
 * DingTalk OAuth2 web login for people outside the org (reference §3): the login/consent page that
 * stands in for `login.dingtalk.com/oauth2/auth`, and the code → user token exchange.
 * The page lists every DingTalk account the sandbox knows; picking one plays the part of the
 * person scanning the QR code or typing their password and pressing 同意.
 */
import type { Context } from 'koa';
import type { SandboxModule } from '../context';
import { NEW_API, sendNewApiError } from '../errors';
import { bodyOf, str } from '../gateway';
import { esc, page } from '../html';
import { type DingTalkAccount, dingTalkAccounts } from '../org';
import type { SandboxState, UserToken } from '../state';

/** The authorize request's parameters, validated. */
interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
}

/** `GET|POST /oauth2/auth` (page and its form) and `POST /v1.0/oauth2/userAccessToken`. */
export const oauthModule: SandboxModule = ({ router, state }) => {
  router.get('/oauth2/auth', (ctx) => {
    const req = validate(state, ctx.query);
    if (typeof req === 'string') return errorPage(ctx, req);
    ctx.type = 'html';
    ctx.body = loginPage(state, req);
  });

  // The page's form posts here: either an account's button (unionid) or the deny button.
  router.post('/oauth2/auth', (ctx) => {
    const form = bodyOf(ctx);
    const req = validate(state, form);
    if (typeof req === 'string') return errorPage(ctx, req);
    const target = new URL(req.redirectUri);
    if (form.action === 'deny') {
      target.searchParams.set('error', 'access_denied');
    } else {
      const unionid = str(form.unionid);
      if (!unionid || !state.account(unionid)) return errorPage(ctx, '请选择一个钉钉账号 (pick an account)');
      const code = state.issueOAuthCode(unionid, req.redirectUri, {
        clientId: req.clientId,
        scope: req.scope,
      });
      // Documented callback parameter is `authCode` (a duplicate `code` is only rumoured).
      target.searchParams.set('authCode', code);
    }
    if (req.state !== undefined) target.searchParams.set('state', req.state);
    ctx.redirect(target.toString());
  });

  router.post('/v1.0/oauth2/userAccessToken', (ctx) => {
    const b = bodyOf(ctx);
    if (!state.checkCredentials(b.clientId, b.clientSecret))
      return sendNewApiError(ctx, NEW_API.invalidClient);
    const clientId = b.clientId as string;
    let grant: UserToken | undefined;
    if (b.grantType === 'authorization_code') {
      const code = str(b.code);
      grant = code ? state.consumeOAuthCode(code, clientId) : undefined;
      if (!grant) return sendNewApiError(ctx, NEW_API.invalidAuthCode);
    } else if (b.grantType === 'refresh_token') {
      const refreshToken = str(b.refreshToken);
      grant = refreshToken ? state.consumeRefreshToken(refreshToken, clientId) : undefined;
      if (!grant) return sendNewApiError(ctx, NEW_API.invalidRefreshToken);
    } else {
      return sendNewApiError(ctx, NEW_API.invalidGrantType);
    }
    // corpId only with the `corpid` scope, and only org members have one here (for accounts
    // without an org the real behaviour is UNCONFIRMED, so the sandbox leaves it out).
    const member = state.account(grant.unionid)?.userid;
    const corpId = member && hasScope(grant.scope, 'corpid') ? state.org.corpId : undefined;
    ctx.body = { ...state.issueUserToken(grant), ...(corpId ? { corpId } : {}) };
  });
};

function hasScope(scope: string, wanted: string): boolean {
  return scope.split(/\s+/).includes(wanted);
}

/** Checks the authorize parameters like DingTalk does; returns an error text when they are wrong. */
function validate(state: SandboxState, q: Record<string, unknown>): AuthorizeRequest | string {
  const clientId = str(q.client_id);
  const redirectUri = str(q.redirect_uri);
  const scope = str(q.scope) ?? '';
  if (!clientId || clientId !== state.org.appKey)
    return `未知的应用 client_id (unknown client_id: ${clientId ?? ''})`;
  if (!redirectUri || !/^https?:\/\//.test(redirectUri) || !URL.canParse(redirectUri)) {
    return '缺少或无效的 redirect_uri (missing or invalid redirect_uri)';
  }
  if (q.response_type !== 'code') return 'response_type 必须为 code (response_type must be "code")';
  if (q.prompt !== 'consent') return 'prompt 必须为 consent (prompt=consent is required)';
  if (!hasScope(scope, 'openid')) return 'scope 必须包含 openid (scope must include openid)';
  return { clientId, redirectUri, scope, state: typeof q.state === 'string' ? q.state : undefined };
}

function errorPage(ctx: Context, reason: string): void {
  ctx.status = 400;
  ctx.type = 'html';
  ctx.body = page(
    '钉钉登录 - 参数错误',
    `<main class="box"><div class="logo">钉</div><h1>授权请求有误</h1>
<p data-testid="oauth-error">${esc(reason)}</p>
<p class="muted">The authorization request is invalid; nothing was redirected.</p></main>`,
    CSS,
  );
}

const SCOPE_TEXT: Record<string, string> = {
  openid: '获取你的钉钉身份（昵称、头像）',
  'Contact.User.mobile': '获取你的手机号',
  corpid: '获取你选择的组织',
};

function loginPage(state: SandboxState, req: AuthorizeRequest): string {
  const hidden = Object.entries({
    client_id: req.clientId,
    redirect_uri: req.redirectUri,
    response_type: 'code',
    scope: req.scope,
    prompt: 'consent',
    ...(req.state !== undefined ? { state: req.state } : {}),
  })
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`)
    .join('');
  const scopes = req.scope
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)}</li>`)
    .join('');
  const accounts = dingTalkAccounts(state.org).map(accountButton).join('');
  return page(
    '钉钉 - 登录授权',
    `<main class="box">
<div class="logo">钉</div>
<h1>使用钉钉账号登录</h1>
<p class="muted">「${esc(state.org.name)}」的应用申请使用你的钉钉账号登录 · Sign in with DingTalk (sandbox)</p>
<div class="scopes">授权后应用将获得：<ul>${scopes}</ul></div>
<form method="post" action="/oauth2/auth">${hidden}
<p class="muted">选择要登录的钉钉账号 (pick the account to sign in as)</p>
<div class="accounts">${accounts}</div>
<button class="btn ghost deny" type="submit" name="action" value="deny" data-testid="oauth-deny">拒绝 (Deny)</button>
</form></main>`,
    CSS,
  );
}

function accountButton(a: DingTalkAccount): string {
  const masked = a.mobile.replace(/^(\d{3})\d{4}(\d+)$/, '$1****$2');
  const tag = a.userid ? '组织成员' : '外部账号';
  return `<button class="account" type="submit" name="unionid" value="${esc(a.unionid)}" data-testid="login-as-${esc(a.unionid)}">
<img src="/avatars/${encodeURIComponent(a.unionid)}" alt="" width="40" height="40">
<span><b>${esc(a.name)}</b><br><span class="muted">${esc(masked)} · ${tag}</span></span>
<span class="go">同意并登录</span></button>`;
}

const CSS = `
.box{max-width:420px;margin:0 auto;padding:24px 16px;background:#fff;min-height:100vh}
.logo{width:56px;height:56px;border-radius:14px;background:#0089ff;color:#fff;font-size:30px;
  display:flex;align-items:center;justify-content:center;margin:8px auto}
h1{text-align:center;font-size:20px;margin:8px 0}
.box>p.muted{text-align:center}
.scopes{background:#f7f8fa;border-radius:8px;padding:10px 14px;font-size:14px}
.scopes ul{margin:6px 0 0;padding-left:18px}
.accounts{display:flex;flex-direction:column;gap:8px}
.account{display:flex;align-items:center;gap:12px;width:100%;padding:10px 12px;border:1px solid #e5e6e8;
  border-radius:10px;background:#fff;text-align:left;font-size:15px;cursor:pointer}
.account:hover{border-color:#0089ff}
.account img{border-radius:50%}
.account .go{margin-left:auto;color:#0089ff;font-size:13px;white-space:nowrap}
.deny{width:100%;margin-top:16px}
`;
