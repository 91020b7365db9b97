/**
 * The candidate inbox and HR's undelivered-messages screen in Chromium against the real server
 * and the sandbox. The messages are queued in the outbox (factories) and delivered by the
 * server's own delivery worker: one into a candidate's inbox, one to a DingTalk user the
 * sandbox does not know, which fails for real. The UI then reads, marks and retries them
 * through the real API, and the test checks the database.
 */
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/kernel/db/entities/AuditLog';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { InboxMessage } from '../../server/kernel/db/entities/InboxMessage';
import { Job } from '../../server/kernel/db/entities/Job';
import { OutboxMessage } from '../../server/kernel/db/entities/OutboxMessage';
import { makeOutboxMessage } from '../../server/testing/factories';
import { browserTestsRunnable } from './browser';
import { responseTo, useStackAndBrowser } from './helpers';

describe.skipIf(!browserTestsRunnable())('mini-app notifications against the real server', () => {
  const ctx = useStackAndBrowser();
  const em = () => ctx.stack.orm.em.fork();

  it('candidate: home links to the inbox with the unread count; a message renders and can be marked read', async () => {
    const candidate = await em().findOneOrFail(Candidate, { name: '陈静' });
    // A mark of this run in the message: a retry of this test queues another one like it.
    const mark = `第${Date.now() % 1_000_000}号`;
    const queued = await makeOutboxMessage(ctx.stack.orm, {
      channel: 'inbox',
      recipientKind: 'candidate',
      recipientId: String(candidate.id),
      topic: 'reminder.candidate.1440m',
      message: {
        title: '提醒：24 小时后面试',
        text: `您的 **高级后端工程师** AI 面试将于 **2026-03-03 10:00** 开始（${mark}）。`,
        buttons: [{ title: '进入面试', url: '/bookings/3' }],
      },
    });
    // The server's delivery worker writes it into the inbox.
    await expect
      .poll(
        async () => (await em().findOne(InboxMessage, { outboxKey: queued.idempotencyKey }))?.id ?? null,
        {
          timeout: 30_000,
          interval: 300,
        },
      )
      .not.toBeNull();

    const hr = await ctx.stack.signInEmployee('hr01');
    const job = await em().findOneOrFail(Job, { slug: 'backend' });
    const inv = await ctx.stack.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: candidate.id, jobId: job.id },
    });
    expect(inv.status).toBe(201);
    const page = await ctx.browser.context.newPage();
    await page.goto(inv.body.invitation.url.replace(/^https?:\/\/[^/]+/, ctx.stack.appUrl));
    await page.getByTestId('home-candidate').waitFor();
    // The unread count arrives with its own request after the entry shows. It counts every
    // unread message: the invitation itself may also reach the inbox by now, so the expected
    // number is read from the database rather than assumed.
    const unread = () => em().count(InboxMessage, { candidate: candidate.id, readAt: null });
    await expect
      .poll(async () => {
        const shown = (await page.getByTestId('inbox-open').textContent()) ?? '';
        return shown.includes(`${await unread()} 条未读`);
      })
      .toBe(true);
    expect(await unread()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('inbox-open').click();
    const item = page.getByTestId('inbox-item').filter({ hasText: mark });
    await item.waitFor();
    const text = await item.textContent();
    expect(text).toContain('提醒：24 小时后面试');
    expect(text).toContain('高级后端工程师');
    // Bold markdown is rendered as text, not raw asterisks.
    expect(text).not.toContain('**');
    const read = responseTo(page, (r) => /\/api\/inbox\/\d+\/read$/.test(new URL(r.url()).pathname));
    await item.getByText('标为已读').click();
    expect((await read).status()).toBe(200);
    await item.getByText('标为已读').waitFor({ state: 'detached' });
    const row = await em().findOneOrFail(InboxMessage, { outboxKey: queued.idempotencyKey });
    expect(row.readAt).toBeInstanceOf(Date);
    // After a reload the home no longer counts it: it shows what is still unread (the worker's
    // invitation sweep may have delivered the invitation's own message meanwhile), and nothing
    // when that is none.
    await page.goto(ctx.stack.appUrl);
    await page.getByTestId('home-candidate').waitFor();
    await expect
      .poll(async () => {
        const shown = (await page.getByTestId('inbox-open').textContent()) ?? '';
        const left = await unread();
        return left === 0 ? !shown.includes('条未读') : shown.includes(`${left} 条未读`);
      })
      .toBe(true);
  });

  it('HR: home links to undelivered messages; retry queues one again', async () => {
    // int09 is not a member of the sandbox's organisation: DingTalk refuses the message.
    const queued = await makeOutboxMessage(ctx.stack.orm, {
      channel: 'robot_oto',
      recipientKind: 'employee',
      recipientId: 'int09',
      topic: 'reminder.interviewer.30m',
      message: { title: '提醒：30 分钟后复试', text: '请准备。' },
    });
    const failed = async () => {
      const row = await em().findOneOrFail(OutboxMessage, { id: queued.id });
      return row.status === 'failed' ? row : null;
    };
    await expect.poll(failed, { timeout: 30_000, interval: 300 }).not.toBeNull();
    const { lastError } = (await failed()) as { lastError: string | null };
    expect(lastError).toBeTruthy();

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId('home-hr').waitFor();
    await page.getByTestId('failures-open').click();
    // The real error DingTalk (the sandbox) gave, as the worker recorded it.
    const item = page.getByTestId('failure-item').filter({ hasText: (lastError as string).slice(0, 30) });
    await item.waitFor();
    expect(await item.textContent()).toContain('int09');
    const retry = responseTo(page, (r) =>
      new URL(r.url()).pathname.endsWith(`/api/notifications/failures/${queued.id}/retry`),
    );
    await item.getByText('重新发送').click();
    expect((await retry).status()).toBe(200);
    await item.waitFor({ state: 'detached' });
    // The retry is audited, by HR, for this message (it may fail again: int09 is still unknown).
    const audits = await em().find(AuditLog, { action: 'delivery.retry', objectType: 'outbox' });
    expect(audits.map((a) => a.objectId)).toEqual([String(queued.id)]);
  });
});
