/**
 * Sharing a job, on a phone against the real server: a candidate's home offers "recommend this
 * job" and copies the public link (outside DingTalk), which carries a referrer token and no
 * invitation; a stranger opens it without signing in, reads the job, how the AI interview works
 * and the privacy notice, cannot send the form until it is valid, applies, and HR finds the
 * applicant (内推, the referrer named) in the candidate list. The page is checked with axe and its
 * code is not part of the sign-in page's first load.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Application } from '../../server/kernel/db/entities/Application';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Job } from '../../server/kernel/db/entities/Job';
import { expectAccessible, expectReflowsAt200 } from './a11y';
import { browserTestsRunnable, launchBrowser } from './browser';
import { inviteDemoCandidate, responseTo, SHOTS, useStackAndBrowser } from './helpers';

describe.skipIf(!browserTestsRunnable())('the public job page', () => {
  const ctx = useStackAndBrowser();

  it('a candidate shares the job; a stranger applies on a phone; HR sees the applicant', async () => {
    const em = () => ctx.stack.orm.em.fork();
    const job = await em().findOneOrFail(Job, { slug: 'backend' });

    // 1. 钱七, invited, shares the job from their home: the copied link is the public page.
    const cand = await ctx.browser.context.newPage();
    await ctx.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: ctx.stack.appUrl,
    });
    await cand.goto(await inviteDemoCandidate(ctx.stack, '钱七'));
    await cand.getByTestId('home-share-job').waitFor({ timeout: 30_000 });
    await cand.getByTestId('job-share').click();
    await expect.poll(() => cand.getByTestId('job-share-status').getAttribute('data-outcome')).toBe('copied');
    const clip = await cand.evaluate(() => navigator.clipboard.readText());
    const link = clip.split('\n').find((l) => l.startsWith('http')) as string;
    expect(link).toMatch(new RegExp(`^${ctx.stack.appUrl}/j/backend\\?r=c\\d+\\.`));
    expect(clip).not.toContain('/invite');
    await cand.close();

    // 2. A stranger (a fresh browser: no session, no storage) opens it on a phone.
    const stranger = await launchBrowser();
    try {
      const page = await stranger.context.newPage();
      const assets: string[] = [];
      page.on('response', (r) => {
        if (/\/assets\/.*\.js$/.test(new URL(r.url()).pathname)) assets.push(new URL(r.url()).pathname);
      });
      await page.goto(link);
      await page.getByTestId('public-job').waitFor({ timeout: 30_000 });
      // Never a sign-in screen, and no session was created.
      expect(await page.getByTestId('signin-page').count()).toBe(0);
      expect(await page.getByTestId('pj-title').textContent()).toBe(job.title);
      expect(await page.getByTestId('pj-referrer').textContent()).toContain('钱七');
      const how = (await page.getByTestId('pj-how').textContent()) ?? '';
      expect(how).toMatch(/共 \d+ 道题，约 \d+ 分钟/);
      expect(how).toContain('天内随时作答');
      expect(await page.getByTestId('pj-privacy').textContent()).toContain('绝不评估');
      // The page has its own chunk (loaded on this path only).
      expect(assets.some((a) => /PublicJobPage/.test(a))).toBe(true);

      // The form cannot be sent wrong: disabled with a hint saying what is missing.
      const submit = page.getByTestId('pj-submit');
      expect(await submit.isDisabled()).toBe(true);
      expect(await page.getByTestId('pj-hint').textContent()).toBe('请填写姓名');
      await expectAccessible(page, 'public job page');
      await expectReflowsAt200(page, '[data-testid="pj-submit"]');
      await page.getByTestId('pj-name').fill('路过的');
      expect(await page.getByTestId('pj-hint').textContent()).toBe('请填写手机号或邮箱');
      await page.getByTestId('pj-mobile').fill('1391234');
      expect(await page.getByTestId('pj-hint').textContent()).toBe('手机号格式不正确');
      await page.getByTestId('pj-mobile').fill('13912348888');
      expect(await page.getByTestId('pj-hint').textContent()).toBe('请阅读并勾选隐私说明');
      expect(await submit.isDisabled()).toBe(true);
      await page.getByTestId('pj-consent').click();
      expect(await submit.isDisabled()).toBe(false);
      await expectAccessible(page, 'public job form, filled');
      const sent = responseTo(
        page,
        (r) => new URL(r.url()).pathname === '/api/public/jobs/backend/applications',
      );
      await submit.click();
      const res = await sent;
      expect(res.status()).toBe(201);
      // No session, no credential in the request; the referrer token rides in the body.
      expect(res.request().headers().authorization).toBeUndefined();
      expect(res.request().postDataJSON()).toMatchObject({ name: '路过的', consent: true });
      await page.getByTestId('pj-done').waitFor();
      expect(await page.getByTestId('pj-done').textContent()).toContain('天内完成面试');
      await expectAccessible(page, 'application received');
      await page.screenshot({ path: path.join(SHOTS, 'public-job-applied.png'), fullPage: true });

      // In English too (the notice and the texts follow the language switch).
      await page.getByTestId('pj-lang').click();
      await expect
        .poll(() => page.getByTestId('pj-how').textContent())
        .toContain('How the AI interview works');
    } finally {
      await stranger.close();
    }

    // 3. The rows: a referral candidate with an application for the job.
    const applicant = await em().findOneOrFail(Candidate, { mobileKey: '+8613912348888' });
    expect(applicant).toMatchObject({ name: '路过的', source: 'referral', referrer: '钱七' });
    expect(await em().count(Application, { candidate: applicant.id, job: job.id })).toBe(1);

    // 4. HR opens the candidate list on a phone: the newest row is the applicant, marked 内推.
    const hr = await ctx.browser.context.newPage();
    await hr.goto(
      `${ctx.stack.appUrl}/candidates?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    const row = hr.getByTestId('candidate-row').filter({ hasText: '路过的' });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('内推');
    await hr.screenshot({ path: path.join(SHOTS, 'public-job-hr-list.png'), fullPage: true });
  });
});
