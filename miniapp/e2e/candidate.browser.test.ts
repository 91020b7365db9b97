/**
 * The candidate's screens in Chromium against the real server and sandbox: the home's one next
 * step (start now, with the deadline in the candidate's zone and the progress timeline), "remind
 * me at…" (a reminder, no seat), the bookings list, cancelling (the reason is required: the
 * button stays disabled with a hint until it is valid), the interview's start page, messages and
 * feedback. Every screen is checked with axe-core (no serious or critical violation) and the home
 * at 200 % text (half the CSS viewport: no sideways scrolling, the primary action visible).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectAccessible, expectReflowsAt200 } from './a11y';
import { browserTestsRunnable } from './browser';
import { inviteDemoCandidate, responseTo, SHOTS, useStackAndBrowser } from './helpers';

describe.skipIf(!browserTestsRunnable())('the candidate journey screens', () => {
  const ctx = useStackAndBrowser();

  /** HR invites the named demo candidate to the backend job (taken any time); the invitation URL. */
  const invite = (name: string) => inviteDemoCandidate(ctx.stack, name);

  it('home: one next step, deadline in the zone, timeline; remind me at…; cancel needs a reason; all accessible', async ({
    task,
  }) => {
    const page = await ctx.browser.context.newPage();
    // A retry starts from another demo candidate: the first attempt may have left a pending
    // accommodation request or a booking on this one, and the walk starts from a clean home.
    await page.goto(await invite(task.result?.retryCount ? '孙八' : '钱七'));
    const next = page.getByTestId('home-next');
    await expect.poll(() => next.getAttribute('data-step'), { timeout: 30_000 }).toBe('start');
    // One primary action, the deadline with the candidate's zone, the timeline at "answer".
    expect(
      await next
        .locator('button.adm-button-primary:not(.adm-button-fill-none):not(.adm-button-fill-outline)')
        .count(),
    ).toBe(1);
    expect(await page.getByTestId('iv-open').textContent()).toContain('开始面试');
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(await page.getByTestId('home-deadline').textContent()).toContain(zone);
    // The server's timeline: invited is where they are (dated), the interview is next, by the deadline.
    await page.getByTestId('home-timeline').waitFor();
    expect(await page.getByTestId('home-step-invited').getAttribute('aria-current')).toBe('step');
    expect(await page.getByTestId('home-step-applied').textContent()).toMatch(/已完成 · \d{4}\/\d{2}\/\d{2}/);
    expect(await page.getByTestId('home-step-interviewed').textContent()).toContain('下一步');
    expect(await page.getByTestId('home-timeline-next').textContent()).toContain('完成 AI 视频面试');
    expect(await page.getByTestId('home-timeline-expected').textContent()).toContain(zone);
    // No second card naming the same thing.
    expect(await page.getByText('面试预约').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'candidate-home.png') });
    await expectAccessible(page, 'candidate home');
    await expectReflowsAt200(page, '[data-testid="iv-open"]');

    // The accommodation request: it must ask for something, so the button waits with a hint.
    const accCard = page.getByTestId('accommodation-card').first();
    await accCard.getByTestId('accommodation-open').click();
    const accSubmit = accCard.getByTestId('accommodation-submit');
    await accSubmit.waitFor();
    expect(await accSubmit.isDisabled()).toBe(true);
    expect(await accCard.getByTestId('accommodation-hint').textContent()).toContain('至少选择一项');
    await expectAccessible(page, 'accommodation request');
    await accCard.getByTestId('accommodation-time').selectOption('25');
    expect(await accSubmit.isDisabled()).toBe(false);
    const accSent = responseTo(
      page,
      (r) =>
        new URL(r.url()).pathname === '/api/my/accommodation-requests' && r.request().method() === 'POST',
    );
    await accSubmit.click();
    expect((await accSent).status()).toBe(201);
    await accCard.getByText('处理中').waitFor();
    // The candidate is told it went through (the toast comes after the refetch that shows 处理中).
    await page.getByText('已提交，HR 处理后会通知你').waitFor();
    await expectAccessible(page, 'accommodation requested');

    // "Remind me at…": the booking screen says it is a reminder; the list marks it.
    await page.getByTestId('home-remind').click();
    await page.getByTestId('bk-book').waitFor();
    expect(await page.getByTestId('bk-reminder-note').textContent()).toContain('不占名额');
    // The title bar says what the visit does: only a reminder, not a seat.
    expect(await page.getByTestId('navbar').textContent()).toContain('设定提醒时间');
    await expectAccessible(page, 'booking screen');
    // A reminder holds no seat: no seat counts on the times, and the confirmation says it sets a
    // reminder, without the cut-offs of a booked seat.
    expect(await page.locator('.bk-slot small').count()).toBe(0);
    await page.locator('.bk-slot:not([disabled])').first().click();
    await page.getByTestId('bk-confirm').waitFor();
    expect(await page.getByTestId('bk-confirm').locator('h3').textContent()).toBe('确认提醒时间');
    expect(await page.getByTestId('bk-confirm-rules').textContent()).not.toContain('不可改期');
    await expectAccessible(page, 'booking confirmation');
    await page.getByTestId('bk-confirm-ok').click();
    await page.getByTestId('bk-mine').waitFor();
    // The active one (a retried test also lists the first attempt's cancelled reminder).
    const card = page
      .getByTestId('bk-booking')
      .filter({ has: page.getByTestId('bk-cancel') })
      .first();
    await card.getByTestId('bk-reminder').waitFor();
    await expectAccessible(page, 'my bookings');

    // Cancel: required reason, confirm disabled with a hint until valid.
    await card.getByTestId('bk-cancel').click();
    const ok = page.locator('.adm-dialog-button').last();
    await ok.waitFor();
    expect(await ok.isDisabled()).toBe(true);
    expect(await page.getByTestId('bk-cancel-hint').textContent()).toContain('取消原因');
    expect(await page.locator('.adm-dialog').textContent()).toContain('必填');
    await expectAccessible(page, 'cancel dialog');
    const reason = page.locator('[data-testid="bk-cancel-reason"] textarea, textarea').first();
    await reason.fill('a');
    expect(await ok.isDisabled()).toBe(true);
    await reason.fill('时间冲突');
    expect(await ok.isDisabled()).toBe(false);
    await ok.click();
    await page.waitForFunction(() =>
      /已取消|Cancelled/.test(document.querySelector('[data-testid="bk-status"]')?.textContent ?? ''),
    );

    // Back home (our back button outside DingTalk), then the interview's start page.
    await page.getByTestId('tab-home').click();
    await page.getByTestId('iv-open').click();
    await page.getByTestId('iv-start').waitFor();
    expect(await page.getByTestId('navbar').textContent()).toContain('AI 视频面试');
    await expectAccessible(page, 'interview start');

    // Messages and feedback (empty states) are accessible too.
    await page.goto(`${ctx.stack.appUrl}/inbox`);
    await page.getByTestId('navbar').waitFor();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'inbox');
    await page.goto(`${ctx.stack.appUrl}/feedback`);
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'feedback');
  });
});
