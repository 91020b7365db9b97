/**
 * The mini-app shell in Chromium against a scripted API: every sign-in path, the error screens,
 * routing by role, the language switch and sign-out. Screenshots land in test-results/miniapp/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from '../../scripts/testing/browser';
import { type FakeApiScript, fakeMe, installFakeApi } from './fakeApi';
import { ensureMiniappBuilt, serveDist } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');

const HR = fakeMe({ id: 1, name: '王晓燕', home: 'hr', roles: ['hr', 'admin'], department: '人力资源部' });
const INTERVIEWER = fakeMe({ id: 5, name: '张伟', home: 'interviewer', roles: ['interviewer'] });
const MANAGER = fakeMe({ id: 3, name: '李建国', home: 'manager', roles: ['manager', 'interviewer'] });
const CANDIDATE = fakeMe({ id: 101, name: '张三', home: 'candidate' });
const INVITED = fakeMe({ id: 111, name: '陈静', home: 'candidate', invitationJobId: 1 });

function script(overrides: Partial<FakeApiScript> = {}): FakeApiScript {
  return {
    config: {
      corpId: 'dingdemocorp5f3a1c',
      clientId: 'dingdemoappkey01',
      demo: true,
      oauthStartUrl: '/api/auth/oauth/start',
    },
    dingtalkCodes: {
      'code-hr': { me: HR },
      'code-int': { me: INTERVIEWER },
      'code-mgr': { me: MANAGER },
      'code-used': { status: 401, code: 'auth_code_invalid' },
    },
    oauthCodes: { 'oauth-ok': { me: CANDIDATE } },
    oauthState: 'state-123',
    invitations: {
      'inv.ok': { me: INVITED },
      'inv.old': { status: 410, code: 'invitation_expired' },
    },
    ...overrides,
  };
}

describe.skipIf(!browserTestsRunnable())('mini-app shell (scripted API)', () => {
  let app: { url: string; close(): Promise<void> };
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    ensureMiniappBuilt();
    app = await serveDist();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  afterEach(async () => {
    await browser?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  it('shows the sign-in page and completes DingTalk OAuth2 through the callback', async () => {
    const fake = await installFakeApi(browser.context, script());
    await page.goto(app.url);
    const button = page.getByTestId('oauth-login');
    await expect.poll(() => button.textContent()).toBe('使用钉钉登录');
    expect(await page.getByTestId('signin-page').textContent()).toContain('邀请');
    await shot('signin-zh');

    await button.click();
    await page.getByTestId('home-candidate').waitFor();
    expect(await page.getByTestId('home-candidate').textContent()).toContain('张三');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(fake.calls.find((c) => c.path === '/api/auth/oauth/exchange')?.body).toEqual({
      code: 'oauth-ok',
      state: 'state-123',
    });
    // Each section of the candidate home is there, with its Chinese title.
    expect(await page.getByTestId('section-candidate-interviews').textContent()).toContain('我的面试');
    expect(await page.getByTestId('section-candidate-feedback').textContent()).toContain('反馈');
    await shot('home-candidate');
  });

  it('signs in with the sandbox code, strips it from the URL and keeps the session on reload', async () => {
    const fake = await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/?corpid=dingdemocorp5f3a1c&sandbox_auth_code=code-hr`);
    await page.getByTestId('home-hr').waitFor();
    expect(await page.getByTestId('home-hr').textContent()).toContain('王晓燕');
    expect(page.url()).not.toContain('sandbox_auth_code');
    expect(fake.calls.filter((c) => c.path === '/api/auth/dingtalk')).toHaveLength(1);
    await shot('home-hr');

    await page.reload();
    await page.getByTestId('home-hr').waitFor();
    const me = fake.calls.filter((c) => c.path === '/api/me');
    expect(me).toHaveLength(1);
    expect(me[0].authorization).toMatch(/^Bearer token-\d+$/);
    expect(fake.calls.filter((c) => c.path === '/api/auth/dingtalk')).toHaveLength(1);
  });

  it("routes the bot's deep links by role: employees to the pipeline, candidates home", async () => {
    await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/?corpid=dingdemocorp5f3a1c&sandbox_auth_code=code-hr`);
    await page.getByTestId('home-hr').waitFor();
    await page.goto(`${app.url}/applications/7?action=second_round`);
    await page.waitForURL('**/pipeline/applications/7?action=second_round');
    await page.goto(`${app.url}/bookings/12`);
    await page.waitForURL('**/bookings/mine');

    const other = await browser.context.browser()?.newContext();
    const fresh = other ? await other.newPage() : page;
    await installFakeApi(fresh.context(), script());
    await fresh.goto(`${app.url}/invite/inv.ok`);
    await fresh.getByTestId('home-candidate').waitFor();
    await fresh.goto(`${app.url}/applications/7`);
    await fresh.getByTestId('home-candidate').waitFor();
    expect(new URL(fresh.url()).pathname).toBe('/');
    await other?.close();
  });

  it('lets a code in the URL replace a stored session (switching users in the sandbox console)', async () => {
    await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/?sandbox_auth_code=code-hr`);
    await page.getByTestId('home-hr').waitFor();
    await page.goto(`${app.url}/?sandbox_auth_code=code-int`);
    await page.getByTestId('home-interviewer').waitFor();
    expect(await page.getByTestId('home-interviewer').textContent()).toContain('张伟');
    await page.goto(`${app.url}/?sandbox_auth_code=code-mgr`);
    await page.getByTestId('home-manager').waitFor();
    await shot('home-manager');
  });

  it('ignores sandbox codes outside demo mode', async () => {
    const fake = await installFakeApi(
      browser.context,
      script({ config: { ...script().config, demo: false } }),
    );
    await page.goto(`${app.url}/?sandbox_auth_code=code-hr`);
    await page.getByTestId('signin-page').waitFor();
    expect(fake.calls.some((c) => c.path === '/api/auth/dingtalk')).toBe(false);
  });

  it('explains a spent code and returns to sign-in', async () => {
    await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/?sandbox_auth_code=code-used`);
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-code')).toBe('auth_code_invalid');
    expect(await error.textContent()).toContain('登录码已过期或已被使用');
    await shot('error-auth-code');
    await page.getByTestId('signin-retry').click();
    await page.getByTestId('signin-page').waitFor();
  });

  it('handles a cancelled DingTalk consent and a forged state', async () => {
    const fake = await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/auth/callback?error=access_denied&state=state-123`);
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('已取消登录');
    expect(new URL(page.url()).pathname).toBe('/');
    await shot('error-cancelled');
    await page.getByTestId('signin-retry').click();
    await page.getByTestId('oauth-login').waitFor();

    await page.goto(`${app.url}/auth/callback?authCode=oauth-ok&state=forged`);
    await error.waitFor();
    expect(await error.getAttribute('data-error-code')).toBe('oauth_state_invalid');
    expect(fake.calls.some((c) => c.path === '/api/me')).toBe(false);
  });

  it('signs in with an invitation link, and explains an expired one', async () => {
    await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/invite/inv.old`);
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('邀请链接已过期');
    await shot('error-invitation-expired');

    await page.goto(`${app.url}/invite/inv.ok`);
    await page.getByTestId('home-candidate').waitFor();
    expect(await page.getByTestId('home-candidate').textContent()).toContain('陈静');
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('returns to sign-in when the server rejects the stored session', async () => {
    const fake = await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/?sandbox_auth_code=code-int`);
    await page.getByTestId('home-interviewer').waitFor();
    fake.revokeAll();
    await page.reload();
    await page.getByTestId('signin-page').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('aiv.session'))).toBeNull();
  });

  it('switches language on the me page, remembers it, and signs out', async () => {
    await installFakeApi(browser.context, script());
    await page.goto(`${app.url}/?sandbox_auth_code=code-hr`);
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('tab-me').click();
    await page.getByTestId('me-page').waitFor();
    expect(await page.getByTestId('me-page').textContent()).toContain('退出登录');
    await shot('me-zh');

    await page.getByTestId('lang-toggle').getByText('English').click();
    await expect.poll(() => page.getByTestId('sign-out').textContent()).toBe('Sign out');
    expect(await page.getByTestId('navbar').textContent()).toContain('Me');
    await shot('me-en');

    await page.reload();
    await page.getByTestId('me-page').waitFor();
    expect(await page.getByTestId('sign-out').textContent()).toBe('Sign out');
    await page.getByTestId('tab-home').click();
    await page.getByTestId('home-hr').waitFor();
    // The home is now in English.
    expect(await page.getByTestId('section-hr-jobs').textContent()).toContain('Jobs and interview plans');
    await shot('home-hr-en');

    await page.getByTestId('tab-me').click();
    await page.getByTestId('sign-out').click();
    await page.locator('.adm-dialog-footer').getByText('Sign out').click();
    await page.getByTestId('signin-page').waitFor();
    expect(await page.getByTestId('oauth-login').textContent()).toBe('Sign in with DingTalk');
    expect(await page.evaluate(() => localStorage.getItem('aiv.session'))).toBeNull();
    await shot('signin-en');
  });
});
