import { afterAll, beforeAll, expect, it } from 'vitest';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InboxMessage } from '../../kernel/db/entities/InboxMessage';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { seedMessages } from '../../testing/cluster';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { DeliveryWorker } from './worker';

/**
 * The sender's loop under a steady stream: `drainWhileBusy` keeps polling while messages keep
 * coming due (so they go out within the poll interval, not the next tick), and stops at the
 * first empty claim; the send pool records every outcome once, whatever order the sends end in.
 */
describeEachDialect('outbox delivery loop', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  const worker = (id: string, concurrency = 4) =>
    new DeliveryWorker(
      { config: t.config, em: t.orm.em, dingtalk: t.dingtalk },
      { workerId: id, concurrency, batch: 10, appQps: 1000 },
    );
  const sentOf = (prefix: string) =>
    t.orm.em.fork().count(OutboxMessage, { idempotencyKey: { $like: `${prefix}:%` }, status: 'sent' });

  it('while messages keep coming due, one call sends them as they come; drain alone stops at the first short claim', async () => {
    // 10 due now, then one every 200 ms for 6 s: a steady stream.
    const start = Date.now();
    await seedMessages(t.orm.em, 40, {
      prefix: 'stream',
      userIds: ['int01', 'int02'],
      dueAt: (i) => new Date(i < 10 ? start - 1000 : start + (i - 9) * 200),
    });
    const plain = await worker('plain').drain();
    expect(plain.sent).toBeGreaterThanOrEqual(10);
    expect(plain.sent).toBeLessThan(40);

    // Polling every 300 ms (more than the 200 ms spacing) always finds the next one due, so
    // the loop runs until the stream ends, and everything is sent exactly once.
    // Start when the next one is due (the stream's next row, 200 ms after the previous).
    await new Promise((r) => setTimeout(r, 250));
    const busy = await worker('busy').drainWhileBusy(60_000, 300);
    expect(plain.sent + busy.sent).toBe(40);
    expect(await sentOf('stream')).toBe(40);
    expect(Date.now() - start).toBeGreaterThanOrEqual(6000);
    const messages = (await t.sandbox.chatMessages()).filter((m) => /#\d+#$/.test(m.text));
    expect(new Set(messages.map((m) => m.text)).size).toBe(40);
    expect(messages).toHaveLength(40);
  });

  it('an idle outbox costs one empty claim: drainWhileBusy returns at once', async () => {
    // A poll would wait 4 s: returning well before that shows it did not poll.
    const started = Date.now();
    expect(await worker('idle').drainWhileBusy(10_000, 4000)).toMatchObject({ claimed: 0, sent: 0 });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("inbox rows land in the candidate's inbox once, even sent again after a lost mark; a candidate who is gone fails the row for good", async () => {
    const em = t.orm.em.fork();
    const candidate = em.create(Candidate, { name: '收件人' });
    await em.flush();
    const row = (key: string, recipientId: string) => ({
      idempotencyKey: key,
      topic: 'candidate.test',
      recipientKind: 'candidate' as const,
      recipientId,
      channel: 'inbox',
      payload: {
        message: { title: '标题', text: `正文 ${key}`, buttons: [{ title: '查看', url: '/m/home' }] },
      },
      dueAt: new Date(Date.now() - 1000),
      status: 'pending' as const,
      attempts: 0,
      createdAt: new Date(),
    });
    await t.orm.em
      .fork()
      .insertMany(OutboxMessage, [row('inbox:ok', String(candidate.id)), row('inbox:gone', '99999999')]);
    const first = await worker('inbox').drain();
    expect(first).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    const inbox = await t.orm.em.fork().find(InboxMessage, { candidate: candidate.id });
    expect(inbox.map((m) => [m.outboxKey, m.topic, m.title, m.body, m.buttons])).toEqual([
      ['inbox:ok', 'candidate.test', '标题', '正文 inbox:ok', [{ title: '查看', url: '/m/home' }]],
    ]);
    expect(inbox[0].createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const gone = await t.orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'inbox:gone' });
    expect(gone).toMatchObject({ status: 'failed', lastError: 'no candidate 99999999' });

    // The worker sent it but died before marking it: the row is due again and sent again.
    await t.orm.em.fork().nativeUpdate(OutboxMessage, { idempotencyKey: 'inbox:ok' }, { status: 'pending' });
    expect(await worker('inbox2').drain()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await t.orm.em.fork().count(InboxMessage, { outboxKey: 'inbox:ok' })).toBe(1);
  });
});
