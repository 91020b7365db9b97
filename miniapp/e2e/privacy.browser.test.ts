/**
 * A candidate's privacy on a phone, against the real server and sandbox: on "我的" they set
 * their optional self-identification, change their mind and delete it, then ask for all their
 * data to be deleted; the worker carries the request out and their session ends with it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeletionRequest } from '../../server/kernel/db/entities/DeletionRequest';
import { DemographicSelfId } from '../../server/kernel/db/entities/DemographicSelfId';
import { expectAccessible } from './a11y';
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
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'privacy card');

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
    await page.locator('.adm-dialog-button').last().waitFor();
    await expectAccessible(page, 'deletion request dialog');
    await page.locator('.adm-dialog-button').last().click();
    await expect.poll(() => page.getByTestId('pv-erase-status').textContent()).toMatch(/已提交|is in/);
    await expectAccessible(page, 'deletion requested');
    await page.screenshot({ path: path.join(SHOTS, 'privacy-requested.png'), fullPage: true });
    // The worker role runs the erasure within seconds; the request is then done.
    await expect
      .poll(async () => (await em().find(DeletionRequest, {})).map((r) => r.status), {
        timeout: 40_000,
        interval: 1000,
      })
      .toEqual(['done']);
    // Erasure ends the candidate's session at once: the same page, reloaded, is signed out.
    await page.reload();
    await page.getByTestId('signin-page').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, 'privacy-done.png'), fullPage: true });
  });
});
