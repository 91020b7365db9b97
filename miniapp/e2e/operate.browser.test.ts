/**
 * Operating the product from an empty start (issue 14), one walk in Chromium against the real
 * server (all roles: its worker transcribes and scores) and the DingTalk sandbox, with
 * `DEMO_SEED=empty`: no jobs, candidates or roles, only the sandbox's organisation and the
 * starter question bank.
 *
 * The admin (DingTalk's main admin) syncs the organisation and grants HR to a colleague; that HR
 * creates a job, builds its plan from the bank, makes its AI interview a booked window (hours
 * set in the plan editor), imports 50 candidates from an .xlsx with 3 bad rows (reported, not
 * imported) and invites the 47; a candidate opens the invitation link, books a slot, starts
 * early (the seat is free), consents and answers on video (Chromium's fake camera, a microphone
 * playing espeak-ng speech); the sandbox's ASR returns the text the test registered for that
 * interview's recordings and the worker scores it; HR assigns an interviewer (granted by the
 * admin too), who opens the candidate's profile from the report and rates; HR releases the
 * report; the candidate asks for an explanation; HR answers it from the queue (待办); the
 * candidate reads the answer on the feedback screen and in the inbox. The test reads the database only to check results and to
 * learn ids a person would see on screen.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Booking } from '../../server/kernel/db/entities/Booking';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { InterviewAccommodation } from '../../server/kernel/db/entities/InterviewAccommodation';
import { InterviewSession } from '../../server/kernel/db/entities/InterviewSession';
import { Job } from '../../server/kernel/db/entities/Job';
import { PlanSchedule } from '../../server/kernel/db/entities/PlanSchedule';
import { BankQuestion } from '../../server/kernel/db/entities/QuestionBank';
import { InterviewReport, ReportRating, ReviewTask } from '../../server/kernel/db/entities/Scoring';
import { User } from '../../server/kernel/db/entities/User';
import { speechWav } from '../../server/testing/media';
import type { BulkInviteResponse, InvitationView } from '../../shared/api/candidates';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from './browser';
import { responseTo, SHOTS, useStackAndBrowser, waitReceived, writeCandidateSheet } from './helpers';

/** What the candidate says, and what the sandbox's ASR returns for their recordings. */
const SAID =
  '上次线上服务大量超时，我先看监控和日志，定位到数据库慢查询，加了索引和缓存，再和团队复盘，最后延迟降低了一半。';
const POLL = { timeout: 30_000, interval: 300 };

