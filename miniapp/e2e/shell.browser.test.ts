/**
 * The mini-app shell in Chromium against the real server and the DingTalk sandbox: every
 * sign-in path (OAuth2 through the sandbox's login page, 免登 codes the sandbox issues,
 * invitations HR creates through the API), the error screens with real spent, expired and
 * forged credentials, routing by role, the language switch and sign-out. Nothing answers in the
 * server's place; the test only watches the requests. Screenshots land in test-results/miniapp/.
 */
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { Invitation } from '../../server/kernel/db/entities/Invitation';
import { User } from '../../server/kernel/db/entities/User';
import { invitationTokenOf } from '../../server/kernel/http/tokens';
import { startTestStack } from '../../server/testing/harness';
import { routes } from '../../shared/routes';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from './browser';
import { inviteDemoCandidate, SHOTS, useStackAndBrowser } from './helpers';

/** API calls a page made, as the server received them (method, path, bearer token). */
function watchApi(page: Page) {
  const calls: Array<{ method: string; path: string; authorization: string | null; body: unknown }> = [];
  page.on('request', (r: Request) => {
    const u = new URL(r.url());
    if (!u.pathname.startsWith('/api/')) return;
    let body: unknown;
    try {
      body = r.postDataJSON();
    } catch {
      body = r.postData();
    }
    calls.push({
      method: r.method(),
      path: u.pathname,
      authorization: r.headers().authorization ?? null,
      body,
    });
  });
  return calls;
}

