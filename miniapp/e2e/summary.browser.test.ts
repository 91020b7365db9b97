/**
 * The summary report (面试总结报告) on a phone against the real server: two interviewers rate a
 * report (through the API), HR opens the report, follows the link to the summary and sees both
 * raters, the combined score with its rule, the disagreement flag and the suggestion; an
 * assigned interviewer sees only their own rating. Screenshots land in test-results/miniapp/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Department } from '../../server/kernel/db/entities/Department';
import { ReviewAssignment } from '../../server/kernel/db/entities/Scoring';
import { User } from '../../server/kernel/db/entities/User';
import { makeApplication, makeCandidate, makeJob, makeReport, uniq } from '../../server/testing/factories';
import { browserTestsRunnable } from './browser';
import { SHOTS, useStackAndBrowser } from './helpers';

describe.skipIf(!browserTestsRunnable())('the summary report on a phone', () => {
  const ctx = useStackAndBrowser();

  it('HR sees every rater, the combined score with its rule and the disagreement; an interviewer only their own', async () => {
    const t = ctx.stack;
    const em = t.orm.em.fork();
    const job = await makeJob(em, {
      title: uniq('后端工程师'),
      department: await em.findOneOrFail(Department, { name: '研发中心' }),
    });
    const candidate = await makeCandidate(em, { name: uniq('候选人') });
    const application = await makeApplication(em, { job, candidate, stage: 'in_review' });
    const report = await makeReport(em, { application, overall: 80, scores: { 沟通协作: 80, 问题解决: 80 } });
    for (const id of ['int01', 'int02'])
      em.create(ReviewAssignment, {
        application,
        reviewer: await em.findOneOrFail(User, { dingtalkUserId: id }),
      } as never);
    await em.flush();
    const rate = async (userid: string, a: number, b: number, comment: string) => {
      const token = await t.signInEmployee(userid);
      const res = await t.api('PUT', `/api/reports/${report.id}/ratings`, {
        token,
        body: {
          ratings: [
            { competency: '沟通协作', score: a },
            { competency: '问题解决', score: b },
          ],
          comment,
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await rate('int01', 5, 4, '沟通主动，例子具体');
    await rate('int02', 2, 3, '没讲清自己的角色');

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${t.appUrl}/reports/${report.id}?sandbox_auth_code=${await t.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('report-summary-open').click();
    await page.getByTestId('summary').waitFor();
    // By hand: (100+75)/2 = 87.5 and (25+50)/2 = 37.5 -> people 62.5; 0.4 x 80 + 0.6 x 62.5 = 69.5.
    expect(await page.getByTestId('summary-combined-score').textContent()).toBe('69.5');
    expect(await page.getByTestId('summary-formula').textContent()).toBe(
      'AI 40% × 80 + 人工 60% × 62.5 = 69.5',
    );
    expect(await page.getByTestId('summary-rater').count()).toBe(2);
    expect(await page.getByTestId('summary-disagreement-flag').textContent()).toContain('分歧较大');
    expect(await page.getByTestId('summary-suggestion-value').textContent()).toBe('复试');
    await page.screenshot({ path: path.join(SHOTS, 'summary-hr.png'), fullPage: true });

    const own = await ctx.browser.context.newPage();
    await own.goto(
      `${t.appUrl}/reports/${report.id}/summary?sandbox_auth_code=${await t.sandbox.issueAuthCode('int02')}`,
    );
    await own.getByTestId('summary').waitFor();
    expect(await own.getByTestId('summary-rater').count()).toBe(1);
    expect(await own.getByTestId('summary-raters').textContent()).toContain('没讲清自己的角色');
    expect(await own.getByTestId('summary-raters').textContent()).not.toContain('沟通主动');
    await own.screenshot({ path: path.join(SHOTS, 'summary-interviewer.png'), fullPage: true });
  }, 180_000);
});
