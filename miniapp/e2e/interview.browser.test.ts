/**
 * The AI video interview end to end: Chromium with a fake camera and a microphone that plays
 * speech made by espeak-ng, the real server and the sandbox. A candidate opens the invitation,
 * consents, checks the device, does the practice question, records two answers (one retake),
 * reloads in the middle, resumes and submits; the stored recordings are then probed with
 * ffprobe. Runs with local storage and with the sandbox's OSS (there the recordings go up as
 * multipart uploads and the network drops once mid-upload). Also: microphone denied ->
 * recovery screen; the audio-only path.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubmittedAnswers } from '../../server/features/interview/submitted';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Department } from '../../server/kernel/db/entities/Department';
import { InterviewQuestion } from '../../server/kernel/db/entities/InterviewPlan';
import { InterviewAttempt, InterviewSession } from '../../server/kernel/db/entities/InterviewSession';
import { createObjectStore } from '../../server/kernel/integrations/storage';
import { checkMedia } from '../../server/kernel/media/checks';
import { makeJob } from '../../server/testing/factories';
import { startTestStack, type TestStack } from '../../server/testing/harness';
import { speechWav } from '../../server/testing/media';
import { expectAccessible } from './a11y';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from './browser';
import { ensureMiniappBuilt, waitReceived } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');

async function setupJob(stack: TestStack): Promise<number> {
  const em = stack.orm.em.fork();
  const department = await em.findOneOrFail(Department, { name: '研发中心' });
  // Think time long enough that a test's own "start recording" click never races the automatic
  // start on a loaded machine; the last question keeps a short one to exercise the auto-start.
  const base = { competencies: ['沟通协作'], thinkSeconds: 20, answerSeconds: 8 };
  // A fresh job per run (the factory's slug is unique): a retried test must not find the
  // previous attempt's session.
  const job = await makeJob(em, {
    title: '浏览器测试岗位',
    department,
    questions: [
      { ...base, text: '练习：请说一句话。', practice: true },
      { ...base, text: '第一题：介绍一个项目。', retakes: 1 },
      { ...base, text: '第二题：你为什么想加入？', thinkSeconds: 2 },
    ],
  });
  return job.id;
}

/** HR (signed in through the sandbox) invites the named candidate; returns the invitation URL. */
async function invite(stack: TestStack, name: string, jobId: number): Promise<string> {
  const hr = await stack.signInEmployee('hr01');
  const cand = await stack.orm.em.fork().findOneOrFail(Candidate, { name });
  const res = await stack.api('POST', '/api/invitations', {
    token: hr,
    body: { candidateId: cand.id, jobId },
  });
  if (res.status !== 201) throw new Error(`invitation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.invitation.url as string;
}

/**
 * Records for about `ms` and waits until the server has verified the answer. With `checkA11y`
 * (a screen name), axe checks the question during think time, the screen while the camera
 * records (the time axe takes counts towards `ms`), and the answer's review afterwards; the
 * recording state must also reach screen readers through the live region, not only be shown.
 */
async function recordAnswer(page: Page, ms: number, opts: { checkA11y?: string } = {}): Promise<number> {
  if (opts.checkA11y) await expectAccessible(page, `${opts.checkA11y}: question, think time`);
  await page.getByTestId('iv-start-recording').click();
  await page.getByTestId('iv-recording').waitFor();
  const started = Date.now();
  if (opts.checkA11y) {
    await expectAccessible(page, `${opts.checkA11y}: recording`);
    await expect.poll(() => page.getByTestId('iv-announce').textContent()).not.toBe('');
  }
  await page.waitForTimeout(Math.max(0, ms - (Date.now() - started)));
  await page.getByTestId('iv-stop').click();
  const elapsed = Date.now() - started;
  await waitReceived(page);
  if (opts.checkA11y) await expectAccessible(page, `${opts.checkA11y}: answer review`);
  return elapsed;
}

async function openInterview(page: Page, url: string) {
  await page.goto(url);
  await page.getByTestId('home-candidate').waitFor();
  await page.getByTestId('iv-open').click();
  await page.getByTestId('iv-start').waitFor();
}

for (const driver of (process.env.IV_DRIVER ? [process.env.IV_DRIVER] : ['local', 'oss']) as Array<
  'local' | 'oss'
>) {
  describe.skipIf(!browserTestsRunnable())(`AI video interview in Chromium (${driver} storage)`, () => {
    let stack: TestStack;
    let wav: string;
    const browsers: LaunchedBrowser[] = [];

    beforeAll(async () => {
      ensureMiniappBuilt();
      mkdirSync(SHOTS, { recursive: true });
      // Web and worker: the worker checks the recordings (ffmpeg, issue 18); no bot role.
      stack = await startTestStack({
        // OSS: 100 KB parts, so the recordings go up as resumable multipart uploads.
        env: {
          ROLES: 'web,worker',
          ...(driver === 'oss' ? { STORAGE_DRIVER: 'oss', UPLOAD_PART_KB: '100' } : {}),
        },
      });
      wav = await speechWav(
        path.join(stack.dataDir, 'answer.wav'),
        '我叫陈静，我负责过一个订单系统，把延迟降低了一半。',
      );
    });
    afterAll(async () => {
      await Promise.all(browsers.splice(0).map((b) => b.close()));
      await stack?.close();
    });

    it('consent -> device check -> practice -> two answers with a retake -> reload -> resume -> submit', async () => {
      const jobId = await setupJob(stack);
      const url = await invite(stack, '陈静', jobId);
      const browser = await launchBrowser({ fakeAudioFile: wav });
      browsers.push(browser);
      const page = await browser.context.newPage();
      await openInterview(page, url);
      expect(await page.getByTestId('iv-count').textContent()).toBe('2');
      await page.getByTestId('iv-go').click();
      // Both consents start unticked; continuing needs the video consent.
      await page.getByTestId('iv-notice-never').waitFor();
      expect(await page.getByTestId('iv-consent-submit').isDisabled()).toBe(true);
      if (driver === 'local') await expectAccessible(page, 'consent');
      // Real checkboxes, named by their text: reachable with the keyboard and read as such.
      expect(await page.getByRole('checkbox', { name: /视频和音频/ }).isChecked()).toBe(false);
      await page.getByTestId('iv-consent-video').click();
      await page.getByTestId('iv-consent-ai').click();
      await page.getByTestId('iv-consent-submit').click();
      // Device check: format, test recording played back.
      await page.getByTestId('iv-device').waitFor();
      await page.waitForFunction(
        () => !document.querySelector('[data-testid="iv-device-ok"]')?.hasAttribute('disabled'),
      );
      expect(await page.getByTestId('iv-format').textContent()).toContain('video/webm');
      await page.getByTestId('iv-test-record').click();
      await page.getByTestId('iv-test-playback').waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, `interview-device-${driver}.png`) });
      await page.getByTestId('iv-device-ok').click();
      // Practice.
      await page.getByTestId('iv-question').waitFor();
      expect(await page.getByTestId('iv-progress').textContent()).toContain('练习');
      await recordAnswer(page, 1500, { checkA11y: `interview (${driver})` });
      await page.getByTestId('iv-next').click();
      // Question 1, recorded twice (one retake).
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="iv-progress"]')?.textContent?.includes('第 1 题'),
      );
      await recordAnswer(page, 2000);
      await page.getByTestId('iv-retake').click();
      // OSS: the network drops once while part 2 of the retake is on its way to OSS; the page
      // asks the server which parts OSS has (ListParts) and continues with the missing ones.
      let dropped = 0;
      if (driver === 'oss')
        await page.route(/partNumber=2/, (route) => {
          if (route.request().method() === 'PUT' && dropped++ === 0)
            return route.abort('internetdisconnected');
          return route.continue();
        });
      const q1 = await recordAnswer(page, 3000);
      if (driver === 'oss') {
        await page.unroute(/partNumber=2/);
        expect(dropped).toBeGreaterThanOrEqual(2); // the dropped PUT and its resend
        const ops = await stack.sandbox.ossOps();
        expect(ops).toContain('ListParts');
        expect(ops).toContain('CompleteMultipartUpload');
      }
      await page.screenshot({ path: path.join(SHOTS, `interview-review-${driver}.png`) });
      // Reload in the middle: the same link resumes at question 1, already received.
      await page.reload();
      await page.getByTestId('iv-go').click();
      await page.getByTestId('iv-device').waitFor();
      await page.waitForFunction(
        () => !document.querySelector('[data-testid="iv-device-ok"]')?.hasAttribute('disabled'),
      );
      await page.getByTestId('iv-device-ok').click();
      await page.getByTestId('iv-received').waitFor();
      expect(await page.getByTestId('iv-progress').textContent()).toContain('第 1 题');
      // The only retake is used. A retake button may remain only when a recording of this
      // answer was flagged for quality (too short or silent under a loaded machine's fake
      // capture): a retake of a flagged recording is free, so the allowance is still there.
      if ((await page.getByTestId('iv-retake').count()) > 0) {
        const em = stack.orm.em.fork();
        const [kept] = await em.find(
          InterviewAttempt,
          { status: 'verified' },
          { orderBy: { id: 'desc' }, limit: 1 },
        );
        const ofAnswer = await em.find(InterviewAttempt, { answer: kept.answer.id });
        expect(ofAnswer.some((a) => (a.flags?.length ?? 0) > 0)).toBe(true);
      }
      await page.getByTestId('iv-next').click();
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="iv-progress"]')?.textContent?.includes('第 2 题'),
      );
      // Question 2: let the think time run out; recording starts by itself.
      await page.getByTestId('iv-recording').waitFor({ timeout: 10_000 });
      await page.waitForTimeout(2500);
      await page.getByTestId('iv-stop').click();
      await waitReceived(page);
      await page.getByTestId('iv-next').click();
      await page.getByTestId('iv-submit').click();
      await page.getByTestId('iv-done').waitFor();
      await page.screenshot({ path: path.join(SHOTS, `interview-done-${driver}.png`) });

      // What the server stored: two verified recordings with speech, durations as recorded.
      const em = stack.orm.em.fork();
      const session = await em.findOneOrFail(InterviewSession, { job: jobId });
      const handed = await loadSubmittedAnswers(em, session.id);
      expect(handed.answers).toHaveLength(2);
      const store = createObjectStore(stack.config);
      for (const a of handed.answers) {
        expect(a.kind).toBe('video');
        expect(a.flags).toEqual([]);
        const probe = await checkMedia(await store.signedGetUrl(a.objectKey as string, 60));
        expect(probe).toMatchObject({ videoCodec: 'vp8', audioCodec: 'opus', flags: [] });
        expect(probe.durationMs).toBe(a.durationMs);
        expect(probe.meanVolumeDb).toBeGreaterThan(-40);
      }
      // The kept answer of question 1 is the retake, about as long as it was recorded.
      expect(Math.abs((handed.answers[0].durationMs ?? 0) - q1)).toBeLessThan(1500);
    });

    if (driver === 'local') {
      it('HR edits a question in the plan editor', async () => {
        const jobId = await setupJob(stack);
        const browser = await launchBrowser();
        browsers.push(browser);
        const page = await browser.context.newPage();
        await page.goto(stack.sandboxUrl);
        await page.getByTestId('open-as-hr01').click();
        await page.getByTestId('home-hr').waitFor();
        await page.getByTestId('iv-plans-open').click();
        await page.getByTestId(`iv-plan-${jobId}`).click();
        await page.getByTestId('iv-plan-q-1').waitFor();
        const text = page.getByTestId('iv-plan-q-1').locator('textarea').first();
        await text.fill('第一题（已修改）：介绍一个你负责的项目。');
        await page.getByTestId('iv-plan-save').click();
        // The save went through the API: the row changes (poll briefly; the toast is transient).
        let saved = '';
        for (let i = 0; i < 50 && !saved.includes('已修改'); i++) {
          await page.waitForTimeout(200);
          saved = (
            await stack.orm.em.fork().findOneOrFail(InterviewQuestion, { plan: { job: jobId }, position: 2 })
          ).text;
        }
        await page.screenshot({ path: path.join(SHOTS, 'interview-plan-editor.png') });
        const em = stack.orm.em.fork();
        const q = await em.findOneOrFail(InterviewQuestion, { plan: { job: jobId }, position: 2 });
        expect(q.text).toBe('第一题（已修改）：介绍一个你负责的项目。');
        await page.screenshot({ path: path.join(SHOTS, 'interview-plan-editor.png') });
      });

      it('microphone denied -> recovery screen; audio-only path records audio', async () => {
        const jobId = await setupJob(stack);
        const url = await invite(stack, '王五', jobId);
        const denied = await launchBrowser({
          args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'],
        });
        browsers.push(denied);
        const page = await denied.context.newPage();
        await openInterview(page, url);
        await page.getByTestId('iv-go').click();
        await page.getByTestId('iv-consent-video').click();
        await page.getByTestId('iv-consent-submit').click();
        await page.getByTestId('iv-device-denied').waitFor();
        expect(await page.getByTestId('iv-device-denied').textContent()).toContain('设置');
        await page.screenshot({ path: path.join(SHOTS, 'interview-denied.png') });

        // Same link on a device where only audio works: audio-only answers.
        const audio = await launchBrowser({ fakeAudioFile: wav });
        browsers.push(audio);
        const p2 = await audio.context.newPage();
        await openInterview(p2, url);
        await p2.getByTestId('iv-go').click();
        await p2.getByTestId('iv-device').waitFor();
        await p2.getByTestId('iv-device-audio-only').click();
        await p2.waitForFunction(() =>
          document.querySelector('[data-testid="iv-format"]')?.textContent?.startsWith('audio/'),
        );
        await p2.waitForFunction(
          () => !document.querySelector('[data-testid="iv-device-ok"]')?.hasAttribute('disabled'),
        );
        await p2.getByTestId('iv-device-ok').click();
        await p2.getByTestId('iv-question').waitFor();
        await recordAnswer(p2, 2000);
        const em = stack.orm.em.fork();
        const session = await em.findOneOrFail(InterviewSession, { job: jobId });
        expect(session.audioOnly).toBe(true);
        const { InterviewAttempt } = await import('../../server/kernel/db/entities/InterviewSession');
        const attempt = await em.findOneOrFail(InterviewAttempt, { answer: { session }, status: 'verified' });
        expect(attempt).toMatchObject({ kind: 'audio', contentType: 'audio/webm' });
      });
    }
  });
}
