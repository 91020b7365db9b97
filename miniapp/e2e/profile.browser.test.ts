/**
 * The interviewer-facing candidate profile on a phone, against the real server and the sandbox
 * (demo company): 张伟 (int01), assigned to review 张三's application, goes from his home to the
 * report, opens 张三's profile from the name, sees the stage, the booked second round, the score
 * per competency with 张三's own words and the answers, and goes on to rate. 刘洋 (int02), not
 * assigned, opening the same profile is told why he cannot see it (the server's 403 code in
 * words), and an interviewer following HR's candidate link lands on the profile, not the home.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Application } from '../../server/kernel/db/entities/Application';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { AnswerTranscript } from '../../server/kernel/db/entities/Scoring';
import { User } from '../../server/kernel/db/entities/User';
import { makeBooking, makeReport } from '../../server/testing/factories';
import { routes } from '../../shared/routes';
import { browserTestsRunnable, launchBrowser } from './browser';
import { responseTo, SHOTS, useStackAndBrowser } from './helpers';

const QUESTION = '线上服务突然出现大量超时，你会如何一步步定位并解决？';
const SAID = '我先看监控和日志，定位到慢查询，加了索引，延迟降低了一半。';

describe.skipIf(!browserTestsRunnable())('the candidate profile for the hiring team', () => {
  const ctx = useStackAndBrowser();
  const em = () => ctx.stack.orm.em.fork();

  it('an assigned interviewer opens the profile from the report and goes on to rate; others are told why not', async () => {
    const e = em();
    // Its own answer id per attempt (the browser config retries once on the same stack).
    const answerId = 7000 + Math.floor(Math.random() * 100_000);
    const zhang = await e.findOneOrFail(Candidate, { name: '张三' });
    const app = await e.findOneOrFail(Application, { candidate: zhang }, { populate: ['job'] });
    app.stage = 'in_review';
    const report = await makeReport(e, {
      application: app,
      overall: 74,
      competencies: [
        {
          name: '问题解决',
          score: 78,
          evidence: [{ answerId, quote: '定位到慢查询', indicator: '讲清了问题', start: 9, end: 15 }],
          matched: [],
          missing: [],
        },
      ],
    });
    e.create(AnswerTranscript, {
      answerId,
      sessionId: report.sessionId,
      applicationId: app.id,
      status: 'done',
      objectKey: null,
      position: 1,
      questionText: QUESTION,
      provider: 'sandbox',
      language: 'zh',
      text: SAID,
      sentences: [],
    } as never);
    await e.flush();
    const int01 = await e.findOneOrFail(User, { dingtalkUserId: 'int01' });
    await makeBooking(e, { application: app, kind: 'second_round', interviewer: int01 });

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('int01')}`,
    );
    await page.getByTestId('reports-open').click();
    await page.getByTestId('report-item').filter({ hasText: '张三' }).first().click();
    await page.getByTestId('report').waitFor();
    await page.getByTestId('report-candidate').click();
    await page.getByTestId('candidate-profile').waitFor();
    const card = page.getByTestId(`profile-app-${app.id}`);
    await card.waitFor();
    expect(await card.textContent()).toContain(app.job.title);
    expect(await card.textContent()).toContain('指定面试官');
    expect(await card.getByTestId('profile-stage').textContent()).toBe('待评估');
    expect(await card.getByTestId('profile-booking').textContent()).toMatch(/^复试 · .*Asia\/Shanghai/);
    expect(await card.getByTestId('profile-overall').textContent()).toContain('74');
    expect(await card.getByTestId('profile-competency').first().textContent()).toContain('问题解决 · 78');
    expect(await card.getByTestId('profile-evidence').first().textContent()).toContain('定位到慢查询');
    expect(await card.getByTestId('profile-answer').first().textContent()).toContain(SAID);
    // The mobile is masked for an interviewer (HR alone sees contact details).
    expect(await page.getByTestId('candidate-profile').textContent()).toMatch(/\d{3}\*{4}\d{4}/);
    await page.screenshot({ path: path.join(SHOTS, 'profile-interviewer.png'), fullPage: true });
    await card.getByTestId('profile-review').click();
    await page.getByTestId('rating-form').waitFor();
    expect(new URL(page.url()).pathname).toBe(routes.report(report.id));

    // HR's candidate link, followed by an interviewer, leads to the profile.
    await page.goto(`${ctx.stack.appUrl}${routes.candidate(zhang.id)}`);
    await page.getByTestId(`profile-app-${app.id}`).waitFor();
    expect(new URL(page.url()).pathname).toBe(routes.candidateProfile(zhang.id));

    // 刘洋 is not assigned: the refusal in words, no profile.
    const other = await launchBrowser();
    try {
      const p2 = await other.context.newPage();
      await p2.goto(
        `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('int02')}`,
      );
      await p2.getByTestId('home-interviewer').waitFor();
      const refused = responseTo(
        p2,
        (r) => new URL(r.url()).pathname === `/api/candidates/${zhang.id}/profile`,
      );
      await p2.goto(`${ctx.stack.appUrl}${routes.candidateProfile(zhang.id)}`);
      expect((await refused).status()).toBe(403);
      await p2.getByTestId('query-error').waitFor();
      expect(await p2.getByTestId('query-error').textContent()).toContain('只有该候选人的指定面试官');
      expect(await p2.locator('[data-testid^="profile-app-"]').count()).toBe(0);
      await p2.screenshot({ path: path.join(SHOTS, 'profile-refused.png'), fullPage: true });
    } finally {
      await other.close();
    }
  }, 120_000);
});
