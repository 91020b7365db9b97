/**
 * Hiring analytics on a phone, against the real server (SQLite) and the sandbox: HR opens the
 * app from the sandbox console (免登), goes from the home to "招聘数据分析", narrows to one job
 * and reads the funnel's exact numbers in the table under the chart, then exports it to .xlsx
 * and the file (read back with exceljs) carries the same numbers; the export is audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { transition } from '../../server/features/workflow';
import { AuditLog } from '../../server/kernel/db/entities/AuditLog';
import { HireOutcomeSync } from '../../server/kernel/db/entities/HireOutcome';
import { User } from '../../server/kernel/db/entities/User';
import { makeApplication, makeCandidate, makeDepartment, makeJob } from '../../server/testing/factories';
import type { TransitionName } from '../../shared/pipeline';
import { browserTestsRunnable } from './browser';
import { SHOTS, useStackAndBrowser } from './helpers';

describe.skipIf(!browserTestsRunnable())('hiring analytics through the UI', () => {
  const ctx = useStackAndBrowser(async (stack) => {
    // One job, three applications: one reached the second round, one was rejected in review,
    // one is still invited. Funnel: invited 3, submitted 2, in review 2, second round 1.
    const em = stack.orm.em.fork();
    const hr = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const job = await makeJob(em, { title: '数据分析岗', department: await makeDepartment(em) });
    const paths: TransitionName[][] = [
      ['submit', 'score', 'review', 'advance_second_round'],
      ['submit', 'score', 'review', 'reject'],
      [],
    ];
    for (const [i, steps] of paths.entries()) {
      const app = await makeApplication(em, {
        job,
        candidate: await makeCandidate(em, { name: `分析${i}` }),
      });
      for (const name of steps)
        await stack.orm.em.fork().transactional((tx) =>
          transition(tx, {
            applicationId: app.id,
            name,
            reason: 'browser test',
            actor: ['advance_second_round', 'reject'].includes(name)
              ? { by: 'hr', person: { kind: 'employee', id: hr.id } }
              : { by: 'system', person: null },
          }),
        );
    }
  });

  it('HR opens the dashboard, filters one job, reads the funnel and exports it', async () => {
    const page = await ctx.browser.context.newPage();
    await page.goto(ctx.stack.sandboxUrl);
    await page.getByTestId('open-as-hr01').click();
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('analytics-open').click();
    await page.getByTestId('analytics').waitFor();
    await page.getByTestId('an-funnel-table').waitFor();
    await page.getByTestId('an-job').getByText('数据分析岗').click();
    await expect.poll(() => page.getByTestId('an-funnel-total').textContent()).toContain('3');
    const cells = async (row: number) =>
      page.getByTestId('an-funnel-table').locator('tbody tr').nth(row).locator('td').allTextContents();
    expect(await cells(0)).toEqual(['已邀请', '3', '—', '1']);
    expect(await cells(1)).toEqual(['已提交', '2', '66.7%', '0']);
    expect(await cells(2)).toEqual(['待评估', '2', '100.0%', '0']);
    expect(await cells(3)).toEqual(['待约复试', '1', '50.0%', '1']);
    // The chart is drawn (a canvas inside the funnel card).
    expect(await page.getByTestId('an-funnel').locator('canvas').count()).toBeGreaterThan(0);
    // AI validity says "too few" rather than a rate on two people.
    expect(await page.getByTestId('an-ai-table').textContent()).toContain('人数不足');
    // Rater load and leniency: nobody has rated this job's reports yet.
    await expect.poll(() => page.getByTestId('an-raters').textContent()).toContain('暂无评分');
    // No bookings in this job; no hires for closed-loop validity yet, and HR can ask for a sync,
    // which the worker runs (the API records who asked).
    await expect.poll(() => page.getByTestId('an-reminders').textContent()).toContain('暂无预约');
    await expect.poll(() => page.getByTestId('an-outcomes-counts').textContent()).toContain('录用 0 人');
    // With no correlation to draw, the table says 数据不足 and no empty plot is drawn.
    expect(await page.getByTestId('an-outcomes').locator('canvas').count()).toBe(0);
    await page.getByTestId('an-outcomes-sync-now').click();
    const hr = await ctx.stack.orm.em.fork().findOneOrFail(User, { dingtalkUserId: 'hr01' });
    await expect
      .poll(async () => ctx.stack.orm.em.fork().count(HireOutcomeSync, { requestedBy: hr.id }))
      .toBe(1);
    await expect.poll(() => page.getByTestId('an-outcomes-sync-now').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'analytics.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('an-funnel-export').click(),
    ]);
    const file = path.join(ctx.stack.dataDir, 'funnel.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => {
      rows.push((r.values as unknown[]).slice(1));
    });
    expect(rows[1].slice(0, 3)).toEqual(['全部', 'invited', 3]);
    expect(rows[4].slice(0, 4)).toEqual(['全部', 'second_round', 1, 0.5]);
    const audits = await ctx.stack.orm.em.fork().find(AuditLog, { action: 'analytics.exported' });
    expect(audits.map((a) => a.objectId)).toEqual(['funnel']);
  });
});
