/**
 * HR imports candidates in the real mini-app against the real server: an .xlsx of 50 people
 * with 3 bad rows is uploaded, the preview reports the 3 rows (row number and what is wrong)
 * and nothing is imported yet; confirming imports the 50 (the bad rows never), and inviting the
 * batch to a job gives each of them an invitation. The test then checks the database.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Invitation } from '../../server/kernel/db/entities/Invitation';
import { Job } from '../../server/kernel/db/entities/Job';
import { routes } from '../../shared/routes';
import { browserTestsRunnable } from './browser';
import { responseTo, SHOTS, useStackAndBrowser, writeCandidateSheet } from './helpers';

/** 50 good rows named 导入NN and 3 bad ones, as HR's spreadsheet would have them. */
function spreadsheet(): Promise<string> {
  const rows: string[][] = [];
  for (let i = 0; i < 50; i++) {
    const n = String(i).padStart(2, '0');
    rows.push([
      `导入${n}`,
      `1397700${String(i).padStart(4, '0')}`,
      i % 2 ? `import${n}@example.com` : '',
      i % 3 ? '招聘网站' : '内推',
      '',
    ]);
    // Rows 12, 33 and 54 of the sheet are bad: no name, a short mobile, a broken e-mail.
    if (i === 9) rows.push(['', '13977009999', '', '', '']);
    if (i === 29) rows.push(['坏手机', '139770', '', '', '']);
  }
  rows.push(['坏邮箱', '', 'not-an-email', '', '']);
  return writeCandidateSheet(rows, '三月候选人.xlsx');
}

