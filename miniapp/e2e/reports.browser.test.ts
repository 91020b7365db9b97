/**
 * Reports on a phone, against a scripted API: an interviewer opens "interviews to review" from
 * the home, reads a report with evidence highlighted in the transcript, jumps to the video and
 * rates each competency; a candidate reads released feedback (bands, no scores) and asks for an
 * explanation. Screenshots land in test-results/miniapp/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from '../../scripts/testing/browser';
import { type FakeApiScript, fakeMe, installFakeApi } from './fakeApi';
import { ensureMiniappBuilt, serveDist } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');
const INTERVIEWER = fakeMe({ id: 5, name: '张伟', home: 'interviewer', roles: ['interviewer'] });
const CANDIDATE = fakeMe({ id: 101, name: '张三', home: 'candidate', invitationJobId: 1 });
const TRANSCRIPT =
  '当时订单服务大量超时，我负责排查。首先我看监控，找到根本原因是缺少索引。结果延迟降低了90%。';
const QUOTE = '首先我看监控，找到根本原因是缺少索引。';

const REPORT = {
  id: 7,
  applicationId: 3,
  candidateName: '张三',
  jobTitle: '高级后端工程师',
  status: 'ready',
  overall: 78,
  recommendation: 'advance_suggested',
  flags: [],
  released: false,
  ratedByMe: false,
  createdAt: '2026-11-22T01:00:00.000Z',
};
const DETAIL = {
  ...REPORT,
  jobMatch: 70,
  recommendationIsSuggestion: true,
  competencies: [
    {
      name: '问题解决',
      score: 78,
      evidence: [
        { answerId: 70, quote: QUOTE, indicator: '定位问题的根本原因', start: 17, end: 36, atMs: 4000 },
      ],
      matched: ['定位问题的根本原因'],
      missing: [],
    },
  ],
  strengths: ['问题解决：回答体现了「定位问题的根本原因」'],
  gaps: [
    {
      competency: '问题解决',
      text: '没有体现「复盘并预防再次发生」',
      suggestion: '补充一个你亲自复盘的具体经历。',
    },
  ],
  scorerVersion: 'det-1.0.0',
  weightsSource: 'default',
  answers: [
    {
      answerId: 70,
      position: 1,
      question: '线上服务突然出现大量超时，你会如何定位并解决？',
      status: 'done',
      transcript: TRANSCRIPT,
      sentences: [],
      hasMedia: true,
      basis: {
        kind: 'question:12',
        referenceOverlap: 34,
        hasReferenceAnswers: false,
        evidence: { example: true, ownAction: true, result: false },
        neighbours: { ratedAnswers: 18, nearestRatings: [4, 5, 4], similarity: 0.41 },
      },
      highlights: [
        {
          start: TRANSCRIPT.indexOf(QUOTE),
          end: TRANSCRIPT.indexOf(QUOTE) + QUOTE.length,
          competency: '问题解决',
          indicator: '定位问题的根本原因',
          atMs: 4000,
        },
      ],
    },
  ],
  ratings: [],
  tasks: [],
};
const FEEDBACK = {
  id: 7,
  jobTitle: '高级后端工程师',
  releasedAt: '2026-11-22T02:00:00.000Z',
  personOnly: false,
  competencies: [
    {
      name: '问题解决',
      band: 'good',
      explanation: '遇到问题时，你怎样弄清原因、权衡做法，并确认问题真的解决了。',
      quotes: ['我先查看监控，定位到慢查询'],
      suggestions: [
        {
          text: '问题解决：回答里能说明这方面能力的具体内容还不多',
          suggestion: '最后说明结果：带来了什么变化，怎么知道它有效，你学到了什么。',
        },
      ],
    },
  ],
  general: [],
  requests: [],
};

/** Sign-in outcomes: the candidate by invitation, and the interviewer by 免登 code when asked. */
function signIns(withInterviewer: boolean): FakeApiScript {
  return {
    config: {
      corpId: 'dingdemocorp5f3a1c',
      clientId: 'dingdemoappkey01',
      demo: true,
      oauthStartUrl: '/api/auth/oauth/start',
    },
    dingtalkCodes: withInterviewer ? { 'code-int': { me: INTERVIEWER } } : {},
    oauthCodes: {},
    oauthState: 's',
    invitations: { 'inv.ok': { me: CANDIDATE } },
  };
}