describe.skipIf(!browserTestsRunnable())('mini-app shell against the real server', () => {
  const ctx = useStackAndBrowser();
  const extra: LaunchedBrowser[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((b) => b.close()));
  });

  /** A page in a browser of its own (no session left over from another test). */
  async function freshPage(): Promise<Page> {
    const b = await launchBrowser();
    extra.push(b);
    return b.context.newPage();
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  /** `/?sandbox_auth_code=…` with a fresh 免登 code for `userid`, as the DingTalk client opens the app. */
  const openAs = async (userid: string) =>
    `${ctx.stack.appUrl}/?corpid=${ctx.stack.config.dingtalk.corpId}&sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode(userid)}`;
  /** HR invites the named demo candidate to the backend job through the API; the link's token. */
  const invitationToken = async (name: string) =>
    invitationTokenOf(await inviteDemoCandidate(ctx.stack, name));

  it('shows the sign-in page and completes DingTalk OAuth2 through the sandbox login page and the callback', async () => {
    const page = await freshPage();
    const calls = watchApi(page);
    await page.goto(ctx.stack.appUrl);
    const button = page.getByTestId('oauth-login');
    await expect.poll(() => button.textContent()).toBe('使用钉钉登录');
    expect(await page.getByTestId('signin-page').textContent()).toContain('邀请');
    await shot(page, 'signin-zh');

    await button.click();
    await page.getByTestId('login-as-uid-cand01-Aa1').click();
    await page.getByTestId('home-candidate').waitFor();
    expect(await page.getByTestId('home-candidate').textContent()).toContain('张三');
    expect(new URL(page.url()).pathname).toBe('/');
    // The callback's code and state went to the server once, and the session it issued is used.
    const exchange = calls.filter((c) => c.path === '/api/auth/oauth/exchange');
    expect(exchange).toHaveLength(1);
    expect(exchange[0].body).toMatchObject({ code: expect.any(String), state: expect.any(String) });
    // The home's own reads (sent once its chunk has loaded) carry the session.
    await expect
      .poll(() => calls.find((c) => c.path === '/api/me' || c.path.startsWith('/api/my'))?.authorization)
      .toMatch(/^Bearer /);
    // Signed in with DingTalk: the one next-step card is about their open application (the demo's
    // AI interviews are taken any time), in Chinese; secondary entries (messages, feedback) below.
    const next = page.getByTestId('home-next');
    await expect.poll(() => next.getAttribute('data-step')).toBe('start');
    expect(await next.textContent()).toContain('现在就可以开始 AI 面试');
    expect(await page.getByTestId('section-candidate-feedback').textContent()).toContain('反馈');
    await shot(page, 'home-candidate');
  });

  it('signs in with the sandbox code, strips it from the URL and keeps the session on reload; respects the safe areas of a phone with a notch', async () => {
    const page = await freshPage();
    const calls = watchApi(page);
    // What an iPhone with a notch reports (viewport-fit=cover): 47 px at the top, 34 px for the
    // home indicator. (In this test rather than its own: each sign-in counts against the
    // per-address limit the whole file shares.)
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setSafeAreaInsetsOverride', {
      insets: { top: 47, bottom: 34, left: 0, right: 0 },
    });
    await page.goto(ctx.stack.appUrl);
    await page.getByTestId('signin-page').waitFor();
    expect(await page.locator('.signin').evaluate((el) => getComputedStyle(el).paddingBottom)).toBe('66px');
    await page.goto(await openAs('hr01'));
    await page.getByTestId('home-hr').waitFor();
    // The title bar starts below the notch; the tabs end above the home indicator.
    const height = page.viewportSize()?.height ?? 0;
    expect(await page.getByTestId('navbar').evaluate((el) => getComputedStyle(el).paddingTop)).toBe('47px');
    const tab = await page.getByTestId('tab-home').boundingBox();
    expect((tab?.y ?? height) + (tab?.height ?? height)).toBeLessThanOrEqual(height - 34);
    expect((await page.getByTestId('home-hr').boundingBox())?.y ?? 0).toBeGreaterThanOrEqual(47);

    expect(await page.getByTestId('home-hr').textContent()).toContain('王晓燕');
    expect(page.url()).not.toContain('sandbox_auth_code');
    expect(calls.filter((c) => c.path === '/api/auth/dingtalk')).toHaveLength(1);
    await shot(page, 'home-hr');

    const before = calls.length;
    await page.reload();
    await page.getByTestId('home-hr').waitFor();
    const after = calls.slice(before);
    const me = after.filter((c) => c.path === '/api/me');
    expect(me).toHaveLength(1);
    expect(me[0].authorization).toMatch(/^Bearer \S+$/);
    expect(after.some((c) => c.path === '/api/auth/dingtalk')).toBe(false);
  });

  it("routes the bot's deep links by role: employees to the pipeline, candidates home", async () => {
    const page = await freshPage();
    await page.goto(await openAs('hr01'));
    await page.getByTestId('home-hr').waitFor();
    await page.goto(`${ctx.stack.appUrl}/applications/7?action=second_round`);
    await page.waitForURL('**/pipeline/applications/7?action=second_round');
    await page.goto(`${ctx.stack.appUrl}/bookings/12`);
    await page.waitForURL('**/bookings/mine');

    const candidate = await freshPage();
    await candidate.goto(`${ctx.stack.appUrl}${routes.invite(await invitationToken('陈静'))}`);
    await candidate.getByTestId('home-candidate').waitFor();
    await candidate.goto(`${ctx.stack.appUrl}/applications/7`);
    await candidate.getByTestId('home-candidate').waitFor();
    expect(new URL(candidate.url()).pathname).toBe('/');
  });

  it('lets a code in the URL replace a stored session (switching users in the sandbox console)', async () => {
    const page = await freshPage();
    await page.goto(await openAs('hr01'));
    await page.getByTestId('home-hr').waitFor();
    await page.goto(await openAs('int01'));
    await page.getByTestId('home-interviewer').waitFor();
    expect(await page.getByTestId('home-interviewer').textContent()).toContain('张伟');
    await page.goto(await openAs('mgr01'));
    await page.getByTestId('home-manager').waitFor();
    expect(await page.getByTestId('home-manager').textContent()).toContain('李建国');
    await shot(page, 'home-manager');
  });

  it('explains a spent code and returns to sign-in', async () => {
    const code = await ctx.stack.sandbox.issueAuthCode('int02');
    // Someone used it first (the code is single-use at DingTalk).
    expect((await ctx.stack.api('POST', '/api/auth/dingtalk', { body: { code } })).status).toBe(200);
    const page = await freshPage();
    await page.goto(`${ctx.stack.appUrl}/?sandbox_auth_code=${code}`);
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-code')).toBe('auth_code_invalid');
    expect(await error.textContent()).toContain('登录码已过期或已被使用');
    await shot(page, 'error-auth-code');
    await page.getByTestId('signin-retry').click();
    await page.getByTestId('signin-page').waitFor();
  });

  it('handles a cancelled DingTalk consent and a forged state (even with a valid code)', async () => {
    const page = await freshPage();
    const calls = watchApi(page);
    await page.goto(`${ctx.stack.appUrl}/auth/callback?error=access_denied&state=anything`);
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('已取消登录');
    expect(new URL(page.url()).pathname).toBe('/');
    await shot(page, 'error-cancelled');
    await page.getByTestId('signin-retry').click();
    await page.getByTestId('oauth-login').waitFor();

    // A real code DingTalk issued for this app, but a state this browser never started.
    const code = await ctx.stack.sandbox.issueOAuthCode(
      'uid-cand01-Aa1',
      `${ctx.stack.appUrl}/auth/callback`,
    );
    await page.goto(`${ctx.stack.appUrl}/auth/callback?authCode=${code}&state=forged`);
    await error.waitFor();
    expect(await error.getAttribute('data-error-code')).toBe('oauth_state_invalid');
    expect(calls.some((c) => c.path === '/api/me')).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('aiv.session'))).toBeNull();
  });

  it('signs in with an invitation link, and explains an expired one', async () => {
    const expired = await invitationToken('陈静');
    await ctx.stack.orm.em
      .fork()
      .nativeUpdate(
        Invitation,
        { expiresAt: { $gt: new Date() } },
        { expiresAt: new Date(Date.now() - 60_000) },
      );
    const page = await freshPage();
    // Links carry the token in the fragment (never sent to a server); older path links still work.
    await page.goto(`${ctx.stack.appUrl}${routes.invite(expired)}`);
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-code')).toBe('invitation_expired');
    expect(await error.textContent()).toContain('邀请链接已过期');
    await shot(page, 'error-invitation-expired');

    await page.goto(`${ctx.stack.appUrl}/invite/${await invitationToken('陈静')}`);
    await page.getByTestId('home-candidate').waitFor();
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${ctx.stack.appUrl}${routes.invite(await invitationToken('陈静'))}`);
    await page.getByTestId('home-candidate').waitFor();
    expect(await page.getByTestId('home-candidate').textContent()).toContain('陈静');
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('returns to sign-in when the server rejects the stored session (account deactivated)', async () => {
    const page = await freshPage();
    await page.goto(await openAs('int03'));
    await page.getByTestId('home-interviewer').waitFor();
    const em = ctx.stack.orm.em.fork();
    await em.nativeUpdate(User, { dingtalkUserId: 'int03' }, { active: false });
    try {
      await page.reload();
      await page.getByTestId('signin-page').waitFor();
      expect(await page.evaluate(() => localStorage.getItem('aiv.session'))).toBeNull();
    } finally {
      await em.nativeUpdate(User, { dingtalkUserId: 'int03' }, { active: true });
    }
  });

  it('switches language on the me page, remembers it, and signs out', async () => {
    const page = await freshPage();
    await page.goto(await openAs('hr01'));
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('tab-me').click();
    await page.getByTestId('me-page').waitFor();
    expect(await page.getByTestId('me-page').textContent()).toContain('退出登录');
    await shot(page, 'me-zh');

    await page.getByTestId('lang-toggle').getByText('English').click();
    await expect.poll(() => page.getByTestId('sign-out').textContent()).toBe('Sign out');
    expect(await page.getByTestId('navbar').textContent()).toContain('Me');
    await shot(page, 'me-en');

    await page.reload();
    await page.getByTestId('me-page').waitFor();
    expect(await page.getByTestId('sign-out').textContent()).toBe('Sign out');
    await page.getByTestId('tab-home').click();
    await page.getByTestId('home-hr').waitFor();
    // The home is now in English.
    expect(await page.getByTestId('section-hr-jobs').textContent()).toContain('Jobs and interview plans');
    await shot(page, 'home-hr-en');

    await page.getByTestId('tab-me').click();
    await page.getByTestId('sign-out').click();
    await page.locator('.adm-dialog-footer').getByText('Sign out').click();
    await page.getByTestId('signin-page').waitFor();
    expect(await page.getByTestId('oauth-login').textContent()).toBe('Sign in with DingTalk');
    expect(await page.evaluate(() => localStorage.getItem('aiv.session'))).toBeNull();
    await shot(page, 'signin-en');
  });

  it('ignores sandbox codes outside demo mode (production-like configuration refuses them)', async () => {
    // A second server, web role only, whose DingTalk hosts are the real ones: its auth config
    // says demo: false. Nothing here calls DingTalk (the page must not even try to sign in).
    const real = await startTestStack({
      env: {
        APP_MODE: 'development',
        ROLES: 'web',
        DINGTALK_API_URL: 'https://api.dingtalk.com',
        DINGTALK_OAPI_URL: 'https://oapi.dingtalk.com',
        DINGTALK_LOGIN_URL: 'https://login.dingtalk.com',
      },
    });
    try {
      const config = await real.api('GET', '/api/auth/config');
      expect(config.body.demo).toBe(false);
      const page = await freshPage();
      const calls = watchApi(page);
      await page.goto(`${real.appUrl}/?sandbox_auth_code=${await real.sandbox.issueAuthCode('hr01')}`);
      await page.getByTestId('signin-page').waitFor();
      expect(calls.some((c) => c.path === '/api/auth/dingtalk')).toBe(false);
    } finally {
      await real.close();
    }
  });
});