describe.skipIf(!browserTestsRunnable())('operating the product from an empty start', () => {
  const ctx = useStackAndBrowser(undefined, { env: { DEMO_SEED: 'empty', ASR_POLL_MS: '200' } });
  const em = () => ctx.stack.orm.em.fork();
  const browsers: LaunchedBrowser[] = [];
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
  });
  /** A separate phone (its own cookies and storage), optionally with a microphone playing `wav`. */
  async function phone(fakeAudioFile?: string): Promise<Page> {
    const b = await launchBrowser(fakeAudioFile ? { fakeAudioFile } : {});
    browsers.push(b);
    return b.context.newPage();
  }
  const openAs = async (userid: string) =>
    `${ctx.stack.appUrl}/?corpid=${ctx.stack.config.dingtalk.corpId}&sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode(userid)}`;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SHOTS, `operate-${name}.png`), fullPage: true });

  it(
    'admin -> HR -> job from the bank -> candidate answers -> explanation answered from the queue',
    async () => {
      const started = Date.now();
      expect(await em().count(Job, {})).toBe(0);
      expect(await em().count(User, {})).toBe(0);

      // 1. The admin syncs the organisation and makes 陈思雨 (hr02) HR.
      const admin = await phone();
      await admin.goto(await openAs('hr01'));
      await admin.getByTestId('home-hr').waitFor();
      await admin.getByTestId('org-open').click();
      await admin.getByTestId('org-sync').click();
      await expect.poll(() => admin.getByTestId('org-counts').textContent(), POLL).toContain('8 位成员');
      await admin.getByTestId('grant-hr02').click();
      await admin.getByTestId('grant-role').getByText('HR', { exact: true }).click();
      await admin.getByTestId('grant-confirm').click();
      await admin.getByTestId('member-hr02').getByTestId('role-tag-hr').waitFor();
      expect((await em().findOneOrFail(User, { dingtalkUserId: 'hr02' })).roles).toEqual(['hr']);
      // And 张伟 (int01) interviewer, to review the candidate later.
      await admin.getByTestId('grant-int01').click();
      await admin.getByTestId('grant-role').getByText('面试官').click();
      await admin.getByTestId('grant-confirm').click();
      await admin.getByTestId('member-int01').getByTestId('role-tag-interviewer').waitFor();

      // 2. HR creates a job and takes its plan from the bank.
      const hr = await phone();
      await hr.goto(await openAs('hr02'));
      await hr.getByTestId('home-hr').waitFor();
      await hr.getByTestId('jobs-open').click();
      await hr.getByTestId('jobs-new').click();
      await hr.getByTestId('job-form').waitFor();
      const title = '后端工程师（空白起步）';
      await hr.getByTestId('job-title').locator('input').fill(title);
      await hr.getByTestId('job-department').getByText('研发中心').click();
      await hr.getByTestId('job-location').locator('input').fill('杭州');
      await hr
        .getByTestId('job-description')
        .locator('textarea:not([aria-hidden])')
        .fill('负责面试平台的服务端开发，保障线上服务稳定。');
      await hr.getByTestId('job-save').click();
      await hr.getByTestId('plan-builder').waitFor();
      const bankQ = await em().findOneOrFail(BankQuestion, {
        text: { $like: '线上服务突然出现大量超时%' },
        latest: true,
      });
      await hr.getByTestId(`plan-add-${bankQ.id}`).click();
      await hr.getByTestId('plan-pick-0').waitFor();
      const planSaved = responseTo(hr, (r) => /\/from-bank$/.test(new URL(r.url()).pathname));
      await hr.getByTestId('plan-save').click();
      expect((await planSaved).status()).toBe(200);
      const job = await em().findOneOrFail(Job, { title });
      await shot(hr, 'plan');

      // HR makes the AI interview a booked window (capacity control) through the plan editor: an
      // empty product has no scheduling rules yet, so the stage is added, switched to 预约时段
      // and given weekday hours.
      await hr.goto(`${ctx.stack.appUrl}/`);
      await hr.getByTestId('bk-open-plans').click();
      await hr.getByTestId('bk-plans').getByRole('button', { name: title }).click();
      await hr.getByTestId('bk-plan-add-ai_interview').click();
      const stage = hr.getByTestId('bk-plan-ai_interview');
      await stage.getByTestId('bk-plan-ai_interview-mode').getByText('在预约时段内作答').click();
      for (const d of ['1', '2', '3', '4', '5', '6', '0'])
        await stage.getByTestId(`bk-plan-ai_interview-weekly-${d}`).locator('input').fill('09:00-18:00');
      const stageSaved = responseTo(
        hr,
        (r) =>
          new URL(r.url()).pathname === `/api/schedules/${job.id}/ai_interview` &&
          r.request().method() === 'PUT',
      );
      await stage.getByTestId('bk-plan-ai_interview-save').click();
      expect((await stageSaved).status()).toBe(200);
      const aiStage = await em().findOneOrFail(PlanSchedule, { plan: { job: job.id }, kind: 'ai_interview' });
      expect(aiStage.takeMode).toBe('booked');
      expect(aiStage.weeklyHours['3']).toEqual([{ start: '09:00', end: '18:00' }]);
      await shot(hr, 'booked-window');

      // 3. HR imports 50 candidates from a spreadsheet with 3 bad rows (reported, not imported)
      // and invites the 47 with links (sent by SMS or e-mail in real life).
      const rows: string[][] = [['赵空白', '13912345678', '', '招聘网站', '']];
      for (let i = 1; i < 47; i++) {
        const n = String(i).padStart(2, '0');
        rows.push([
          `空白${n}`,
          `139100000${n}`,
          i % 2 ? `blank${n}@example.com` : '',
          i % 3 ? '招聘网站' : '内推',
          '',
        ]);
        // Sheet rows 13, 34 and 51 are bad: no name, a short mobile, a broken e-mail.
        if (i === 10) rows.push(['', '13912345602', '', '', '']);
        if (i === 30) rows.push(['孙二', '139123', '', '', '']);
      }
      rows.push(['李三', '', 'not-an-email', '', '']);
      expect(rows).toHaveLength(50);
      const sheet = await writeCandidateSheet(rows);
      await hr.goto(`${ctx.stack.appUrl}/`);
      await hr.getByTestId('candidates-import-open').click();
      await hr.getByTestId('import-file').setInputFiles(sheet);
      await hr.getByTestId('import-preview').waitFor();
      expect(await hr.getByTestId('import-valid').textContent()).toContain('47 行可导入');
      expect(await hr.getByTestId('import-error-count').textContent()).toContain('3 个问题');
      const errors = await hr.getByTestId('import-error').allTextContents();
      expect(errors.map((e) => e.match(/第 (\d+) 行/)?.[1])).toEqual(['13', '34', '51']);
      expect(await em().count(Candidate, {})).toBe(0);
      await hr.getByTestId('import-confirm').click();
      await hr.getByTestId('import-done').waitFor();
      expect(await em().count(Candidate, {})).toBe(47);
      expect(await em().count(Candidate, { name: { $in: ['孙二', '李三'] } })).toBe(0);
      await hr.getByTestId('invite-panel').waitFor();
      await hr.getByTestId('invite-job').getByText(title).click();
      const invited = responseTo(hr, (r) => new URL(r.url()).pathname === '/api/invitations/bulk');
      await hr.getByTestId('invite-send').click();
      const invitations = ((await (await invited).json()) as BulkInviteResponse).invitations;
      expect(invitations).toHaveLength(47);
      const invitation = invitations.find((i) => i.candidateName === '赵空白') as InvitationView;
      expect(invitation.messageText).toContain(invitation.url);
      await hr.getByTestId('invite-result').waitFor();
      // HR's home counts today's new candidates and opens the job's pipeline from the number.
      await hr.goto(`${ctx.stack.appUrl}/`);
      const fresh = hr.getByTestId('hr-newCandidates');
      await expect.poll(() => fresh.textContent(), POLL).toContain('47');
      await fresh.click();
      await hr.waitForURL(`**/pipeline/jobs/${job.id}`);

      // 4. The candidate opens the link, consents and answers on video.
      const wav = await speechWav(path.join(ctx.stack.dataDir, 'operate.wav'), SAID);
      const cand = await phone(wav);
      await cand.goto(String(invitation.url).replace(/^https?:\/\/[^/]+/, ctx.stack.appUrl));
      // The window is booked: the one next step is to book a time. The candidate takes the first
      // free slot of the second day of the strip (beyond the notice period).
      const next = cand.getByTestId('home-next');
      await expect.poll(() => next.getAttribute('data-step'), POLL).toBe('book');
      await cand.getByTestId('home-book').click();
      await cand.getByTestId('bk-book').waitFor();
      await cand.locator('.bk-day').nth(1).click();
      await cand.locator('.bk-slot:not([disabled])').first().click();
      await cand.getByTestId('bk-confirm').waitFor();
      await cand.getByTestId('bk-confirm-ok').click();
      await cand.getByTestId('bk-mine').waitFor();
      const booking = await em().findOneOrFail(Booking, {
        application: { job: job.id },
        kind: 'ai_interview',
      });
      expect(booking.status).toBe('booked');
      expect(booking.reminderOnly).toBe(false);
      expect(booking.startAt.getTime()).toBeGreaterThan(Date.now());
      // The candidate asks for extra time in the app; HR grants it from the 待办 (its number on
      // the home opens it). It applies to this candidate's application only.
      await cand.goto(`${ctx.stack.appUrl}/`);
      await cand.getByTestId('accommodation-open').click();
      await cand.getByTestId('accommodation-time').selectOption('50');
      await cand
        .getByTestId('accommodation-card')
        .locator('.adm-form-item')
        .filter({ hasText: '说明' })
        .locator('input')
        .fill('手部受伤，打字和操作较慢');
      const askedAcc = responseTo(
        cand,
        (r) => new URL(r.url()).pathname === '/api/my/accommodation-requests',
      );
      await cand.getByTestId('accommodation-submit').click();
      expect((await askedAcc).status()).toBe(201);
      await hr.goto(`${ctx.stack.appUrl}/`);
      await hr.getByTestId('hr-queueDue').click();
      const accItem = hr.getByTestId('queue-item').filter({ hasText: '赵空白' });
      await accItem.waitFor();
      expect(await accItem.textContent()).toContain('手部受伤');
      await accItem.getByTestId('queue-grant').click();
      await hr.getByTestId('queue-note').locator('textarea').fill('已为你延长 50% 作答时间');
      const granted = responseTo(hr, (r) =>
        /\/api\/accommodation-requests\/\d+\/decision$/.test(new URL(r.url()).pathname),
      );
      await hr.locator('.adm-dialog-footer').getByText('提交').click();
      expect((await granted).status()).toBe(200);
      await accItem.waitFor({ state: 'detached' });
      const granted50 = await em().find(InterviewAccommodation, {});
      expect(granted50.map((a) => [a.application.id, a.extraTimePercent])).toEqual([
        [booking.application.id, 50],
      ]);

      // The slot's seats are free now, so the candidate may start early (issue 19).
      await cand.goto(`${ctx.stack.appUrl}/`);
      await expect.poll(() => next.getAttribute('data-step'), POLL).toBe('start');
      await expect.poll(() => cand.getByTestId('accommodation-card').textContent(), POLL).toContain('已批准');
      await cand.getByRole('button', { name: '开始面试' }).first().click();
      await cand.getByTestId('iv-start').waitFor();
      await cand.getByRole('button', { name: '开始', exact: true }).click();
      await cand.getByTestId('iv-consent-video').click();
      await cand.getByTestId('iv-consent-ai').click();
      await cand.getByRole('button', { name: '同意并继续' }).click();
      await cand.getByTestId('iv-device').waitFor();
      await cand.waitForFunction(
        () => !document.querySelector('[data-testid="iv-device-ok"]')?.hasAttribute('disabled'),
      );
      await cand.getByRole('button', { name: '一切正常，继续' }).click();
      await cand.getByTestId('iv-question').waitFor();
      // The sandbox's ASR returns this text for every recording of this interview.
      const session = await em().findOneOrFail(InterviewSession, { application: { job: job.id } });
      await ctx.stack.sandbox.registerTranscript({
        match: `interviews/${session.id}/`,
        text: SAID,
        durationMs: 30_000,
      });
      await cand.getByRole('button', { name: '开始录制' }).click();
      await cand.getByTestId('iv-recording').waitFor();
      await cand.waitForTimeout(4000);
      await cand.getByRole('button', { name: '结束录制' }).click();
      await waitReceived(cand);
      await cand.getByRole('button', { name: '确认，下一题' }).click();
      await cand.getByTestId('iv-submit').waitFor();
      await cand.getByRole('button', { name: '提交面试' }).click();
      await cand.getByTestId('iv-done').waitFor();

      // 5. The worker transcribes (sandbox ASR) and scores; HR releases the report.
      await expect
        .poll(async () => (await em().findOne(InterviewReport, { sessionId: session.id }))?.status ?? null, {
          timeout: 120_000,
          interval: 500,
        })
        .not.toMatch(/^(pending)?$/);
      const report = await em().findOneOrFail(InterviewReport, { sessionId: session.id });
      expect(report.competencies.length).toBeGreaterThan(0);

      // HR assigns 张伟 to review the application (its pipeline card); he opens the candidate's
      // profile from the report, sees the candidate's words, and rates.
      await hr.goto(`${ctx.stack.appUrl}/pipeline/applications/${report.application.id}`);
      await hr.getByTestId('assign-reviewers').getByText('张伟').click();
      await hr.getByTestId('assign-reviewers').getByRole('button', { name: '指定面试官' }).click();
      await expect.poll(() => hr.getByTestId('assigned-reviewers').textContent(), POLL).toBe('张伟');
      const reviewer = await phone();
      await reviewer.goto(await openAs('int01'));
      // His home lists the report waiting for his rating.
      await reviewer.getByTestId('int-to-rate').getByText('赵空白').click();
      await reviewer.getByTestId('report-candidate').click();
      const card = reviewer.getByTestId(`profile-app-${report.application.id}`);
      await card.waitFor();
      expect(await card.textContent()).toContain('指定面试官');
      expect(await card.getByTestId('profile-answer').first().textContent()).toContain('定位到数据库慢查询');
      await shot(reviewer, 'profile');
      await card.getByTestId('profile-review').click();
      const stars = reviewer.locator('[data-testid="rating-form"] .adm-rate');
      await stars.first().waitFor();
      for (let i = 0; i < (await stars.count()); i++)
        await stars.nth(i).locator('.adm-rate-star').nth(3).tap();
      const rated = responseTo(
        reviewer,
        (r) => new URL(r.url()).pathname === `/api/reports/${report.id}/ratings`,
      );
      await reviewer.getByTestId('rating-submit').click();
      expect((await rated).status()).toBe(200);
      const int01 = await em().findOneOrFail(User, { dingtalkUserId: 'int01' });
      expect(await em().count(ReportRating, { report: report.id, reviewer: int01.id })).toBe(
        await stars.count(),
      );
      await hr.goto(`${ctx.stack.appUrl}/`);
      await hr.getByTestId('reports-open').click();
      await hr.getByTestId('report-item').filter({ hasText: title }).click();
      await hr.getByTestId('report').waitFor();
      expect(await hr.locator('.rp-transcript').first().textContent()).toContain('定位到数据库慢查询');
      await hr.getByTestId('report-release').click();
      await expect
        .poll(async () => (await em().findOneOrFail(InterviewReport, { id: report.id })).releasedAt, POLL)
        .not.toBeNull();

      // 6. The candidate reads the feedback and asks for an explanation.
      await cand.goto(`${ctx.stack.appUrl}/`);
      await cand.getByTestId('feedback-open').click();
      await cand.getByTestId('feedback-card').first().waitFor();
      await cand.getByTestId('ask-explanation').first().click();
      const question = '想了解问题解决能力是根据回答里的哪些内容评价的';
      await cand.locator('textarea').fill(question);
      const asked = responseTo(cand, (r) => new URL(r.url()).pathname.endsWith('/requests'));
      await cand.getByTestId('feedback-send').click();
      expect((await asked).status()).toBe(201);
      const task = await em().findOneOrFail(ReviewTask, { report: report.id, kind: 'explanation' });

      // 7. HR answers it from the queue.
      await hr.goto(`${ctx.stack.appUrl}/`);
      await hr.getByTestId('queue-open').click();
      const item = hr.getByTestId('queue-item').filter({ hasText: '赵空白' });
      await item.waitFor();
      expect(await item.textContent()).toContain(question);
      await item.getByTestId('queue-reply').click();
      const answer = '评分依据：你讲清了定位步骤（监控、日志、慢查询）和结果（延迟降低一半）。';
      await hr.getByTestId('queue-note').locator('textarea').fill(answer);
      const closed = responseTo(hr, (r) => new URL(r.url()).pathname === '/api/queue/close');
      await hr.locator('.adm-dialog-footer').getByText('提交').click();
      expect((await closed).status()).toBe(200);
      await item.waitFor({ state: 'detached' });
      expect((await em().findOneOrFail(ReviewTask, { id: task.id })).status).toBe('done');
      await shot(hr, 'queue-answered');

      // 8. The candidate sees the answer: on the feedback screen, and in the inbox.
      await cand.goto(`${ctx.stack.appUrl}/`);
      await cand.getByTestId('feedback-open').click();
      await expect
        .poll(() => cand.getByTestId('feedback-answer').first().textContent(), POLL)
        .toContain(answer);
      await shot(cand, 'feedback-answer');
      await cand.goto(`${ctx.stack.appUrl}/`);
      await cand.getByTestId('inbox-open').click();
      await expect
        .poll(() => cand.getByTestId('inbox').textContent(), { timeout: 60_000, interval: 1000 })
        .toContain(answer);

      console.log(
        `[operate] empty start to answered explanation in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    },
    10 * 60_000,
  );
});
