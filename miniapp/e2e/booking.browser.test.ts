/**
 * Booking on a phone against the real server and the DingTalk sandbox: a candidate signs in
 * with DingTalk OAuth2, books an AI interview window from the date strip, reschedules it and
 * cancels it with a reason; a candidate abroad sees both zones; and a seat lost while the confirm
 * sheet is open is shown from the 409's fresh list without reading the list again.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ensureSlotCounters } from '../../server/features/booking/seats';
import { query, sqlDate } from '../../server/kernel/db/tx';
import type { SlotsResponse } from '../../shared/api/bookings';
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

  it('a seat lost while confirming: the 409 carries the fresh list, the screen shows it without reading again', async () => {
    const em = ctx.stack.orm.em;
    // A browser of its own: the shared one is still signed in from the tests above.
    const own = await launchBrowser();
    const page = await own.context.newPage();
    // Every list the screen reads, with the answer it got.
    const reads: SlotsResponse[] = [];
    page.on('response', async (r) => {
      if (r.request().method() === 'GET' && r.url().includes('/api/bookings/slots') && r.ok())
        reads.push((await r.json()) as SlotsResponse);
    });
    await openBooking(page);
    await page.getByTestId('bk-book').waitFor();
    const applicationId = Number(new URL(page.url()).pathname.split('/').at(-2));
    // This window taken in booked slots (seats count), one seat each, for this test only. A
    // change bumps the row's version and update time as the product's own writes do (the
    // booking command keeps a schedule's state per version).
    const change = (takeMode: string, capacity: number) =>
      query(
        em,
        'update plan_schedules set take_mode = ?, capacity_per_slot = ?, version = version + 1, updated_at = ? where id = ?',
        [takeMode, capacity, sqlDate(em, new Date()), schedule.id],
      );
    const [schedule] = await query<{ id: number; take_mode: string; capacity_per_slot: number }>(
      em,
      `select ps.id, ps.take_mode, ps.capacity_per_slot from plan_schedules ps
         join interview_plans p on p.id = ps.plan_id join applications a on a.job_id = p.job_id
        where a.id = ? and ps.kind = 'ai_interview' and ps.active = 1`,
      [applicationId],
    );
    expect(schedule).toBeDefined();
    await change('booked', 1);
    try {
      await page.reload();
      await page.getByTestId('bk-book').waitFor();
      await expect.poll(() => reads.at(-1)?.rules.takeMode).toBe('booked');
      const screen = reads.at(-1) as SlotsResponse;
      await page.locator('.bk-day').nth(1).click();
      const first = page.locator('.bk-slot:not([disabled])').first();
      const time = ((await first.textContent()) ?? '').slice(0, 5);
      const day = await page.locator('.bk-day.active').getAttribute('data-testid');
      const slot = screen.slots.find((s) => s.time === time && `bk-day-${s.date}` === day);
      expect(slot?.remaining).toBe(1);
      await first.click();
      await page.getByTestId('bk-confirm').waitFor();

      // Someone else takes the last seat while the sheet is open.
      const start = Date.parse(slot?.startAt ?? '');
      const counter = (await ensureSlotCounters(em, schedule.id, 1, [start])).get(start);
      await query(em, 'update slot_counters set taken = capacity where id = ?', [counter?.id]);
      const readsBefore = reads.length;
      const refused = page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/api/bookings'),
      );
      await page.getByTestId('bk-confirm-ok').click();
      const res = await refused;
      expect(res.status()).toBe(409);
      const body = (await res.json()) as { error: { code: string; details?: { slots?: unknown[] } } };
      expect(body.error.code).toBe('slot_full');
      expect(body.error.details?.slots?.length).toBeGreaterThan(0);

      // The lost slot shows as taken at once, and no second read of the list was made.
      await expect.poll(() => page.getByTestId(`bk-slot-${time}`).isDisabled()).toBe(true);
      await page.waitForTimeout(500);
      expect(reads.length).toBe(readsBefore);
      await page.screenshot({ path: path.join(SHOTS, 'booking-seat-lost.png') });

      // The next free slot of the same list books.
      await page.locator('.bk-slot:not([disabled])').first().click();
      await page.getByTestId('bk-confirm-ok').click();
      await page.getByTestId('bk-mine').waitFor();
      await page.getByTestId('bk-booking').first().waitFor();
    } finally {
      await own.close();
      await change(schedule.take_mode, schedule.capacity_per_slot);
    }
  });
});
