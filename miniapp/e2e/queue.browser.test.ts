/**
 * HR's work queue (待办) in the real mini-app against the real server: a candidate asks for an
 * explanation of their released feedback through the API, HR opens 待办 from the home, replies
 * to the candidate from the item, and the request is closed, audited and answered (a message
 * to the candidate queued with HR's words). The test checks the database.
 */
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/kernel/db/entities/AuditLog';
import { Job } from '../../server/kernel/db/entities/Job';
import { OutboxMessage } from '../../server/kernel/db/entities/OutboxMessage';
import { ReviewTask } from '../../server/kernel/db/entities/Scoring';
import { issueSessionToken } from '../../server/kernel/http/tokens';
import { makeApplication, makeCandidate, makeReport } from '../../server/testing/factories';
import { browserTestsRunnable } from './browser';
import { useStackAndBrowser } from './helpers';

describe.skipIf(!browserTestsRunnable())('mini-app work queue against the real server', () => {
  const ctx = useStackAndBrowser();
  const em = () => ctx.stack.orm.em.fork();

  it('HR answers a candidate’s explanation request from the queue', async () => {
    const e = em();
    const job = await e.findOneOrFail(Job, { slug: 'backend' });
    const c = await makeCandidate(e, { name: '求解释' });
    const app = await makeApplication(e, { candidate: c, job, stage: 'in_review' });
    const report = await makeReport(e, { application: app, releasedAt: new Date() });
    const { token } = await issueSessionToken(
      ctx.stack.config.session.secret,
      { kind: 'candidate', id: c.id, invitationJobId: job.id },
      60,
    );
    const asked = await ctx.stack.api('POST', `/api/feedback/${report.id}/requests`, {
      token,
      body: { kind: 'explanation', message: '想了解问题解决能力的评分依据' },
    });
    expect(asked.status).toBe(201);

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('queue-open').click();
    await page.getByTestId('queue-page').waitFor();
    const item = page.getByTestId('queue-item').filter({ hasText: '求解释' });
    await item.waitFor();
    expect(await item.textContent()).toContain('想了解问题解决能力的评分依据');
    await item.getByTestId('queue-reply').click();
    const answer = '评分依据：回答给出了排查步骤，但没有说明如何验证修复效果。';
    await page.getByTestId('queue-note').locator('textarea').fill(answer);
    const closed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/queue/close');
    await page.locator('.adm-dialog-footer').getByText('提交').click();
    expect((await closed).status()).toBe(200);
    await item.waitFor({ state: 'detached' });

    const task = await em().findOneOrFail(ReviewTask, { id: asked.body.request.id });
    expect(task.status).toBe('done');
    expect(await em().count(AuditLog, { action: 'queue.closed', objectId: `task:${task.id}` })).toBe(1);
    const told = await em().find(OutboxMessage, { idempotencyKey: { $like: `task:${task.id}:answered:%` } });
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(told[0].payload).toMatchObject({ data: { answer } });
  });
});
