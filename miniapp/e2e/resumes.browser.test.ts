/**
 * Résumés in the real mini-app against the real server (every role, so the worker's consumer
 * extracts): a candidate opens their invitation on the phone, reads the notice, ticks the
 * consent and uploads a PDF résumé; the worker reads it and the screen shows what was read.
 * HR opens 简历筛选 from the home, picks the job, sees the candidate with the match score and a
 * reason line with its quote per requirement, and invites them to the AI interview. The test
 * checks the database. The candidate then agrees to the talent pool, and HR finds them there
 * and re-invites them to another job, narrows the pool with the filter sheet (badge and chips),
 * tags the candidate from their row and filters the pool by the tag (screenshot at phone size). HR imports a candidate of DingTalk recruitment by mobile
 * and, as DingTalk gives no résumé file, uploads the résumé on the imported row. A pool larger than
 * one page shows its first page, and 加载更多 brings the rest, each person once.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Invitation } from '../../server/kernel/db/entities/Invitation';
import { Job } from '../../server/kernel/db/entities/Job';
import { CandidateTag, Resume, ScreeningDecisionRow } from '../../server/kernel/db/entities/Resume';
import { makeCandidate, makePooledResume } from '../../server/testing/factories';
import { expectAccessible } from './a11y';
import { browserTestsRunnable } from './browser';
import { inviteDemoCandidate, responseTo, SHOTS, useStackAndBrowser } from './helpers';

const FIXTURES = path.resolve('server/features/resumes/fixtures');

describe.skipIf(!browserTestsRunnable())('résumés against the real server', () => {
  const ctx = useStackAndBrowser(async (stack) => {
    await stack.orm.em
      .fork()
      .nativeUpdate(
        Job,
        { slug: 'backend' },
        { requirements: '本科及以上学历\n3年以上 Java 后端开发经验\n熟悉 Redis、Kafka' },
      );
  });

  it('the candidate uploads a résumé; HR screens it with reasons and invites; from the talent pool HR re-invites to another job', async () => {
    const page = await ctx.browser.context.newPage();
    await page.goto(await inviteDemoCandidate(ctx.stack, '王五'));
    await page.getByTestId('rs-open').click();
    await page.getByTestId('resume-page').waitFor();
    expect(await page.getByTestId('rs-notice').textContent()).toContain('不会使用姓名、性别、年龄');
    // Without the consent the upload stays disabled.
    await page.getByTestId('rs-file').setInputFiles(path.join(FIXTURES, 'zh.pdf'));
    expect(await page.getByTestId('rs-upload').isDisabled()).toBe(true);
    await page.getByTestId('rs-consent').click();
    const uploaded = responseTo(page, (r) => new URL(r.url()).pathname === '/api/resumes');
    await page.getByTestId('rs-upload').click();
    expect((await uploaded).status()).toBe(201);
    // The worker reads it within seconds; the screen polls.
    await expect
      .poll(() => page.getByTestId('rs-status').first().textContent(), { timeout: 60_000 })
      .toBe('已解析');
    expect(await page.getByTestId('rs-profile').textContent()).toContain('浙江大学');
    await page.screenshot({ path: path.join(SHOTS, 'resume-candidate.png') });
    await expectAccessible(page, 'résumé');

    const em = ctx.stack.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const resume = await em.findOneOrFail(Resume, { fileName: 'zh.pdf' }, { populate: ['candidate'] });
    expect(resume).toMatchObject({ status: 'parsed', consentBasis: 'candidate' });
    expect(resume.job?.id).toBe(job.id);

    const hr = await ctx.browser.context.newPage();
    await hr.goto(`${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`);
    await hr.getByTestId('home-hr').waitFor();
    await hr.getByTestId('sc-open').click();
    await hr.getByTestId('screening-page').waitFor();
    await hr.getByTestId('sc-jobs').getByText(job.title, { exact: true }).click();
    const row = hr.getByTestId('sc-row').filter({ hasText: '王五' });
    await row.waitFor();
    expect(await row.getByTestId('sc-score').textContent()).toBe('匹配度 100');
    const lines = row.getByTestId('sc-line');
    expect(await lines.count()).toBe(3);
    expect(await row.getByTestId('sc-line-status').allTextContents()).toEqual(['符合', '符合', '符合']);
    expect(await lines.nth(2).textContent()).toContain('熟练掌握：Java、Go、MySQL、Redis、Kafka');
    await hr.screenshot({ path: path.join(SHOTS, 'resume-screening.png') });
    await expectAccessible(hr, 'résumé screening');
    const decided = responseTo(hr, (r) => new URL(r.url()).pathname.endsWith('/decisions'));
    await row.getByTestId('sc-invite').click();
    expect((await decided).status()).toBe(201);
    await row.getByTestId('sc-decided').waitFor();

    const d = await em
      .fork()
      .findOneOrFail(ScreeningDecisionRow, { candidate: resume.candidate.id, job: job.id });
    expect(d.decision).toBe('invite');
    expect(
      await em.fork().count(Invitation, { candidate: resume.candidate.id, job: job.id }),
    ).toBeGreaterThanOrEqual(2);

    // The candidate agrees to be kept in the talent pool; HR later finds them there and
    // re-invites them to another job in one step.
    const kept = responseTo(page, (r) => new URL(r.url()).pathname.endsWith('/pool'));
    await page.getByTestId('rs-pool').click();
    expect((await kept).status()).toBe(200);
    const pm = await em.fork().findOneOrFail(Job, { slug: 'pm' });
    await hr.getByTestId('sc-jobs').getByText(pm.title, { exact: true }).click();
    await hr.getByText('人才库', { exact: true }).click();
    const search = hr.getByTestId('sc-pool-tab').locator('input');
    await search.fill('Kafka');
    await search.press('Enter');
    const pooled = hr.getByTestId('sc-pool-row').filter({ hasText: '王五' });
    await pooled.waitFor();
    expect(await pooled.textContent()).toContain(`${job.title}（已邀请面试）`);
    const reinvited = responseTo(hr, (r) => new URL(r.url()).pathname === '/api/resumes/pool/invite');
    await pooled.getByTestId('sc-pool-invite').click();
    expect((await reinvited).status()).toBe(201);
    expect(await em.fork().count(Invitation, { candidate: resume.candidate.id, job: pm.id })).toBe(1);

    // The pool's filters live in a sheet behind 「筛选」: a past job and an outcome they have keep
    // them; an outcome they do not have leaves them out. Each row says how far they got and how
    // it ended. The button's badge counts the filters set, and each shows as a removable chip.
    const tab = hr.getByTestId('sc-pool-tab');
    await tab.getByTestId('sc-pool-filter').click();
    const sheet = hr.getByTestId('sc-pool-sheet');
    await sheet.waitFor();
    await sheet.getByTestId('sc-pool-job').getByText(job.title, { exact: true }).click();
    await sheet.getByTestId('sc-pool-outcome').getByText('筛选邀请', { exact: true }).click();
    await sheet.getByTestId('sc-pool-done').click();
    await sheet.waitFor({ state: 'hidden' });
    await pooled.waitFor();
    expect(await pooled.getByTestId('sc-pool-reached').textContent()).toContain('筛选邀请');
    expect(await tab.getByTestId('sc-pool-filter-badge').textContent()).toContain('2');
    expect(await tab.getByTestId('sc-pool-chip').allTextContents()).toEqual([
      `职位：${job.title} ×`,
      '结果：筛选邀请 ×',
    ]);
    await hr.screenshot({ path: path.join(SHOTS, 'resume-pool-filtered.png'), fullPage: true });
    await tab.getByTestId('sc-pool-filter').click();
    const hiredOnly = responseTo(hr, (r) => new URL(r.url()).searchParams.get('outcome') === 'hired');
    await sheet.getByTestId('sc-pool-outcome').getByText('已入职', { exact: true }).click();
    expect((await hiredOnly).status()).toBe(200);
    await sheet.getByTestId('sc-pool-done').click();
    await tab.getByText('人才库中没有符合的候选人').waitFor();
    expect(await tab.getByTestId('sc-pool-row').count()).toBe(0);
    // Removing the chips brings them back.
    await tab.getByTestId('sc-pool-chip').filter({ hasText: '已入职' }).click();
    await tab.getByTestId('sc-pool-chip').filter({ hasText: job.title }).click();
    await pooled.waitFor();
    expect(await tab.getByTestId('sc-pool-chip').count()).toBe(0);

    // Tags: HR tags the row from the row itself (typed, and one of the company's tags in use),
    // the row shows them, and the pool filters by them.
    // The search is emptied with its clear button (a named button, checked by axe while shown).
    await search.fill('Kafka');
    await expectAccessible(hr, 'pool search with text');
    await tab.getByRole('button', { name: '清除' }).click();
    expect(await search.inputValue()).toBe('');
    // A tag already in use in the company (on another person) is offered in the picker.
    const tagEm = em.fork();
    const other = await tagEm.findOneOrFail(Candidate, { name: '张三' });
    tagEm.create(CandidateTag, { candidate: other.id, tag: '可再联系', key: '可再联系' });
    await tagEm.flush();
    await pooled.getByTestId('sc-pool-edit-tags').click();
    const editor = hr.getByTestId('sc-tags-editor');
    await editor.waitFor();
    await editor.getByTestId('sc-tags-input').locator('input').fill('  Kafka 专家 ');
    await editor.getByTestId('sc-tags-add').click();
    await editor.getByTestId('sc-tags-suggestion').filter({ hasText: '可再联系' }).click();
    expect(await editor.getByTestId('sc-tags-remove').allTextContents()).toEqual([
      'Kafka 专家 ×',
      '可再联系 ×',
    ]);
    await expectAccessible(hr, 'pool tag editor');
    const saved = responseTo(hr, (r) => /\/api\/resumes\/pool\/\d+\/tags$/.test(new URL(r.url()).pathname));
    await editor.getByTestId('sc-tags-save').click();
    expect((await saved).status()).toBe(200);
    await editor.waitFor({ state: 'hidden' });
    await expect
      .poll(() => pooled.getByTestId('sc-pool-tag').allTextContents())
      .toEqual(['Kafka 专家', '可再联系']);
    const tagRows = await em
      .fork()
      .find(CandidateTag, { candidate: resume.candidate.id }, { orderBy: { id: 'asc' } });
    expect(tagRows.map((r) => r.tag)).toEqual(['Kafka 专家', '可再联系']);
    await tab.getByTestId('sc-pool-filter').click();
    const byTag = responseTo(hr, (r) => new URL(r.url()).searchParams.getAll('tag').includes('Kafka 专家'));
    await sheet.getByTestId('sc-pool-tags').getByText('Kafka 专家', { exact: true }).click();
    expect((await byTag).status()).toBe(200);
    await sheet.getByTestId('sc-pool-done').click();
    await sheet.waitFor({ state: 'hidden' });
    await pooled.waitFor();
    expect(await tab.getByTestId('sc-pool-chip').allTextContents()).toEqual(['标签：Kafka 专家 ×']);
    expect(await tab.getByTestId('sc-pool-filter-badge').textContent()).toContain('1');
    // The compact pool on the phone: search, 筛选 and the chips take a few lines, not the screen.
    const listTop = await pooled.boundingBox();
    expect(listTop?.y ?? 9999).toBeLessThan((hr.viewportSize()?.height ?? 844) / 2);
    await hr.screenshot({ path: path.join(SHOTS, 'resume-pool-compact.png') });
    await expectAccessible(hr, 'compact talent pool');
  }, 120_000);

  it('HR imports candidates of DingTalk recruitment by mobile', async () => {
    const { stack } = ctx;
    await stack.sandbox.atsAddCandidate({
      candidateId: 'ats-e2e-1',
      name: '钉招候选人',
      phoneNumber: '13955550001',
    });
    const hr = await ctx.browser.context.newPage();
    await hr.goto(`${stack.appUrl}/?sandbox_auth_code=${await stack.sandbox.issueAuthCode('hr01')}`);
    await hr.getByTestId('home-hr').waitFor();
    await hr.getByTestId('sc-open').click();
    await hr.getByTestId('screening-page').waitFor();
    await hr.getByText('钉钉招聘导入', { exact: true }).click();
    await hr.getByTestId('sc-ats-mobiles').locator('textarea').fill('13955550001\n13955550002');
    const done = responseTo(hr, (r) => new URL(r.url()).pathname === '/api/resumes/ats/import');
    await hr.getByTestId('sc-ats-run').click();
    expect((await done).status()).toBe(200);
    const rows = hr.getByTestId('sc-ats-row');
    await rows.first().waitFor();
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('已导入'),
      expect.stringContaining('钉钉招聘中未找到'),
    ]);
    const c = await stack.orm.em.fork().findOneOrFail(Candidate, { mobile: '13955550001' });
    expect(c).toMatchObject({ name: '钉招候选人', source: 'dingtalk_recruit' });
    // DingTalk gave no résumé: HR uploads it on the imported row.
    const uploaded = responseTo(
      hr,
      (r) =>
        new URL(r.url()).pathname === `/api/resumes/candidates/${c.id}` && r.request().method() === 'POST',
    );
    await rows.first().getByTestId('sc-ats-file').setInputFiles(path.join(FIXTURES, 'zh.pdf'));
    expect((await uploaded).status()).toBe(201);
    await rows.first().getByTestId('sc-ats-uploaded').waitFor();
    const resume = await stack.orm.em.fork().findOneOrFail(Resume, { candidate: c.id });
    expect(resume).toMatchObject({ consentBasis: 'hr_upload', fileName: 'zh.pdf' });
    await hr.close();
  }, 120_000);

  it('the talent pool comes a page at a time: 加载更多 brings the rest, each person once', async () => {
    const { stack } = ctx;
    // More people than one page holds (the tab asks for 20), found by one word only they have.
    const names: string[] = [];
    for (let i = 0; i < 25; i++) {
      const c = await makeCandidate(stack.orm, { name: `翻页${String(i).padStart(2, '0')}` });
      await makePooledResume(stack.orm.em.fork(), c.id, `${c.name}\nPagingmark\n技能：Go\n`);
      names.push(c.name);
    }
    const hr = await ctx.browser.context.newPage();
    await hr.goto(`${stack.appUrl}/?sandbox_auth_code=${await stack.sandbox.issueAuthCode('hr01')}`);
    await hr.getByTestId('home-hr').waitFor();
    await hr.getByTestId('sc-open').click();
    await hr.getByTestId('screening-page').waitFor();
    await hr.getByText('人才库', { exact: true }).click();
    const tab = hr.getByTestId('sc-pool-tab');
    const first = responseTo(hr, (r) => new URL(r.url()).searchParams.get('q') === 'Pagingmark');
    await tab.locator('input').fill('Pagingmark');
    await tab.locator('input').press('Enter');
    const firstPage = await first;
    expect(firstPage.status()).toBe(200);
    const { rows: page1, nextCursor } = await firstPage.json();
    expect(page1.length).toBeLessThan(names.length);
    expect(nextCursor).not.toBeNull();
    const rows = tab.getByTestId('sc-pool-row');
    await expect.poll(() => rows.count()).toBe(page1.length);
    const next = responseTo(hr, (r) => new URL(r.url()).searchParams.has('cursor'));
    await tab.getByTestId('sc-pool-more').click();
    expect((await next).status()).toBe(200);
    await expect.poll(() => rows.count()).toBe(names.length);
    // Newest first, everyone once, and no button once the last page is shown.
    const shown = (await rows.locator('.adm-card-header-title').allTextContents()).map((x) => x.trim());
    expect(shown).toEqual([...names].reverse());
    expect(await tab.getByTestId('sc-pool-more').count()).toBe(0);
    await expectAccessible(hr, 'talent pool after 加载更多');
    await hr.close();
  }, 120_000);
});
