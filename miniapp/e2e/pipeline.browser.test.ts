/**
 * The hiring pipeline on a phone, against a scripted API: HR opens a job's board from the home,
 * filters suggested rejections, opens a candidate (stage history, approvals, refusal remark) and
 * confirms the rejection; a candidate accepts an approved offer. Screenshots land in
 * test-results/miniapp/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from '../../scripts/testing/browser';
import { type FakeApiScript, fakeMe, installFakeApi } from './fakeApi';
import { ensureMiniappBuilt, serveDist } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');
const HR = fakeMe({ id: 1, name: '王晓燕', home: 'hr', roles: ['hr'] });
const CANDIDATE = fakeMe({ id: 101, name: '张三', home: 'candidate', invitationJobId: 1 });

const CARD = {
  id: 3,
  candidateId: 101,
  candidateName: '李四',
  jobId: 1,
  stage: 'in_review',
  version: 5,
  stageChangedAt: '2026-11-22T01:00:00.000Z',
  personOnly: false,
  overall: 42,
  suggestion: 'reject',
  suggestionReason: 'below_reject_threshold',
  openApproval: null,
};
const DETAIL = {
  id: 3,
  stage: 'in_review',
  version: 5,
  stageChangedAt: '2026-11-22T01:00:00.000Z',
  candidate: { id: 101, name: '李四' },
  job: { id: 1, title: '高级后端工程师' },
  personOnly: false,
  review: {
    overall: 42,
    suggestion: 'reject',
    reason: 'approval_refused',
    remark: '项目经验与岗位不匹配',
    report: {
      reportId: 9,
      strengths: ['表达清晰'],
      gaps: [{ competency: '技术深度', text: '缺少高并发经验' }],
    },
  },
  approvals: [
    {
      id: 1,
      kind: 'second_round',
      status: 'refused',
      processInstanceId: 'pi1',
      approverUserIds: ['hr01', 'mgr01'],
      approvalMode: 'AND',
      decidedByUserId: 'mgr01',
      remark: '项目经验与岗位不匹配',
      lastError: null,
      offer: null,
      startedAt: '2026-11-22T01:00:00.000Z',
      decidedAt: '2026-11-22T01:30:00.000Z',
    },
  ],
  history: [
    {
      at: '2026-11-22T00:10:00.000Z',
      from: 'invited',
      to: 'submitted',
      by: 'system',
      approver: null,
      reason: '候选人已提交 AI 面试',
    },
    {
      at: '2026-11-22T00:20:00.000Z',
      from: 'submitted',
      to: 'scored',
      by: 'system',
      approver: null,
      reason: 'AI 报告已生成（综合 42）',
    },
    {
      at: '2026-11-22T00:21:00.000Z',
      from: 'scored',
      to: 'in_review',
      by: 'system',
      approver: null,
      reason: '低于淘汰线 50，建议淘汰，待 HR 确认',
    },
  ],
  actions: ['advance_second_round', 'reject'],
};

function signIns(): FakeApiScript {
  return {
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
  };
}

async function installPipelineApi(context: BrowserContext) {
  const sent: Array<{ method: string; path: string; body: unknown }> = [];
  let stage = 'offer_sent';
  const json = (route: Route, status: number, body: unknown) =>
    route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  await context.route(
    (url) => /^\/api\/(pipeline|applications|my\/applications)/.test(url.pathname),
    async (route) => {
      const r = route.request();
      const u = new URL(r.url());
      const body = r.postData() ? JSON.parse(r.postData() as string) : undefined;
      sent.push({ method: r.method(), path: `${u.pathname}${u.search}`, body });
      if (u.pathname === '/api/pipeline/jobs')
        return json(route, 200, {
          items: [{ id: 1, title: '高级后端工程师', status: 'open', counts: { in_review: 1, invited: 3 } }],
        });
      if (u.pathname === '/api/pipeline/jobs/1') {
        const items =
          !u.searchParams.get('suggestion') || u.searchParams.get('suggestion') === 'reject' ? [CARD] : [];
        return json(route, 200, {
          job: { id: 1, title: '高级后端工程师' },
          counts: { in_review: 1, invited: 3 },
          items,
        });
      }
      if (u.pathname === '/api/applications/3' && r.method() === 'GET')
        return json(route, 200, { application: DETAIL });
      if (u.pathname === '/api/applications/3/decisions')
        return json(route, 200, { stage: 'rejected', version: 6 });
      if (u.pathname === '/api/my/applications')
        return json(route, 200, {
          items: [
            {
              id: 8,
              jobTitle: '高级后端工程师',
              stage,
              version: 9,
              offer: { salary: '35k×15', level: 'P6', startDate: '2027-01-04' },
            },
          ],
        });
      if (u.pathname === '/api/applications/8/offer-answer') {
        stage = 'accepted';
        return json(route, 200, { stage: 'accepted', version: 10 });
      }
      return route.fallback();
    },
  );
  return sent;
}

describe.skipIf(!browserTestsRunnable())('hiring pipeline on a phone (scripted API)', () => {
  let app: { url: string; close(): Promise<void> };
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    ensureMiniappBuilt();
    app = await serveDist();
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('HR filters suggested rejections, reads the history and confirms the rejection in one tap', async () => {
    browser = await launchBrowser();
    await installFakeApi(browser.context, signIns());
    const sent = await installPipelineApi(browser.context);
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/?sandbox_auth_code=code-hr`);
    await page.getByTestId('pipeline-job-1').click();
    await page.getByTestId('pipeline-board').waitFor();
    await page.getByTestId('filter-reject').click();
    await expect.poll(() => sent.some((s) => s.path === '/api/pipeline/jobs/1?suggestion=reject')).toBe(true);
    await page.getByTestId('pipeline-card').click();
    await page.getByTestId('application').waitFor();
    const text = (await page.getByTestId('application').textContent()) ?? '';
    expect(text).toContain('项目经验与岗位不匹配');
    expect(text).toContain('低于淘汰线');
    await page.screenshot({ path: path.join(SHOTS, 'pipeline-application.png'), fullPage: true });
    await page.getByTestId('action-reject').click();
    await page.getByRole('button', { name: /确定|确认/ }).click();
    await expect
      .poll(() => sent.find((s) => s.method === 'POST')?.body)
      .toEqual({ action: 'reject', version: 5, reason: '确认淘汰' });
    await browser.close();
  }, 60_000);

  it('a candidate accepts the approved offer', async () => {
    browser = await launchBrowser();
    await installFakeApi(browser.context, signIns());
    const sent = await installPipelineApi(browser.context);
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/invite/inv.ok`);
    await page.getByTestId('offer-entry').click();
    await page.getByTestId('offer').waitFor();
    expect(await page.getByTestId('offer').textContent()).toContain('35k×15');
    await page.getByTestId('offer-accept').click();
    await page.getByRole('button', { name: /确定|确认/ }).click();
    await expect
      .poll(() => sent.find((s) => s.method === 'POST')?.body)
      .toEqual({ answer: 'accept', version: 9 });
    await page.getByText('已接受').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'pipeline-offer.png'), fullPage: true });
  }, 60_000);
});
