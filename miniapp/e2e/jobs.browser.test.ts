/**
 * HR sets up a job on a phone against the real server: adds a question to the company bank and
 * a new version of a competency of the library,
 * creates a job with its JD (the form first refuses a missing title), builds the job's
 * interview plan from the bank with its own answer time, sets the job's interviewer pool and
 * lets the pool assign a reviewer to an application, and pauses the job. Then it edits a job from
 * two screens (the stale save is refused with 409, not overwritten), sets the job's approval
 * rules (thresholds, approvers with AND/OR, cc) and closes the job. Everything goes
 * through the mini-app and the real API; the test reads the database only to check results.
 * Screenshots land in test-results/miniapp/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startOfDayShanghai } from '../../server/features/home/routes';
import { InterviewQuestion } from '../../server/kernel/db/entities/InterviewPlan';
import { Job, JobInterviewer } from '../../server/kernel/db/entities/Job';
import { JobRules } from '../../server/kernel/db/entities/JobRules';
import { BankQuestion, Competency } from '../../server/kernel/db/entities/QuestionBank';
import { ReviewAssignment } from '../../server/kernel/db/entities/Scoring';
import { User } from '../../server/kernel/db/entities/User';
import { makeApplication, makeBooking, makeCandidate } from '../../server/testing/factories';
import { browserTestsRunnable } from './browser';
import { responseTo, SHOTS, useStackAndBrowser } from './helpers';

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

    // The competency library: a new version of 技术深度 with one more indicator (scoring reads
    // the latest); a form without indicators is refused on the screen, saving nothing.
    const depth = await em().findOneOrFail(Competency, { name: '技术深度', latest: true });
    await page.getByTestId('competency-技术深度').click();
    await page.getByTestId('competency-form').waitFor();
    const zh = page.getByTestId('competency-zh').locator('textarea:not([aria-hidden])');
    const en = page.getByTestId('competency-en').locator('textarea:not([aria-hidden])');
    await zh.fill('');
    await page.getByTestId('competency-save').click();
    await expect.poll(() => page.getByTestId('competency-error').textContent(), POLL).toContain('行为指标');
    await zh.fill([...depth.indicatorsZh, `能说明数据质量的校验方法（${tag}）`].join('\n'));
    await en.fill([...depth.indicatorsEn, `Explains how data quality is checked (${tag})`].join('\n'));
    await page.getByTestId('competency-save').click();
    await page.getByTestId('competency-form').waitFor({ state: 'detached' });
    const latest = await em().findOneOrFail(Competency, { name: '技术深度', latest: true });
    expect(latest.version).toBe(depth.version + 1);
    expect(latest.indicatorsZh.at(-1)).toBe(`能说明数据质量的校验方法（${tag}）`);
    expect(await page.getByTestId('competency-技术深度').textContent()).toContain(`第 ${latest.version} 版`);

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
  it('edits a job (a stale edit is refused, not overwritten), sets its approval rules, and closes it', async () => {
    const job = await em().findOneOrFail(Job, { slug: 'backend' });
    const signedIn = async () => {
      const page = await ctx.browser.context.newPage();
      await page.goto(
        `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
      );
      await page.getByTestId('home-hr').waitFor();
      return page;
    };
    // Two screens open the same job's form; the first to save wins, the second is told (409).
    const first = await signedIn();
    const second = await ctx.browser.context.newPage();
    for (const p of [first, second]) {
      await p.goto(`${ctx.stack.appUrl}/jobs/${job.id}`);
      await expect.poll(() => p.getByTestId('job-title').locator('input').inputValue(), POLL).toBe(job.title);
    }
    await first.getByTestId('job-location').locator('input').fill('上海');
    await first.getByTestId('job-save').click();
    await first.getByTestId('jobs-page').waitFor();
    await second.getByTestId('job-location').locator('input').fill('深圳');
    await second.getByTestId('job-save').click();
    await expect
      .poll(() => second.getByTestId('job-form-error').textContent(), POLL)
      .toContain('刚被其他人修改过');
    const edited = await em().findOneOrFail(Job, { id: job.id });
    expect([edited.location, edited.version]).toEqual(['上海', job.version + 1]);

    // The approval rules: a reject line at or above the pass line is refused on the screen and
    // saves nothing; then two approvers, any one of them (或签), and a person copied.
    const page = first;
    await page.getByTestId(`job-${job.id}-rules`).click();
    await page.getByTestId('job-rules').waitFor();
    const rulesBefore = await em().findOneOrFail(JobRules, { job: job.id });
    const stepper = (id: string) => page.getByTestId(id).locator('input');
    await expect.poll(() => stepper('rules-pass').inputValue(), POLL).toBe(String(rulesBefore.passThreshold));
    await stepper('rules-reject').fill(String(rulesBefore.passThreshold));
    await stepper('rules-reject').blur();
    await page.getByTestId('rules-save').click();
    await expect
      .poll(() => page.getByTestId('rules-error').textContent(), POLL)
      .toContain('通过线必须高于淘汰线');
    expect((await em().findOneOrFail(JobRules, { job: job.id })).rejectThreshold).toBe(
      rulesBefore.rejectThreshold,
    );

    await stepper('rules-pass').fill('70');
    await stepper('rules-pass').blur();
    await stepper('rules-reject').fill('40');
    await stepper('rules-reject').blur();
    const people = await em().find(User, { dingtalkUserId: { $in: ['hr01', 'hr02', 'mgr01', 'int01'] } });
    const nameOf = (userid: string) => people.find((u) => u.dingtalkUserId === userid)?.name ?? userid;
    /** Clicks the people whose choice differs from the wanted set. */
    const choose = async (testId: string, current: string[], wanted: string[]) => {
      for (const u of new Set([...current, ...wanted]))
        if (current.includes(u) !== wanted.includes(u))
          await page.getByTestId(testId).getByText(nameOf(u), { exact: true }).click();
    };
    await choose('rules-approvers', rulesBefore.approverUserIds, ['mgr01', 'hr01']);
    await page.getByTestId('rules-mode').getByText('或签（一人同意即可）').click();
    await choose('rules-cc', rulesBefore.ccUserIds, ['hr02']);
    const saved = responseTo(
      page,
      (r) => new URL(r.url()).pathname === `/api/jobs/${job.id}/rules` && r.request().method() === 'PUT',
    );
    await page.getByTestId('rules-save').click();
    expect((await saved).status()).toBe(200);
    const rules = await em().findOneOrFail(JobRules, { job: job.id });
    expect({
      pass: rules.passThreshold,
      reject: rules.rejectThreshold,
      approvers: [...rules.approverUserIds].sort(),
      mode: rules.approvalMode,
      cc: rules.ccUserIds,
    }).toEqual({ pass: 70, reject: 40, approvers: ['hr01', 'mgr01'], mode: 'OR', cc: ['hr02'] });
    await page.screenshot({ path: path.join(SHOTS, 'jobs-rules.png'), fullPage: true });

    // Closing asks first; a closed job is listed as closed and can be opened again.
    await page.goto(`${ctx.stack.appUrl}/jobs`);
    await page.getByTestId(`job-${job.id}-close`).click();
    await page.locator('.adm-dialog-footer').getByText('确定').click();
    await expect.poll(() => page.getByTestId(`job-${job.id}-status`).textContent(), POLL).toBe('已关闭');
    expect((await em().findOneOrFail(Job, { id: job.id })).status).toBe('closed');
    await page.getByTestId(`job-${job.id}-reopen`).click();
    await expect.poll(() => page.getByTestId(`job-${job.id}-status`).textContent(), POLL).toBe('招聘中');
  });
  it("a hiring manager's home shows their jobs' pipeline by stage and the approvals in progress, each opening its screen", async () => {
    const mgr = await em().findOneOrFail(User, { dingtalkUserId: 'mgr01' });
    const job = await em().findOneOrFail(Job, { slug: 'backend' });
    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('mgr01')}`,
    );
    await page.getByTestId('home-manager').waitFor();
    const summary = page.getByTestId('manager-summary');
    await summary.waitFor();
    // No placeholder: every section has content or says what will come.
    expect(await page.getByTestId('empty').count()).toBe(0);
    const row = summary.locator('.adm-list-item').filter({ hasText: job.title });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/\d/);
    await page.screenshot({ path: path.join(SHOTS, 'jobs-manager-home.png'), fullPage: true });
    await row.click();
    await page.waitForURL(`**/pipeline/jobs/${job.id}`);
    expect(mgr.roles).toContain('manager');
  });
  it("an interviewer's home lists today's and the coming week's interviews; today's opens its outline", async () => {
    const int01 = await em().findOneOrFail(User, { dingtalkUserId: 'int01' });
    const job = await em().findOneOrFail(Job, { slug: 'backend' });
    const tag = Math.random().toString(36).slice(2, 6);
    // Later today in Asia/Shanghai (the home's day), and three days on.
    const now = Date.now();
    const endOfDay = startOfDayShanghai(new Date(now)).getTime() + 86_400_000;
    const today = await makeBooking(ctx.stack.orm, {
      kind: 'second_round',
      interviewer: int01,
      application: await makeApplication(ctx.stack.orm, {
        candidate: await makeCandidate(ctx.stack.orm, { name: `今天面${tag}` }),
        job,
        stage: 'booked',
      }),
      startAt: new Date(now + Math.min(3600_000, (endOfDay - now) / 2)),
    });
    await makeBooking(ctx.stack.orm, {
      kind: 'second_round',
      interviewer: int01,
      application: await makeApplication(ctx.stack.orm, {
        candidate: await makeCandidate(ctx.stack.orm, { name: `下周面${tag}` }),
        job,
        stage: 'booked',
      }),
      startAt: new Date(endOfDay + 2 * 86_400_000 + 3600_000),
    });
    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('int01')}`,
    );
    await page.getByTestId('home-interviewer').waitFor();
    await page.getByTestId('int-today').getByText(`今天面${tag}`).waitFor();
    await page.getByTestId('int-upcoming').getByText(`下周面${tag}`).waitFor();
    expect(await page.getByTestId('int-today').textContent()).not.toContain(`下周面${tag}`);
    await page.screenshot({ path: path.join(SHOTS, 'jobs-interviewer-home.png'), fullPage: true });
    await page.getByTestId('int-today').getByText(`今天面${tag}`).click();
    await page.waitForURL(`**/liveround/${today.id}`);
  });
});
