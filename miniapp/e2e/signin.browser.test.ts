/**
 * Sign-in end to end: Chromium, the real server serving `miniapp/dist`, and the DingTalk
 * sandbox standing in for the DingTalk client and DingTalk's OAuth2 login page. Nothing is
 * mocked; each user's landing page proves the whole chain (auth code or OAuth code -> server ->
 * sandbox's DingTalk APIs -> session -> routing by role).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../server/testing/harness';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from './browser';
import { ensureMiniappBuilt } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');

describe.skipIf(!browserTestsRunnable())('sign-in against the real server and the DingTalk sandbox', () => {
  let stack: TestStack;
  const browsers: LaunchedBrowser[] = [];

  /** A new browser with an empty profile: no session left over from another user. */
  async function freshPage(): Promise<Page> {
    const browser = await launchBrowser();
    browsers.push(browser);
    return browser.context.newPage();
  }

  beforeAll(async () => {
    ensureMiniappBuilt();
    mkdirSync(SHOTS, { recursive: true });
    stack = await startTestStack();
  });
  afterEach(async () => {
    await Promise.all(browsers.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('(a) HR opens the app from the sandbox console (免登) and lands on the HR home', async () => {
    const page = await freshPage();
    await page.goto(stack.sandboxUrl);
    await page.getByTestId('open-as-hr01').click();
    const home = page.getByTestId('home-hr');
    await home.waitFor();
    expect(await home.textContent()).toContain('王晓燕');
    expect(page.url().startsWith(stack.appUrl)).toBe(true);
    expect(page.url()).not.toContain('sandbox_auth_code');
    await page.screenshot({ path: path.join(SHOTS, 'stack-home-hr.png') });
  });

  it('(b) a candidate signs in with DingTalk OAuth2 through the sandbox login page', async () => {
    const page = await freshPage();
    await page.goto(stack.appUrl);
    await page.getByTestId('oauth-login').click();
    const account = page.getByTestId('login-as-uid-cand01-Aa1');
    await account.waitFor();
    expect(page.url().startsWith(stack.sandboxUrl)).toBe(true);
    await account.click();
    const home = page.getByTestId('home-candidate');
    await home.waitFor();
    expect(await home.textContent()).toContain('张三');
    expect(new URL(page.url()).pathname).toBe('/');
    await page.screenshot({ path: path.join(SHOTS, 'stack-home-candidate.png') });

    // The session survives a reload without another round trip to DingTalk.
    await page.reload();
    await home.waitFor();
  });

  it('(c) an interviewer lands on the interviewer home', async () => {
    const page = await freshPage();
    await page.goto(stack.sandboxUrl);
    await page.getByTestId('open-as-int01').click();
    const home = page.getByTestId('home-interviewer');
    await home.waitFor();
    expect(await home.textContent()).toContain('张伟');
  });

  it('explains a DingTalk consent the candidate declined', async () => {
    const page = await freshPage();
    await page.goto(stack.appUrl);
    await page.getByTestId('oauth-login').click();
    await page.getByTestId('oauth-deny').click();
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-code')).toBe('oauth_cancelled');
    await page.getByTestId('signin-retry').click();
    await page.getByTestId('oauth-login').waitFor();
  });

  it('rejects a replayed 免登 code with a clear message', async () => {
    const page = await freshPage();
    const opened: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.url().includes('sandbox_auth_code='))
        opened.push(request.url());
    });
    await page.goto(stack.sandboxUrl);
    await page.getByTestId('open-as-hr02').click();
    await page.getByTestId('home-hr').waitFor();
    expect(opened).toHaveLength(1);
    // The same code again in another browser, as if the URL had been shared or replayed.
    const replay = await freshPage();
    await replay.goto(opened[0]);
    const error = replay.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-code')).toBe('auth_code_invalid');
    expect(await error.textContent()).toContain('登录码已过期或已被使用');
  });
});
