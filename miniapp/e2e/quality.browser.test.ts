/**
 * Fairness and quality on a phone, against the real server (SQLite) and the sandbox: HR opens
 * the app from the sandbox console (免登), goes from the home to "公平与质量" and sees a job's
 * competency flagged because the AI's scores stopped agreeing with the interviewers' ratings,
 * then the bias audit of that job.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Application } from '../../server/kernel/db/entities/Application';
import { DeletionRequest } from '../../server/kernel/db/entities/DeletionRequest';
import { Job } from '../../server/kernel/db/entities/Job';
import { ReportRating } from '../../server/kernel/db/entities/Scoring';
import { User } from '../../server/kernel/db/entities/User';
import { makeApplication, makeCandidate, makeReport } from '../../server/testing/factories';
import { browserTestsRunnable } from './browser';
import { useStackAndBrowser } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');
const DAY = 86_400_000;

describe.skipIf(!browserTestsRunnable())('fairness and quality through the UI', () => {
  const ctx = useStackAndBrowser(async (stack) => {
    // 12 older ratings that agree with the AI, 12 recent ones that disagree: "沟通表达" drifts.
    const em = stack.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const rater = await em.findOneOrFail(User, { dingtalkUserId: 'int01' });
    for (let i = 0; i < 24; i++) {
      const recent = i >= 12;
      const score = 10 + (i % 5) * 20;
      const candidate = await makeCandidate(em, { name: `质量${i}` });
      const application = await makeApplication(em, { candidate, job, stage: 'in_review' });
      const report = await makeReport(em, { application, overall: score, scores: { 沟通表达: score } });
      em.create(ReportRating, {
        report,
        reviewer: rater,
        competency: '沟通表达',
        score: recent ? 5 - (i % 5) : 1 + (i % 5),
        createdAt: new Date(Date.now() - (recent ? 3 : 60) * DAY),
      });
      await em.flush();
    }
  });

  it('HR sees the drifting competency flagged, then the bias audit of the job', async () => {
    const page = await ctx.browser.context.newPage();
    await page.goto(ctx.stack.sandboxUrl);
    await page.getByTestId('open-as-hr01').click();
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('quality-open').click();
    await page.getByTestId('quality').waitFor();
    await page.getByTestId('q-agreement-overall').waitFor();
    const row = page.getByTestId('q-competency').filter({ hasText: '沟通表达' });
    await row.waitFor();
    expect(await row.getByTestId('q-flag-drift').count()).toBe(1);
    expect(await row.getByTestId('q-flag-low_agreement').count()).toBe(1);
    expect(await row.textContent()).toContain('24');
    // One job: the selector narrows both reports.
    await page.getByText('高级后端工程师').first().click();
    await page.getByTestId('q-audit').waitFor();
    await page.getByTestId('q-competency').first().waitFor();
    expect(await page.getByTestId('q-audit').textContent()).toMatch(/偏差审计|Bias audit/);
    await page.screenshot({ path: path.join(SHOTS, 'quality.png'), fullPage: true });
  });

  it('HR files a deletion request for a candidate from the application page', async () => {
    const page = await ctx.browser.context.newPage();
    await page.goto(ctx.stack.sandboxUrl);
    await page.getByTestId('open-as-hr01').click();
    await page.getByTestId('home-hr').waitFor();
    const em = ctx.stack.orm.em.fork();
    const app = await em.findOneOrFail(Application, { candidate: { name: '质量0' } });
    await page.goto(`${ctx.stack.appUrl}/pipeline/applications/${app.id}`);
    await page.getByTestId('erase-candidate').click();
    await page.getByTestId('erase-reason').locator('textarea').fill('候选人邮件要求删除');
    await page.locator('.adm-dialog-button').last().click();
    await expect
      .poll(async () => (await ctx.stack.orm.em.fork().find(DeletionRequest, {})).map((r) => r.reason))
      .toEqual(['候选人邮件要求删除']);
    // HR sees it on the fairness and quality screen, and then carried out by the worker.
    await page.goto(`${ctx.stack.appUrl}/quality`);
    await page.getByTestId('q-erasure').first().waitFor();
    expect(await page.getByTestId('q-erasure').first().textContent()).toContain(`#${app.candidate.id}`);
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('q-erasure').first().waitFor();
          return page.getByTestId('q-erasure').first().textContent();
        },
        { timeout: 40_000, interval: 2000 },
      )
      .toMatch(/已于|Done on/);
  });
});
