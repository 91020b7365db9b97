/**
 * HR proposes interview questions from a job on a phone against the real server (no LLM
 * configured, so the rules write them): opens the job's 生成题目, chooses two competencies,
 * generates, sees the drafts with their reference points and source (规则), edits one, approves
 * it into the bank and finds it there as version 1. The test reads the database only to check
 * results. Screenshots land in test-results/miniapp/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Department } from '../../server/kernel/db/entities/Department';
import { BankQuestion } from '../../server/kernel/db/entities/QuestionBank';
import { QuestionDraft } from '../../server/kernel/db/entities/QuestionDraft';
import { browserTestsRunnable } from './browser';
import { responseTo, SHOTS, useStackAndBrowser } from './helpers';

const POLL = { timeout: 30_000, interval: 300 };

describe.skipIf(!browserTestsRunnable())('HR generates questions from a job in the mini-app', () => {
  const ctx = useStackAndBrowser();
  const em = () => ctx.stack.orm.em.fork();

  it('generates drafts, edits one, approves it and sees it in the bank', async () => {
    // A fresh job per attempt (the browser config retries once on the same stack).
    const tag = Math.random().toString(36).slice(2, 6);
    const hr = await ctx.stack.signInEmployee('hr01');
    const dept = await em().findOneOrFail(Department, { name: '研发中心' });
    const created = await ctx.stack.api('POST', '/api/jobs', {
      token: hr,
      body: {
        title: `数据工程师 ${tag}`,
        departmentId: dept.id,
        location: '杭州',
        headcount: 1,
        description: '1. 负责数据平台的建设与维护；\n2. 负责实时数仓的设计与开发。',
        requirements: '1、熟悉 SQL 与一种编程语言；\n2、有 Flink 实时计算经验优先。',
      },
    });
    expect(created.status).toBe(201);
    const jobId = created.body.job.id as number;

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('jobs-open').click();
    await page.getByTestId('jobs-page').waitFor();
    await page.getByTestId(`job-${jobId}-questions`).click();
    await page.getByTestId('qgen-page').waitFor();
    await page.getByTestId('qgen-empty').waitFor();

    // Nothing chosen: the screen says so and nothing is sent.
    await page.getByTestId('qgen-generate').click();
    await expect
      .poll(() => page.getByTestId('qgen-notice').textContent(), POLL)
      .toContain('至少选择一项能力');

    await page.getByTestId('qgen-competencies').getByText('问题解决').click();
    await page.getByTestId('qgen-competencies').getByText('沟通协作').click();
    const generated = responseTo(page, (r) => r.url().endsWith(`/api/jobs/${jobId}/question-drafts`));
    await page.getByTestId('qgen-generate').click();
    expect((await generated).status()).toBe(201);
    await expect
      .poll(() => page.getByTestId('qgen-notice').textContent(), POLL)
      .toContain('已生成 4 道草稿题');
    const drafts = await em().find(QuestionDraft, { job: jobId }, { orderBy: { id: 'desc' } });
    expect(drafts).toHaveLength(4);
    for (const d of drafts) {
      await page.getByTestId(`draft-${d.id}`).waitFor();
      expect(await page.getByTestId(`draft-${d.id}-source`).textContent()).toBe('规则');
      expect(await page.getByTestId(`draft-${d.id}-refs`).textContent()).toContain(d.referenceAnswers[0]);
    }
    expect(await page.getByTestId('qgen-page').textContent()).toContain('数据平台的建设与维护');
    await page.screenshot({ path: path.join(SHOTS, 'qgen-drafts.png'), fullPage: true });

    // Edit the newest draft: its text and one more reference point.
    const target = drafts[0] as (typeof drafts)[number];
    await page.getByTestId(`draft-${target.id}-edit`).click();
    await page.getByTestId(`draft-${target.id}-form`).waitFor();
    const text = `请讲一次你在实时数仓项目中排查数据延迟的经历（${tag}）：你本人做了什么，结果如何？`;
    await page.getByTestId('draft-text').locator('textarea:not([aria-hidden])').fill(text);
    const refs = page.getByTestId('draft-refs').locator('textarea:not([aria-hidden])');
    await refs.fill(`${(await refs.inputValue()).trim()}\n说清延迟降低了多少`);
    await page.getByTestId('draft-save').click();
    await page.getByTestId(`draft-${target.id}-form`).waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId(`draft-${target.id}-text`).textContent(), POLL).toBe(text);

    // Approve it: the bank gets version 1 of exactly the edited question.
    const approved = responseTo(page, (r) => r.url().endsWith(`/api/question-drafts/${target.id}/approve`));
    await page.getByTestId(`draft-${target.id}-approve`).click();
    expect((await approved).status()).toBe(200);
    const bankQ = await em().findOneOrFail(BankQuestion, { text });
    expect(bankQ).toMatchObject({ version: 1, latest: true });
    expect(bankQ.referenceAnswers.at(-1)).toBe('说清延迟降低了多少');
    expect(bankQ.referenceAnswers[0]).toBe(target.referenceAnswers[0]);
    await expect
      .poll(async () => (await em().findOneOrFail(QuestionDraft, { id: target.id })).status, POLL)
      .toBe('approved');
    // The approved draft leaves the 待审核 list; under 已入库 it shows its bank version.
    await page.getByTestId(`draft-${target.id}`).waitFor({ state: 'detached' });
    await page.getByTestId('qgen-status').getByText('已入库').click();
    await expect
      .poll(() => page.getByTestId(`draft-${target.id}-status`).textContent(), POLL)
      .toBe('题库第 1 版');

    await page.getByTestId('qgen-to-bank').click();
    await page.getByTestId('bank-page').waitFor();
    await page.getByTestId(`bank-q-${bankQ.id}`).waitFor();
    expect(await page.getByTestId(`bank-q-${bankQ.id}`).textContent()).toContain('第 1 版');
    await page.screenshot({ path: path.join(SHOTS, 'qgen-bank.png'), fullPage: true });
    await page.close();
  });
});
