/**
 * HR sets up a job on a phone against the real server: adds a question to the company bank,
 * creates a job with its JD (the form first refuses a missing title), builds the job's
 * interview plan from the bank with its own answer time, sets the job's interviewer pool and
 * lets the pool assign a reviewer to an application, and pauses the job. Everything goes
 * through the mini-app and the real API; the test reads the database only to check results.
 * Screenshots land in test-results/miniapp/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterviewQuestion } from '../../server/kernel/db/entities/InterviewPlan';
import { Job, JobInterviewer } from '../../server/kernel/db/entities/Job';
import { BankQuestion } from '../../server/kernel/db/entities/QuestionBank';
import { ReviewAssignment } from '../../server/kernel/db/entities/Scoring';
import { makeApplication, makeCandidate } from '../../server/testing/factories';
import { browserTestsRunnable } from './browser';
import { SHOTS, useStackAndBrowser } from './helpers';

const POLL = { timeout: 30_000, interval: 300 };

describe.skipIf(!browserTestsRunnable())('HR sets up a job in the mini-app against the real server', () => {
  const ctx = useStackAndBrowser();
  const em = () => ctx.stack.orm.em.fork();

  it('creates a job with a JD and questions from the bank, then pauses it', async () => {
    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('jobs-open').click();
    await page.getByTestId('jobs-page').waitFor();

    // The bank: add a question probing two competencies of the library.
    await page.getByTestId('jobs-bank').click();
    await page.getByTestId('bank-page').waitFor();
    await page.getByTestId('bank-add').click();
    // A fresh title and question per attempt (the browser config retries once on the same stack).
    const tag = Math.random().toString(36).slice(2, 6);
    const title = `数据工程师 ${tag}`;
    const question = `请讲一次你设计数据管道并保证数据质量的经历（${tag}）。`;
    await page.getByTestId('bank-text').locator('textarea:not([aria-hidden])').fill(question);
    await page.getByTestId('bank-competencies').getByText('技术深度').click();
    await page.getByTestId('bank-competencies').getByText('问题解决').click();
    await page.getByTestId('bank-save').click();
    await expect
      .poll(async () => (await em().findOne(BankQuestion, { text: question }))?.version, POLL)
      .toBe(1);
    const bankQ = await em().findOneOrFail(BankQuestion, { text: question });
    await page.getByTestId(`bank-q-${bankQ.id}`).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'jobs-bank.png'), fullPage: true });

    // A new job: the form names a missing field before anything is sent.
    await page.goBack();
    await page.getByTestId('jobs-new').click();
    await page.getByTestId('job-form').waitFor();
    await page.getByTestId('job-save').click();
    await expect.poll(() => page.getByTestId('job-form-error').textContent(), POLL).toContain('职位名称');
    await page.getByTestId('job-title').locator('input').fill(title);
    await page.getByTestId('job-department').getByText('研发中心').click();
    await page.getByTestId('job-location').locator('input').fill('杭州');
    await page
      .getByTestId('job-description')
      .locator('textarea:not([aria-hidden])')
      .fill('负责公司数据平台的建设与维护，保障数据质量，支持业务分析。');
    await page
      .getByTestId('job-requirements')
      .locator('textarea:not([aria-hidden])')
      .fill('3 年以上数据开发经验，熟悉 SQL');
    await page.getByTestId('job-manager').getByText('李建国').click();
    await page.screenshot({ path: path.join(SHOTS, 'jobs-form.png'), fullPage: true });
    await page.getByTestId('job-save').click();

    // Saving a new job opens its plan builder: pick the bank question, give it 180 s.
    await page.getByTestId('plan-builder').waitFor();
    const job = await em().findOneOrFail(Job, { title }, { populate: ['department', 'hiringManager'] });
    expect(job.description).toContain('保障数据质量');
    expect(job.department.name).toBe('研发中心');
    expect(job.hiringManager?.name).toBe('李建国');
    await page.getByTestId(`plan-add-${bankQ.id}`).click();
    await page.getByTestId('plan-pick-0').waitFor();
    const answer = page.getByTestId('plan-pick-0-answer');
    // 120 s by default, +15 s per step: four steps make 180 s.
    for (let i = 0; i < 4; i++) await answer.locator('button').last().click();
    await page.getByTestId('plan-save').click();
    await expect
      .poll(async () => {
        const qs = await em().find(InterviewQuestion, { plan: { job: job.id }, practice: false });
        return qs.map((q) => [q.text, q.bankQuestion?.id, q.answerSeconds]);
      }, POLL)
      .toEqual([[question, bankQ.id, 180]]);
    await page.screenshot({ path: path.join(SHOTS, 'jobs-plan.png'), fullPage: true });

    // The job's interviewer pool, then a candidate's application gets the pool's next turn.
    await page.goto(`${ctx.stack.appUrl}/jobs/${job.id}`);
    await page.getByTestId('job-pool').waitFor();
    await page.getByTestId('job-pool').getByText('张伟').click();
    await page.getByTestId('job-pool').getByText('刘洋').click();
    await page.getByTestId('job-pool').getByRole('button').last().click();
    await expect.poll(async () => (await em().find(JobInterviewer, { job: job.id })).length, POLL).toBe(2);
    const candidate = await makeCandidate(ctx.stack.orm, { name: '钱数据' });
    const app = await makeApplication(ctx.stack.orm, {
      candidate,
      job: await em().findOneOrFail(Job, { id: job.id }),
    });
    await page.goto(`${ctx.stack.appUrl}/pipeline/applications/${app.id}`);
    await page.getByTestId('assign-reviewers').waitFor();
    await page.getByTestId('assign-reviewers').getByRole('button').last().click();
    await expect.poll(() => page.getByTestId('assigned-reviewers').textContent(), POLL).toBe('张伟');
    const assigned = await em().find(ReviewAssignment, { application: app.id }, { populate: ['reviewer'] });
    expect(assigned.map((a) => a.reviewer.dingtalkUserId)).toEqual(['int01']);
    await page.screenshot({ path: path.join(SHOTS, 'jobs-reviewers.png'), fullPage: true });

    // Back on the list, the job is searchable and can be paused.
    await page.goto(`${ctx.stack.appUrl}/jobs`);
    await page.getByTestId(`job-${job.id}`).waitFor();
    await page.getByTestId(`job-${job.id}-pause`).click();
    await expect.poll(() => page.getByTestId(`job-${job.id}-status`).textContent(), POLL).toBe('已暂停');
    expect((await em().findOneOrFail(Job, { id: job.id })).pausedAt).not.toBeNull();
    await page.screenshot({ path: path.join(SHOTS, 'jobs-list.png'), fullPage: true });
  });
});
