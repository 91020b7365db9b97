/**
 * A candidate's privacy on a phone, against the real server and sandbox: on "我的" they set
 * their optional self-identification, change their mind and delete it, then ask for all their
 * data to be deleted; the worker carries the request out and the page says when.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DemographicSelfId } from '../../server/kernel/db/entities/DemographicSelfId';
import { browserTestsRunnable } from './browser';
import { useStackAndBrowser } from './helpers';

const SHOTS = path.resolve('test-results/miniapp');

describe.skipIf(!browserTestsRunnable())('privacy through the UI', () => {
  const ctx = useStackAndBrowser();

  it('self-identification is saved and deleted in one tap; a deletion request is carried out', async () => {
    const page = await ctx.browser.context.newPage();
    await page.goto(ctx.stack.appUrl);
    await page.getByTestId('oauth-login').click();
    await page.getByTestId('login-as-uid-cand01-Aa1').click();
    await page.getByTestId('home-candidate').waitFor();
    await page.goto(`${ctx.stack.appUrl}/me`);
    await page.getByTestId('privacy').waitFor();
    const em = () => ctx.stack.orm.em.fork();
    const rows = async () => (await em().find(DemographicSelfId, {})).map((r) => r.categories);

    await page
      .getByTestId('pv-sex')
      .getByText(/^女$|^Female$/)
      .click();
    await page.getByTestId('pv-ageBand').getByText(/25-34/).click();
    await page.getByTestId('pv-save').click();
    await expect.poll(rows).toEqual([{ sex: 'female', ageBand: '25-34' }]);
    await page.reload();
    await page.getByTestId('privacy').waitFor();
    await expect
      .poll(() => page.getByTestId('pv-sex').locator('.adm-selector-item-active').textContent())
      .toMatch(/女|Female/);
    await page.getByTestId('pv-clear').click();
    await expect.poll(rows).toEqual([]);

    await page.getByTestId('pv-erase').click();
    await page.locator('.adm-dialog-button').last().click();
    await expect.poll(() => page.getByTestId('pv-erase-status').textContent()).toMatch(/已提交|is in/);
    await page.screenshot({ path: path.join(SHOTS, 'privacy-requested.png'), fullPage: true });
    // The worker role runs the erasure within seconds. The candidate's session still answers
    // /api/me/deletion-request (the row is anonymised, not removed).
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('pv-erase-status').waitFor();
          return page.getByTestId('pv-erase-status').textContent();
        },
        { timeout: 40_000, interval: 2000 },
      )
      .toMatch(/已于|deleted on/);
    await page.screenshot({ path: path.join(SHOTS, 'privacy-done.png'), fullPage: true });
  });
});
