/**
 * A live round on phones, against the real server and sandbox: the day-before job queues the
 * outline card and the delivery worker sends it to the interviewer's DingTalk chat; the
 * interviewer opens the round from their home, reads the outline, saves a draft and submits the
 * scorecard; the hiring manager, the second rater, opens the card's link and submits theirs;
 * HR opens the round and sees both scorecards; once the round is done HR opens the summary report
 * (both scorecards in the combined score, the rule saying so) and starts the 录用 approval from
 * it, and the form the sandbox received carries the summary.
 * Screenshots land in test-results/miniapp/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueOutlineCards } from '../../server/features/liveround/jobs';
import { Application } from '../../server/kernel/db/entities/Application';
import { Approval } from '../../server/kernel/db/entities/Approval';
import { Department } from '../../server/kernel/db/entities/Department';
import { Job } from '../../server/kernel/db/entities/Job';
import { LiveScorecard } from '../../server/kernel/db/entities/LiveScorecard';
import { User } from '../../server/kernel/db/entities/User';
import { makeApplication, makeBooking, makeJob, makeReport, uniq } from '../../server/testing/factories';
import { approvalForm } from '../../server/testing/sandboxClient';
import { browserTestsRunnable } from './browser';
import { responseTo, SHOTS, useStackAndBrowser } from './helpers';

const HOUR = 3_600_000;

describe.skipIf(!browserTestsRunnable())('live round outline and scorecards on a phone', () => {
  const ctx = useStackAndBrowser();

  it('the interviewer gets the outline card and scores from the home; the manager scores; HR sees both', async () => {
    const t = ctx.stack;
    const em = () => t.orm.em.fork();
    const [int01, mgr01] = await Promise.all([
      em().findOneOrFail(User, { dingtalkUserId: 'int01' }),
      em().findOneOrFail(User, { dingtalkUserId: 'mgr01' }),
    ]);
    const job = await makeJob(t.orm, {
      title: uniq('支付后端'),
      department: await em().findOneOrFail(Department, { name: '研发中心' }),
      hiringManager: mgr01,
      questions: [
        { text: '讲一次你解决难题的经历。', competencies: ['问题解决'] },
        { text: '讲一次意见不一致的经历。', competencies: ['沟通协作'] },
      ],
    });
    await em().nativeUpdate(Job, { id: job.id }, { requirements: '熟悉 Kafka 等消息队列' });
    const application = await makeApplication(t.orm, { job, stage: 'second_round_booked' });
    const report = await makeReport(t.orm, {
      application,
      overall: 70,
      scores: { 问题解决: 80, 沟通协作: 50 },
    });
    const booking = await makeBooking(t.orm, {
      application,
      kind: 'second_round',
      interviewer: int01,
      startAt: new Date(Date.now() + 18 * HOUR),
    });

    // The day-before job queues the card; the stack's delivery worker sends it.
    await queueOutlineCards(em(), new Date());
    await expect
      .poll(
        async () =>
          JSON.stringify(await t.sandbox.chatMessages({ conversation: 'user:int01' })).includes(
            encodeURIComponent(`/liveround/${booking.id}`),
          ),
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);

    // The interviewer opens the round from the home.
    const page = await ctx.browser.context.newPage();
    await page.goto(`${t.appUrl}/?sandbox_auth_code=${await t.sandbox.issueAuthCode('int01')}`);
    await page.getByTestId(`liveround-item-${booking.id}`).click();
    await page.getByTestId('outline').waitFor();
    const questions = await page.getByTestId('outline-question').count();
    expect(questions).toBeGreaterThanOrEqual(5);
    expect(questions).toBeLessThanOrEqual(8);
    expect(await page.getByTestId('outline').textContent()).toContain('Kafka');
    // A draft with one rating, then the rest and submit.
    await page.getByTestId('score-0-4').click();
    await page.getByTestId('note-0').locator('textarea').fill('根因分析清楚');
    const draft = responseTo(page, (r) => r.url().endsWith(`/api/liveround/${booking.id}/scorecard`));
    await page.getByTestId('scorecard-save').click();
    expect((await draft).status()).toBe(200);
    // The response arrives before React paints what it says: wait for the label, as below.
    await expect.poll(() => page.getByTestId('scorecard-status').textContent()).toBe('草稿');
    await page.getByTestId('score-1-3').click();
    await page.getByTestId('scorecard-notes').locator('textarea').fill('沟通尚可，建议录用');
    const submitted = responseTo(page, (r) => r.url().endsWith('/scorecard/submit'));
    await page.getByTestId('scorecard-submit').click();
    expect((await submitted).status()).toBe(200);
    await expect.poll(() => page.getByTestId('scorecard-status').textContent()).toBe('已提交');
    await page.screenshot({ path: path.join(SHOTS, 'liveround-interviewer.png'), fullPage: true });

    // The hiring manager, the second rater, opens the round from the link and submits.
    const mgr = await ctx.browser.context.newPage();
    await mgr.goto(
      `${t.appUrl}/liveround/${booking.id}?sandbox_auth_code=${await t.sandbox.issueAuthCode('mgr01')}`,
    );
    await mgr.getByTestId('scorecard').waitFor();
    await mgr.getByTestId('score-0-5').click();
    await mgr.getByTestId('score-1-2').click();
    const mgrSubmitted = responseTo(mgr, (r) => r.url().endsWith('/scorecard/submit'));
    await mgr.getByTestId('scorecard-submit').click();
    expect((await mgrSubmitted).status()).toBe(200);

    // HR sees both scorecards (and has none of their own to fill in).
    const hr = await ctx.browser.context.newPage();
    await hr.goto(
      `${t.appUrl}/liveround/${booking.id}?sandbox_auth_code=${await t.sandbox.issueAuthCode('hr01')}`,
    );
    await hr.getByTestId('all-scorecards').waitFor();
    await hr.getByTestId(`scorecard-of-${mgr01.id}`).waitFor();
    const all = (await hr.getByTestId('all-scorecards').textContent()) ?? '';
    for (const part of ['问题解决：4', '沟通协作：3', '问题解决：5', '沟通协作：2', '沟通尚可，建议录用'])
      expect(all).toContain(part);
    expect(await hr.getByTestId('scorecard').count()).toBe(0);
    await hr.screenshot({ path: path.join(SHOTS, 'liveround-hr.png'), fullPage: true });

    const rows = await em().find(LiveScorecard, { bookingId: booking.id }, { orderBy: { raterId: 'asc' } });
    expect(rows.map((r) => [r.raterId, r.status, r.ratings.map((x) => x.score)]).sort()).toEqual(
      [
        [int01.id, 'submitted', [4, 3]],
        [mgr01.id, 'submitted', [5, 2]],
      ].sort(),
    );

    // The round took place; HR opens the summary report and starts the 录用 approval from it.
    const app = await em().findOneOrFail(Application, { id: application.id });
    const done = await t.api('POST', `/api/applications/${application.id}/decisions`, {
      token: await t.signInEmployee('hr01'),
      body: { action: 'complete_second_round', version: app.version },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await hr.goto(
      `${t.appUrl}/reports/${report.id}/summary?sandbox_auth_code=${await t.sandbox.issueAuthCode('hr01')}`,
    );
    await hr.getByTestId('summary').waitFor();
    // By hand: scorecards (75 + 50) / 2 = 62.5 and (100 + 25) / 2 = 62.5 -> people 62.5;
    // 0.4 x 70 + 0.6 x 62.5 = 28 + 37.5 = 65.5.
    expect(await hr.getByTestId('summary-combined-score').textContent()).toBe('65.5');
    expect(await hr.getByTestId('summary-formula').textContent()).toBe(
      'AI 40% × 70 + 人工 60% × 62.5 = 65.5',
    );
    expect(await hr.getByTestId('summary-people-rule').textContent()).toContain('报告 0，现场评分卡 2');
    expect(await hr.getByTestId('summary-rater').count()).toBe(2);
    const decided = responseTo(hr, (r) => r.url().endsWith(`/api/applications/${application.id}/decisions`));
    await hr.getByTestId('summary-offer-start').click();
    await hr.getByTestId('offer-salary').locator('input').fill('30k×14');
    await hr.getByTestId('offer-level').locator('input').fill('P6');
    await hr.getByTestId('offer-start').locator('input').fill('2027-02-01');
    await hr.getByRole('button', { name: /确定|确认/ }).click();
    const res = await decided;
    expect(res.status()).toBe(200);
    expect(res.request().postDataJSON()).toMatchObject({ action: 'request_offer', offer: { level: 'P6' } });
    await hr.getByTestId('summary-offer-status').waitFor();
    expect(await hr.getByTestId('summary-offer-start').count()).toBe(0);
    // The stack's worker starts it in the sandbox; the form DingTalk received carries the summary.
    await expect
      .poll(
        async () =>
          (await em().findOne(Approval, { application: application.id, kind: 'offer', status: 'running' }))
            ?.processInstanceId ?? null,
        { timeout: 30_000, interval: 500 },
      )
      .not.toBeNull();
    const approval = await em().findOneOrFail(Approval, { application: application.id, kind: 'offer' });
    const form = approvalForm(await t.sandbox.approval(approval.processInstanceId as string));
    expect(form).toMatchObject({ AI综合评分: '70', 综合评分: '65.5', 职级: 'P6', 入职日期: '2027-02-01' });
    expect(form.综合评分规则).toContain('AI 40% × 70 + 人工 60% × 62.5 = 65.5');
    expect(form.人工评分?.split('\n').map((l) => l.replace(/^· .+?（/, '（'))).toEqual([
      '（现场面试评分卡）：62.5 分｜问题解决 4/5，沟通协作 3/5｜“沟通尚可，建议录用”',
      '（现场面试评分卡）：62.5 分｜问题解决 5/5，沟通协作 2/5',
    ]);
    expect(form.总结建议).toContain('复试（建议，仅供参考，由人决定）');
    expect(form.待跟进事项).toContain('背景调查');
    await hr.screenshot({ path: path.join(SHOTS, 'summary-offer-approval.png'), fullPage: true });
  }, 240_000);
});
