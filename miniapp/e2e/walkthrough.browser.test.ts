/**
 * The README's "A walk through the demo", steps 1-4, word for word: the buttons are found by the
 * labels the README names, against the real server (all roles: the worker transcribes and scores)
 * and the sandbox, with Chromium's fake camera and a microphone playing speech made by espeak-ng.
 * 张三 signs in with DingTalk, starts the interview from the home at once (no booking), answers
 * every question and submits; the transcripts are typed into the sandbox console's ASR tab as a
 * newcomer would, until the worker has written the report; HR releases the feedback from the
 * sandbox console's "open in DingTalk", and 张三 reads it. The sitting must take under 15 minutes
 * (the figure is printed).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { speechWav } from '../../server/testing/media';
import { expectAccessible } from './a11y';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from './browser';
import { responseTo, SHOTS, useStackAndBrowser, waitReceived } from './helpers';

/** What 张三 says in every answer, and types into the sandbox as the transcript. */
const SAID = '我负责过订单系统的重构，先分析监控和日志找到瓶颈，再加索引和缓存，最后延迟降低了一半。';

/** Presses the button whose visible label is `label` (exactly as the README writes it). */
async function press(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: false }).first().click();
}

describe.skipIf(!browserTestsRunnable())('the README walk-through, word for word', () => {
  const ctx = useStackAndBrowser(undefined, { env: { ASR_POLL_MS: '200' } });

  it(
    'sign in as 张三, answer on video, type the transcript, HR releases, 张三 reads the feedback: < 15 min',
    async () => {
      const started = Date.now();
      const wav = await speechWav(path.join(ctx.stack.dataDir, 'walkthrough.wav'), SAID);
      const phone: LaunchedBrowser = await launchBrowser({ fakeAudioFile: wav });
      try {
        const page = await phone.context.newPage();
        // 1. Sign in as the candidate.
        await page.goto(ctx.stack.appUrl);
        await press(page, '使用钉钉登录');
        await page.getByTestId('login-as-uid-cand01-Aa1').click(); // "pick 张三" on the sandbox login page
        const card = page.getByTestId('home-next');
        await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain('现在就可以开始 AI 面试');
        expect(await page.getByTestId('home-deadline').textContent()).toContain('截止时间');
        await expect
          .poll(() => page.getByTestId('home-timeline').textContent(), { timeout: 10_000 })
          .toMatch(/已申请.*收到邀请.*完成面试.*评估中.*面试结果/);

        // 2. Answer on video.
        await press(page, '开始面试');
        await page.getByTestId('iv-start').waitFor();
        await page.getByRole('button', { name: '开始', exact: true }).click();
        await page.getByTestId('iv-consent-video').click();
        await page.getByTestId('iv-consent-ai').click();
        await press(page, '同意并继续');
        await page.getByTestId('iv-device').waitFor();
        await page.waitForFunction(
          () => !document.querySelector('[data-testid="iv-device-ok"]')?.hasAttribute('disabled'),
        );
        await press(page, '一切正常，继续');
        for (let i = 0; ; i++) {
          expect(i).toBeLessThan(10);
          await page.getByTestId('iv-question').waitFor();
          await press(page, '开始录制');
          await page.getByTestId('iv-recording').waitFor();
          await page.waitForTimeout(3000);
          await press(page, '结束录制');
          await waitReceived(page);
          await press(page, '确认，下一题');
          // After the last question the submit button appears instead of another question.
          const nextThing = await Promise.race([
            page
              .getByTestId('iv-submit')
              .waitFor({ timeout: 30_000 })
              .then(() => 'submit'),
            page
              .locator(
                '[data-testid="iv-question"][data-phase="think"], [data-testid="iv-question"][data-phase="ready"]',
              )
              .waitFor({ timeout: 30_000 })
              .then(() => 'question'),
          ]);
          if (nextThing === 'submit') break;
        }
        await press(page, '提交面试');
        await page.getByTestId('iv-done').waitFor();
        // The done screen says what happens next and by when, from the timeline (report, then
        // HR's review within the SLA), not a fixed promise of "5 个工作日".
        const done = page.getByTestId('iv-done');
        await page.getByTestId('iv-done-by').waitFor();
        expect(await done.textContent()).toContain('3 天内评估');
        expect(await page.getByTestId('iv-done-by').textContent()).toMatch(
          /预计在 \d{4}\/\d\d\/\d\d \d\d:\d\d/,
        );
        expect(await done.textContent()).not.toContain('工作日');
        await expectAccessible(page, 'interview done');
        await page.goto(ctx.stack.appUrl);
        await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain('已提交，等待结果');
        await page.screenshot({ path: path.join(SHOTS, 'walkthrough-submitted.png') });

        // 3. Type the transcript: sandbox console, tab 语音转写 ASR, one task per recorded answer.
        // Tasks appear as the worker sends the recordings; type each one until the report is ready.
        const console_ = await phone.context.newPage();
        await console_.goto(ctx.stack.sandboxUrl);
        await console_.getByRole('tab', { name: /语音转写 ASR/ }).click();
        const hrToken = await ctx.stack.signInEmployee('hr01');
        const reportReady = async () => {
          const res = await ctx.stack.api('GET', '/api/reports?limit=50', { token: hrToken });
          return (res.body.items ?? []).some(
            (r: { candidateName: string; status: string }) =>
              r.candidateName === '张三' && r.status !== 'pending',
          );
        };
        let typed = 0;
        const deadline = Date.now() + 180_000;
        while (!(await reportReady())) {
          expect(Date.now(), 'the report never became ready').toBeLessThan(deadline);
          const forms = console_.locator('form[data-asr-task]');
          if ((await forms.count()) > 0) {
            const task = await forms.first().getAttribute('data-asr-task');
            const sent = responseTo(console_, (r) => r.url().includes('/api/sandbox/asr/tasks/'));
            // Type and press 提交转写文本 in one step: the console re-renders its tabs while the
            // worker polls, so a box found a moment ago may already be a new element.
            await console_.locator(`form[data-asr-task="${task}"]`).evaluate((f, text) => {
              (f.querySelector('textarea') as HTMLTextAreaElement).value = text;
              (f as HTMLFormElement).requestSubmit(f.querySelector('button'));
            }, SAID);
            expect((await sent).ok()).toBe(true);
            // The console reloads itself after a submit; wait until this task's box is gone.
            await expect
              .poll(async () => console_.locator(`form[data-asr-task="${task}"]`).count(), {
                timeout: 30_000,
              })
              .toBe(0);
            typed++;
          } else {
            await console_.waitForTimeout(1000);
            await console_.reload();
          }
        }
        expect(typed).toBeGreaterThan(0);

        // 4. Release the feedback: in the console's 通讯录 list, 在钉钉中打开 next to 王晓燕 (HR), then
        // 查看待评估面试, open 张三's report and press 向候选人发布反馈. (HR's phone is another device: a
        // browser of its own, so 张三's session on the candidate's phone stays his.)
        const hrPhone = await launchBrowser();
        try {
          const hr = await hrPhone.context.newPage();
          await hr.goto(ctx.stack.sandboxUrl);
          await hr.getByTestId('open-as-hr01').click();
          // (A list entry, not a button: found by its text, as a reader would.)
          await hr.getByText('查看待评估面试', { exact: true }).first().click();
          await hr.getByTestId('report-item').filter({ hasText: '张三' }).first().click();
          await press(hr, '向候选人发布反馈');
          await expect
            .poll(() => hr.getByTestId('report-release').textContent(), { timeout: 30_000 })
            .toContain('已向候选人发布');
        } finally {
          await hrPhone.close();
        }
        // As 张三, the home now says 面试结果已出: 查看反馈 shows the feedback per competency.
        await page.goto(ctx.stack.appUrl);
        await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain('面试结果已出');
        await press(page, '查看反馈');
        await page.getByTestId('feedback').waitFor();
        expect(await page.getByTestId('feedback-competency').count()).toBeGreaterThan(0);
        await page.screenshot({ path: path.join(SHOTS, 'walkthrough-feedback.png') });

        const minutes = (Date.now() - started) / 60_000;
        console.log(`[walkthrough] finished in ${minutes.toFixed(1)} min (README promises under 15)`);
        expect(minutes).toBeLessThan(15);
      } finally {
        await phone.close();
      }
    },
    15 * 60_000,
  );
});
