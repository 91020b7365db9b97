/**
 * HR's work queue (待办) in the real mini-app against the real server: a candidate asks for an
 * explanation of their released feedback through the API, HR opens 待办 from the home, replies
 * to the candidate from the item, and the request is closed, audited and answered (a message
 * to the candidate queued with HR's words). Then HR sends a candidate's accommodation request to
 * a DingTalk approval from the queue; the sandbox's approvers agree and the candidate is granted
 * it. The test checks the database.
 */
import { describe, expect, it } from 'vitest';
import { AccommodationRequest } from '../../server/kernel/db/entities/AccommodationRequest';
import { Approval } from '../../server/kernel/db/entities/Approval';
import { AuditLog } from '../../server/kernel/db/entities/AuditLog';
import { InterviewAccommodation } from '../../server/kernel/db/entities/InterviewAccommodation';
import { Job } from '../../server/kernel/db/entities/Job';
import { OutboxMessage } from '../../server/kernel/db/entities/OutboxMessage';
import { ReviewTask } from '../../server/kernel/db/entities/Scoring';
import { issueSessionToken } from '../../server/kernel/http/tokens';
import { makeApplication, makeCandidate, makeReport } from '../../server/testing/factories';
import { browserTestsRunnable } from './browser';
import { responseTo, useStackAndBrowser } from './helpers';

const POLL = { timeout: 30_000, interval: 300 };

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
    const closed = responseTo(page, (r) => new URL(r.url()).pathname === '/api/queue/close');
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
  it('HR sends a candidate’s accommodation request to a DingTalk approval from the queue; agreed there, it is granted', async () => {
    const e = em();
    const job = await e.findOneOrFail(Job, { slug: 'backend' });
    const c = await makeCandidate(e, { name: '要便利' });
    const app = await makeApplication(e, { candidate: c, job, stage: 'invited' });
    const { token } = await issueSessionToken(
      ctx.stack.config.session.secret,
      { kind: 'candidate', id: c.id, invitationJobId: job.id },
      60,
    );
    const asked = await ctx.stack.api('POST', '/api/my/accommodation-requests', {
      token,
      body: {
        applicationId: app.id,
        extraTimePercent: 25,
        extraRetakes: 1,
        audioOnly: false,
        note: '视力不好，读题慢',
      },
    });
    expect(asked.status).toBe(201);

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('queue-open').click();
    const item = page.getByTestId('queue-item').filter({ hasText: '要便利' });
    await item.waitFor();
    expect(await item.textContent()).toContain('视力不好，读题慢');
    const sent = responseTo(
      page,
      (r) => new URL(r.url()).pathname === `/api/accommodation-requests/${asked.body.request.id}/approval`,
    );
    await item.getByTestId('queue-approval').click();
    expect((await sent).status()).toBe(201);
    // Still decidable in the app while DingTalk decides, but not sent twice.
    await expect.poll(() => item.textContent(), POLL).toContain('钉钉审批中');
    expect(await item.getByTestId('queue-approval').count()).toBe(0);

    // The worker starts it in DingTalk; the approvers agree there.
    let approval: { processInstanceId?: string | null; approverUserIds: string[] } | null = null;
    await expect
      .poll(async () => {
        approval = await em().findOne(Approval, {
          application: app.id,
          kind: 'accommodation',
          status: 'running',
        });
        return approval?.processInstanceId ?? null;
      }, POLL)
      .not.toBeNull();
    const running = approval as unknown as { processInstanceId: string; approverUserIds: string[] };
    for (const userid of running.approverUserIds)
      if ((await ctx.stack.sandbox.approval(running.processInstanceId))?.status === 'RUNNING')
        await ctx.stack.sandbox.decideApproval(running.processInstanceId, {
          userid,
          result: 'agree',
          remark: '同意',
        });
    await expect
      .poll(
        async () => (await em().findOneOrFail(AccommodationRequest, { id: asked.body.request.id })).status,
        POLL,
      )
      .toBe('granted');
    const granted = await em().findOneOrFail(InterviewAccommodation, { application: app.id });
    expect([granted.extraTimePercent, granted.extraRetakes]).toEqual([25, 1]);
    await page.reload();
    await page.getByTestId('queue-page').waitFor();
    await expect
      .poll(() => page.getByTestId('queue-item').filter({ hasText: '要便利' }).count(), POLL)
      .toBe(0);
  });
});