/** Scripted report routes on top of the shared fake API (later routes run first). */
async function installReportApi(context: BrowserContext) {
  const sent: Array<{ method: string; path: string; body: unknown }> = [];
  const json = (route: Route, status: number, body: unknown) =>
    route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  await context.route(
    (url) => url.pathname.startsWith('/api/reports') || url.pathname.startsWith('/api/feedback'),
    async (route) => {
      const r = route.request();
      const p = new URL(r.url()).pathname;
      const body = r.postData() ? JSON.parse(r.postData() as string) : undefined;
      sent.push({ method: r.method(), path: p, body });
      if (r.method() === 'GET' && p === '/api/reports')
        return json(route, 200, { total: 1, items: [REPORT] });
      if (r.method() === 'GET' && p === '/api/reports/7') return json(route, 200, { report: DETAIL });
      if (p === '/api/reports/7/media/70')
        return json(route, 200, {
          url: '/missing-video.webm',
          expiresAt: new Date(Date.now() + 300_000).toISOString(),
        });
      if (r.method() === 'PUT' && p === '/api/reports/7/ratings')
        return json(route, 200, { ratings: body.ratings });
      if (r.method() === 'GET' && p === '/api/feedback') return json(route, 200, { items: [FEEDBACK] });
      if (r.method() === 'POST' && p === '/api/feedback/7/requests')
        return json(route, 201, {
          request: { id: 1, kind: body.kind, status: 'open', dueAt: '2026-11-27T02:00:00.000Z' },
        });
      return route.fallback();
    },
  );
  return sent;
}

describe.skipIf(!browserTestsRunnable())('reports on a phone (scripted API)', () => {
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

  it('an interviewer reads the report with highlighted evidence and rates each competency', async () => {
    browser = await launchBrowser();
    await installFakeApi(browser.context, signIns(true));
    const sent = await installReportApi(browser.context);
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/?sandbox_auth_code=code-int`);
    await page.getByTestId('reports-open').click();
    await page.getByTestId('report-item').click();
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('report-overall').textContent()).toContain('78');
    expect(await page.locator('.rp-transcript mark').textContent()).toBe(QUOTE);
    expect(await page.getByTestId('report').textContent()).toContain('仅供参考');
    // What the score rests on: ratings of similar answers (no one's words), overlap, evidence.
    const basis = (await page.getByTestId('score-basis').textContent()) ?? '';
    expect(basis).toContain('与面试官评为 4-5 分的回答相似');
    expect(basis).toContain('34%');
    expect(await page.getByTestId('report').textContent()).toContain('评分要点覆盖');
    expect(await page.getByTestId('report').textContent()).not.toContain('岗位匹配');
    await page.getByTestId('play-70').click();
    await page.locator('video.rp-video').waitFor();
    await page.locator('[data-testid="rating-form"] .adm-rate-star').nth(3).tap();
    await page.getByTestId('rating-submit').click();
    await expect
      .poll(() => sent.find((s) => s.method === 'PUT')?.body)
      .toEqual({ ratings: [{ competency: '问题解决', score: 4 }] });
    await page.screenshot({ path: path.join(SHOTS, 'report-interviewer.png'), fullPage: true });
    await browser.close();

    browser = await launchBrowser();
    await installFakeApi(browser.context, signIns(false));
    const sent2 = await installReportApi(browser.context);
    const cpage = await browser.context.newPage();
    await cpage.goto(`${app.url}/invite/inv.ok`);
    await cpage.getByTestId('feedback-open').click();
    await cpage.getByTestId('feedback-card').waitFor();
    const text = (await cpage.getByTestId('feedback').textContent()) ?? '';
    expect(text).toContain('良好');
    expect(text).not.toContain('78');
    // Plain words and the candidate's own quoted words, never the rubric's indicator phrases.
    expect(text).toContain('弄清原因');
    expect(text).toContain('“我先查看监控，定位到慢查询”');
    expect(text).not.toContain('定位问题的根本原因');
    await cpage.getByTestId('ask-explanation').click();
    await cpage.locator('textarea').fill('想了解为什么是良好');
    await cpage.getByTestId('feedback-send').click();
    await expect
      .poll(() => sent2.find((s) => s.method === 'POST')?.body)
      .toEqual({ kind: 'explanation', message: '想了解为什么是良好' });
    await cpage.screenshot({ path: path.join(SHOTS, 'feedback-candidate.png'), fullPage: true });
  }, 120_000);
});