describe.skipIf(!browserTestsRunnable())('mini-app candidate import against the real server', () => {
  const ctx = useStackAndBrowser();
  const em = () => ctx.stack.orm.em.fork();

  it('HR imports 50 candidates from an .xlsx with 3 bad rows, confirms, and invites them', async () => {
    const file = await spreadsheet();
    const job = await em().findOneOrFail(Job, { slug: 'backend' });
    const imported = () => em().count(Candidate, { name: { $like: '导入%' } });
    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('candidates-import-open').click();
    await page.getByTestId('candidate-import').waitFor();

    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('import-valid').textContent()).toContain('50 行可导入');
    expect(await page.getByTestId('import-error-count').textContent()).toContain('3 个问题');
    const errors = await page.getByTestId('import-error').allTextContents();
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('第 12 行');
    expect(errors[0]).toContain('缺少姓名');
    expect(errors[1]).toContain('第 33 行');
    expect(errors[1]).toContain('手机号无效');
    expect(errors[2]).toContain('第 54 行');
    expect(errors[2]).toContain('邮箱无效');
    // Previewing imports nothing.
    expect(await imported()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'candidates-import-preview.png'), fullPage: true });

    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toContain('新增 50 人');
    expect(await imported()).toBe(50);
    expect(await em().count(Candidate, { name: { $in: ['坏手机', '坏邮箱'] } })).toBe(0);
    expect(await em().count(Candidate, { name: { $like: '导入%' }, source: 'referral' })).toBe(17);

    await page.getByTestId('invite-panel').waitFor();
    await page.getByTestId('invite-job').getByText(job.title).click();
    const sent = responseTo(page, (r) => new URL(r.url()).pathname === '/api/invitations/bulk');
    await page.getByTestId('invite-send').click();
    expect((await sent).status()).toBe(201);
    await page.getByTestId('invite-result').waitFor();
    expect(await page.getByTestId('invite-count').textContent()).toContain('已邀请 50 人');
    expect(await page.getByTestId('invitation-row').count()).toBe(50);
    expect(await page.getByTestId('invitation-copy').count()).toBe(50);
    // "Share the job in DingTalk" outside DingTalk: the job's public page is copied instead
    // (dingtalk-jsapi is never loaded in a plain browser), never an invitation, whose link signs
    // its candidate in; the outcome is said in words.
    await ctx.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: ctx.stack.appUrl,
    });
    const jsapiFetched: string[] = [];
    page.on('response', (r) => {
      if (/dingtalk-jsapi/.test(r.url())) jsapiFetched.push(r.url());
    });
    expect(await page.getByTestId('invitation-share').count()).toBe(0);
    await page.getByTestId('job-share').click();
    const shareStatus = page.getByTestId('job-share-status');
    await expect.poll(() => shareStatus.getAttribute('data-outcome')).toBe('copied');
    expect(await shareStatus.textContent()).toContain('链接已复制');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip).toContain(`${ctx.stack.appUrl}/j/${job.slug}?r=e`);
    expect(clip).not.toContain('/invite');
    expect(jsapiFetched).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'candidates-invited.png'), fullPage: true });
    const invitations = await em().count(Invitation, {
      job,
      candidate: { name: { $like: '导入%' } },
      revokedAt: null,
    });
    expect(invitations).toBe(50);

    // HR revokes one invitation on the candidate's page; its link then shows a clear error page.
    const first = await em().findOneOrFail(
      Invitation,
      { job, candidate: { name: '导入00' } },
      { populate: ['candidate'] },
    );
    const copied = await page.getByTestId('invitation-row').first().textContent();
    expect(copied).toContain('导入00');
    const hr = await ctx.stack.signInEmployee('hr01');
    const listed = await ctx.stack.api('GET', `/api/candidates/${first.candidate.id}/invitations`, {
      token: hr,
    });
    const link = listed.body.invitations[0].url as string;
    await page.goto(
      `${ctx.stack.appUrl}${new URL(routes.candidate(first.candidate.id), 'http://x').pathname}`,
    );
    await page.getByTestId('candidate-detail').waitFor();
    // Resending sends the invitation again (in-app inbox, and SMS or e-mail where a gateway is set).
    const resent = responseTo(
      page,
      (r) => new URL(r.url()).pathname === `/api/invitations/${first.id}/resend`,
    );
    await page.getByTestId('invitation-resend').click();
    expect((await resent).status()).toBe(200);
    expect((await em().findOneOrFail(Invitation, { id: first.id })).sendCount).toBe(first.sendCount + 1);
    await page.getByTestId('invitation-revoke').click();
    const revoked = responseTo(
      page,
      (r) => new URL(r.url()).pathname === `/api/invitations/${first.id}/revoke`,
    );
    await page.getByRole('button', { name: /确定|确认|OK/ }).click();
    expect((await revoked).status()).toBe(200);
    await page.getByText('已撤回').first().waitFor();
    // The candidate opens the link on their own phone: a browser without HR's session.
    const phone = await ctx.browser.fresh();
    try {
      const visitor = await phone.context.newPage();
      await visitor.goto(link.replace(/^https?:\/\/[^/]+/, ctx.stack.appUrl));
      await visitor.getByText('该邀请已被撤回').waitFor();
      await visitor.screenshot({ path: path.join(SHOTS, 'candidates-revoked-link.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
  it('HR adds one candidate: a bad mobile is named and saves nothing; the same person again is merged, never doubled', async () => {
    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('candidates-open').click();
    await page.getByTestId('candidate-add').click();
    await page.getByTestId('candidate-new').waitFor();
    const before = await em().count(Candidate, {});
    await page.getByTestId('field-name').locator('input').fill('吴单加');
    await page.getByTestId('field-mobile').locator('input').fill('1390000');
    await page.getByTestId('candidate-save').click();
    await expect
      .poll(() => page.locator('.adm-toast-main').textContent(), { timeout: 10_000 })
      .toContain('手机号');
    expect(await em().count(Candidate, {})).toBe(before);

    // A referral: 内推 with the referrer kept for the statistics.
    await page.getByTestId('field-mobile').locator('input').fill('13966660001');
    await page.getByTestId('candidate-new').getByText('内推', { exact: true }).click();
    await page
      .getByTestId('candidate-new')
      .locator('.adm-form-item')
      .filter({ hasText: '推荐人' })
      .locator('input')
      .fill('陈思雨');
    await page.getByTestId('candidate-save').click();
    await page.getByTestId('candidate-detail').waitFor();
    const added = await em().findOneOrFail(Candidate, { mobile: { $like: '%13966660001' } });
    expect([added.name, added.source, added.referrer]).toEqual(['吴单加', 'referral', '陈思雨']);

    // The same mobile again (say, from another channel): merged into the same person.
    await page.goto(`${ctx.stack.appUrl}/candidates/new`);
    await page.getByTestId('field-name').locator('input').fill('吴单加');
    await page.getByTestId('field-mobile').locator('input').fill('139 6666 0001');
    await page.getByTestId('field-email').locator('input').fill('wu@example.com');
    await page.getByTestId('candidate-save').click();
    await expect
      .poll(() => page.locator('.adm-toast-main').textContent(), { timeout: 10_000 })
      .toContain('已合并');
    expect(await em().count(Candidate, { mobile: { $like: '%13966660001' } })).toBe(1);
    expect((await em().findOneOrFail(Candidate, { id: added.id })).email).toBe('wu@example.com');
  });
});
