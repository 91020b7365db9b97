/**
 * Booking on a phone against the real server and the DingTalk sandbox: a candidate signs in
 * with DingTalk OAuth2, books an AI interview window from the date strip, reschedules it and
 * cancels it with a reason. Needs the booking tables: until their migration is generated, run
 * with TEST_SCHEMA_SYNC=1 (scripts/stack.ts then syncs them from the entities).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsRunnable, launchBrowser } from './browser';
import { useStackAndBrowser } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');

describe.skipIf(!browserTestsRunnable())('booking through the UI', () => {
  const ctx = useStackAndBrowser();

  /** Candidate cand01 signs in with DingTalk OAuth2 and opens the AI interview booking screen. */
  async function openBooking(page: Page): Promise<void> {
    await page.goto(ctx.stack.appUrl);
    await page.getByTestId('oauth-login').click();
    await page.getByTestId('login-as-uid-cand01-Aa1').click();
    await page.getByTestId('home-candidate').waitFor();
    await page.getByTestId('bk-open-mine').click();
    await page.getByTestId('bk-mine').waitFor();
    await page.locator('[data-testid^="bk-book-"][data-testid$="-ai_interview"]').first().click();
  }

  it('a candidate books, reschedules and cancels an AI interview window', async () => {
    const page = await ctx.browser.context.newPage();
    await openBooking(page);

    // Book: second day of the strip (well beyond the cutoffs), first free slot.
    await page.getByTestId('bk-book').waitFor();
    expect(await page.getByTestId('bk-tz').textContent()).toMatch(/\//);
    await page.locator('.bk-day').nth(1).click();
    const first = page.locator('.bk-slot:not([disabled])').first();
    const firstTime = (await first.textContent())?.slice(0, 5);
    await first.click();
    await page.getByTestId('bk-confirm').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'booking-confirm.png') });
    await page.getByTestId('bk-confirm-ok').click();
    await page.getByTestId('bk-mine').waitFor();
    const card = page.getByTestId('bk-booking').first();
    await card.waitFor();
    expect(await card.getByTestId('bk-when').textContent()).toContain(firstTime);
    expect(await card.getByTestId('bk-status').textContent()).toMatch(/已预约|Booked/);

    // Reschedule to the next free slot of the same day.
    await card.getByTestId('bk-reschedule').click();
    await page.getByTestId('bk-book').waitFor();
    await page.locator('.bk-day').nth(1).click();
    const second = page.locator('.bk-slot:not([disabled])').nth(1);
    const secondTime = (await second.textContent())?.slice(0, 5);
    await second.click();
    await page.getByTestId('bk-confirm-ok').click();
    await page.getByTestId('bk-mine').waitFor();
    await page.getByTestId('bk-booking').first().waitFor();
    expect(await page.getByTestId('bk-booking').first().getByTestId('bk-when').textContent()).toContain(
      secondTime,
    );
    await page.screenshot({ path: path.join(SHOTS, 'booking-mine.png') });

    // Cancel with a reason.
    await page.getByTestId('bk-booking').first().getByTestId('bk-cancel').click();
    await page
      .locator('[data-testid="bk-cancel-reason"] textarea, textarea')
      .first()
      .fill('时间冲突，稍后再约');
    await page.locator('.adm-dialog-button').last().click();
    await page.waitForFunction(() =>
      /已取消|Cancelled/.test(document.querySelector('[data-testid="bk-status"]')?.textContent ?? ''),
    );
    await page.screenshot({ path: path.join(SHOTS, 'booking-cancelled.png') });
  });

  it('a candidate abroad sees times in their own zone and, when confirming, the plan zone time too', async () => {
    const abroad = await launchBrowser({ contextOptions: { timezoneId: 'America/New_York' } });
    try {
      const page = await abroad.context.newPage();
      await openBooking(page);
      await page.getByTestId('bk-book').waitFor();
      expect(await page.getByTestId('bk-tz').textContent()).toContain('America/New_York');
      expect(await page.getByTestId('bk-plan-tz').textContent()).toContain('Asia/Shanghai');
      await page.locator('.bk-day').nth(1).click();
      const slot = page.locator('.bk-slot:not([disabled])').first();
      const shown = (await slot.textContent())?.slice(0, 5) ?? '';
      await slot.click();
      await page.getByTestId('bk-confirm').waitFor();
      const planLine = (await page.getByTestId('bk-confirm-plan-tz').textContent()) ?? '';
      const planTime = planLine.match(/(\d{2}:\d{2})/)?.[1] ?? '';
      // New York is 12 or 13 hours behind Shanghai: the same instant, another wall clock.
      const diff = (Number(planTime.slice(0, 2)) - Number(shown.slice(0, 2)) + 24) % 24;
      expect([12, 13]).toContain(diff);
      expect(planTime.slice(3)).toBe(shown.slice(3));
      await page.screenshot({ path: path.join(SHOTS, 'booking-confirm-abroad.png') });
    } finally {
      await abroad.close();
    }
  });
});
