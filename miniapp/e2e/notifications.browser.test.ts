/**
 * The candidate inbox and HR's undelivered-messages screen in Chromium against a scripted API
 * (the server side is covered by server/features/messaging/notifications.test.ts).
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from '../../scripts/testing/browser';
import type { DeliveryFailure, InboxItem } from '../../shared/api/notifications';
import { fakeMe, installFakeApi } from './fakeApi';
import { ensureMiniappBuilt, serveDist } from './helpers';

const HR = fakeMe({ id: 1, name: '王晓燕', home: 'hr', roles: ['hr', 'admin'], department: '人力资源部' });
const CANDIDATE = fakeMe({ id: 111, name: '陈静', home: 'candidate', invitationJobId: 1 });

describe.skipIf(!browserTestsRunnable())('mini-app notifications (scripted API)', () => {
  let app: { url: string; close(): Promise<void> };
  let browser: LaunchedBrowser;
  let page: Page;
  let inbox: InboxItem[];
  let failures: DeliveryFailure[];
  const posts: string[] = [];

  beforeAll(async () => {
    ensureMiniappBuilt();
    app = await serveDist();
  });
  afterAll(async () => app?.close());
  beforeEach(async () => {
    inbox = [
      {
        id: 7,
        topic: 'reminder.candidate.1440m',
        title: '提醒：24 小时后面试',
        body: '您的 **高级后端工程师** AI 面试将于 **2026-03-03 10:00** 开始。',
        buttons: [{ title: '进入面试', url: '/bookings/3' }],
        read: false,
        createdAt: new Date().toISOString(),
      },
    ];
    failures = [
      {
        id: 42,
        topic: 'reminder.interviewer.30m',
        channel: 'robot_oto',
        recipient: 'employee:int09',
        attempts: 6,
        lastError: 'DingTalk does not know user int09',
        dueAt: new Date().toISOString(),
        createdAt: new Date().toISOString(),
      },
    ];
    browser = await launchBrowser();
    await installFakeApi(browser.context, {
      config: {
        corpId: 'dingdemocorp5f3a1c',
        clientId: 'dingdemoappkey01',
        demo: true,
        oauthStartUrl: '/api/auth/oauth/start',
      },
      dingtalkCodes: { 'code-hr': { me: HR } },
      oauthCodes: {},
      oauthState: 's',
      invitations: { 'inv.ok': { me: CANDIDATE } },
    });
    const json = (route: Route, body: unknown) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    // Registered after the fake API, so these run first; everything else falls through to it.
    await browser.context.route(
      (url) => url.pathname.startsWith('/api/inbox') || url.pathname.startsWith('/api/notifications'),
      async (route) => {
        const req = route.request();
        const p = new URL(req.url()).pathname;
        if (req.method() === 'POST') posts.push(p);
        if (p === '/api/inbox')
          return json(route, { items: inbox, unread: inbox.filter((m) => !m.read).length });
        if (p === '/api/inbox/7/read') return json(route, { ...inbox[0], read: true });
        if (p === '/api/notifications/failures')
          return json(route, { total: failures.length, items: failures });
        if (p === '/api/notifications/failures/42/retry') return json(route, failures[0]);
        return route.fallback();
      },
    );
    page = await browser.context.newPage();
  });
  afterEach(async () => browser?.close());

  it('candidate: home links to the inbox with the unread count; a message renders and can be marked read', async () => {
    await page.goto(`${app.url}/invite/inv.ok`);
    await page.getByTestId('home-candidate').waitFor();
    expect(await page.getByTestId('inbox-open').textContent()).toContain('1 条未读');
    await page.getByTestId('inbox-open').click();
    await page.getByTestId('inbox-item').waitFor();
    const text = await page.getByTestId('inbox-item').textContent();
    expect(text).toContain('提醒：24 小时后面试');
    expect(text).toContain('高级后端工程师');
    // Bold markdown is rendered as text, not raw asterisks.
    expect(text).not.toContain('**');
    await page.getByText('标为已读').click();
    await page.getByText('标为已读').waitFor({ state: 'detached' });
    expect(posts).toContain('/api/inbox/7/read');
  });

  it('HR: home links to undelivered messages; retry queues one again', async () => {
    await page.goto(`${app.url}/?sandbox_auth_code=code-hr`);
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('failures-open').click();
    await page.getByTestId('failure-item').waitFor();
    expect(await page.getByTestId('failure-item').textContent()).toContain(
      'DingTalk does not know user int09',
    );
    await page.getByText('重新发送').click();
    await page.getByTestId('failure-item').waitFor({ state: 'detached' });
    expect(posts).toContain('/api/notifications/failures/42/retry');
  });
});
