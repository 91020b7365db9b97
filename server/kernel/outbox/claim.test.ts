import { expect, it } from 'vitest';
import { withUpdateFailingOnce } from '../../testing/failOnce';
import { describeEachDialect, useTestOrm } from '../../testing/harness';
import { OutboxMessage } from '../db/entities/OutboxMessage';
import { emTx } from '../db/tx';
import { consumeEvents } from '../events/consume';
import { claimDueOutbox, claimOutbox, OUTBOX_INDEX } from './claim';

describeEachDialect('outbox rows claimed in plain SQL', (dialect) => {
  const ormOf = useTestOrm(dialect);

  const entry = (key: string, recipient = 'r') => ({
    key,
    topic: 't.topic',
    aggregate: `agg:${key}`,
    recipient: { kind: 'system' as const, id: recipient },
    channel: 'event',
    payload: { key, nested: { n: 1 } },
    dueAt: new Date(Date.now() - 1000),
  });

  it('enqueue is once per key, visible to the transaction that made it, and only if it commits; outside one it waits for the flush', async () => {
    const orm = ormOf();
    await orm.em.fork().transactional(async (em) => {
      const tx = emTx(em);
      await tx.enqueue(entry('e1'));
      await tx.enqueue(entry('e1')); // a retried step of the same command
      expect(await em.count(OutboxMessage, { idempotencyKey: 'e1' })).toBe(1);
    });
    await orm.em.fork().transactional(async (em) => emTx(em).enqueue(entry('e1'))); // a retried command
    await expect(
      orm.em.fork().transactional(async (em) => {
        await emTx(em).enqueue(entry('e2'));
        throw new Error('the command failed');
      }),
    ).rejects.toThrow('the command failed');
    const em = orm.em.fork();
    await emTx(em).enqueue(entry('e3'));
    expect(await orm.em.fork().count(OutboxMessage, { idempotencyKey: 'e3' })).toBe(0);
    await em.flush();
    const rows = await orm.em.fork().find(OutboxMessage, {}, { orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.idempotencyKey, r.status, r.attempts])).toEqual([
      ['e1', 'pending', 0],
      ['e3', 'pending', 0],
    ]);
    expect(rows[0].payload).toEqual({ key: 'e1', nested: { n: 1 } });
    expect(Math.abs(rows[0].dueAt.getTime() - (Date.now() - 1000))).toBeLessThan(60_000);
    await orm.em.fork().nativeDelete(OutboxMessage, {});
  });

  it('four concurrent claimers take 150 due rows exactly once, whole; a lapsed lease makes rows due again', async () => {
    const orm = ormOf();
    await orm.em.fork().transactional(async (em) => {
      for (let i = 0; i < 150; i++) await emTx(em).enqueue(entry(`k${i}`));
    });
    const claimer = async (owner: string) => {
      const mine: number[] = [];
      for (;;) {
        const now = new Date();
        const rows = await claimOutbox(orm.em, {
          where: `status = 'pending' and due_at <= ?`,
          params: [now],
          owner,
          leaseUntil: new Date(now.getTime() + 30_000),
          limit: 7,
        });
        if (!rows.length) return mine;
        for (const r of rows) {
          expect(r).toMatchObject({
            idempotencyKey: expect.stringMatching(/^k\d+$/),
            topic: 't.topic',
            recipientKind: 'system',
            recipientId: 'r',
            channel: 'event',
            status: 'sending',
            attempts: 0,
            leaseOwner: owner,
            sentAt: null,
          });
          expect(r.payload).toEqual({ key: r.idempotencyKey, nested: { n: 1 } });
          expect(r.aggregate).toBe(`agg:${r.idempotencyKey}`);
          expect(r.dueAt).toBeInstanceOf(Date);
          expect(Math.abs((r.leaseUntil?.getTime() ?? 0) - (now.getTime() + 30_000))).toBeLessThan(2);
        }
        mine.push(...rows.map((r) => r.id));
      }
    };
    const owners = ['w1', 'w2', 'w3', 'w4'];
    const results = await Promise.all(owners.map(claimer));
    const all = results.flat();
    expect(all).toHaveLength(150);
    expect(new Set(all).size).toBe(150);
    for (const r of await orm.em.fork().find(OutboxMessage, {}))
      expect(results[owners.indexOf(r.leaseOwner as string)]).toContain(r.id);

    // A killed worker's rows: its lease in the past makes them due for a claimer that takes lapsed leases.
    await orm.em
      .fork()
      .nativeUpdate(OutboxMessage, { leaseOwner: 'w1' }, { leaseUntil: new Date(Date.now() - 1) });
    const now = new Date();
    const retaken = await claimOutbox(orm.em, {
      where: `status = 'sending' and lease_until < ?`,
      params: [now],
      owner: 'w5',
      leaseUntil: new Date(now.getTime() + 30_000),
      limit: 1000,
    });
    expect(retaken.map((r) => r.id).sort((a, b) => a - b)).toEqual(results[0].sort((a, b) => a - b));
    await orm.em.fork().nativeDelete(OutboxMessage, {});
  });

  it.runIf(dialect === 'mysql')(
    'a claim the database picks as a deadlock victim runs again and returns its rows',
    async () => {
      const orm = ormOf();
      await orm.em.fork().transactional(async (em) => {
        for (let i = 0; i < 3; i++) await emTx(em).enqueue(entry(`victim-${i}`, 'victim'));
      });
      // The first claiming UPDATE fails as MariaDB fails a deadlock victim.
      const failed = await withUpdateFailingOnce(
        orm,
        {
          name: 'outbox_claim_deadlock',
          table: 'outbox',
          when: "new.lease_owner = 'victim'",
          error: 'deadlock',
        },
        async () => {
          const now = new Date();
          const rows = await claimOutbox(orm.em, {
            where: `recipient_id = ? and status = 'pending' and due_at <= ?`,
            params: ['victim', now],
            owner: 'victim',
            leaseUntil: new Date(now.getTime() + 30_000),
            limit: 10,
          });
          expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(['victim-0', 'victim-1', 'victim-2']);
        },
      );
      expect(failed).toBe(true);
    },
  );

  it('a due claim takes pending rows of its scope oldest first, then lapsed leases, never a live lease', async () => {
    const orm = ormOf();
    const at = Date.now();
    await orm.em.fork().transactional(async (em) => {
      const tx = emTx(em);
      await tx.enqueue({
        ...entry('mine-late'),
        recipient: { kind: 'system', id: 'mine' },
        dueAt: new Date(at - 1000),
      });
      await tx.enqueue({
        ...entry('mine-early'),
        recipient: { kind: 'system', id: 'mine' },
        dueAt: new Date(at - 5000),
      });
      await tx.enqueue({
        ...entry('mine-future'),
        recipient: { kind: 'system', id: 'mine' },
        dueAt: new Date(at + 60_000),
      });
      await tx.enqueue({
        ...entry('mine-lapsed'),
        recipient: { kind: 'system', id: 'mine' },
        dueAt: new Date(at - 3000),
      });
      await tx.enqueue({
        ...entry('mine-live'),
        recipient: { kind: 'system', id: 'mine' },
        dueAt: new Date(at - 4000),
      });
      await tx.enqueue({
        ...entry('theirs'),
        recipient: { kind: 'system', id: 'theirs' },
        dueAt: new Date(at - 9000),
      });
    });
    const lease = (key: string, until: number) =>
      orm.em
        .fork()
        .nativeUpdate(
          OutboxMessage,
          { idempotencyKey: key },
          { status: 'sending', leaseOwner: 'dead', leaseUntil: new Date(until) },
        );
    await lease('mine-lapsed', at - 1);
    await lease('mine-live', at + 30_000);
    const claim = (limit: number) =>
      claimDueOutbox(orm.em, {
        scope: 'recipient_id = ?',
        params: ['mine'],
        index: OUTBOX_INDEX.byStatus,
        owner: 'w9',
        now: new Date(at),
        leaseUntil: new Date(at + 30_000),
        limit,
      });
    // A full batch of pending rows leaves the lapsed one for the next claim.
    expect((await claim(1)).map((r) => r.idempotencyKey)).toEqual(['mine-early']);
    const rest = await claim(10);
    expect(rest.map((r) => [r.idempotencyKey, r.leaseOwner])).toEqual([
      ['mine-lapsed', 'w9'],
      ['mine-late', 'w9'],
    ]);
    expect(await claim(10)).toEqual([]);
    await orm.em.fork().nativeDelete(OutboxMessage, {});
  });

  it.runIf(dialect === 'mysql')(
    "one consumer's claim in flight leaves the other consumers' rows, the deliveries' and their marks alone",
    async () => {
      const orm = ormOf();
      const conn = orm.em.getConnection();
      await orm.em.fork().transactional(async (em) => {
        const tx = emTx(em);
        for (const who of ['slow', 'quick'])
          for (let i = 0; i < 3; i++) await tx.enqueue(entry(`${who}-${i}`, who));
        await tx.enqueue({ ...entry('message-0', 'u1'), channel: 'work' });
        await tx.enqueue(entry('marked-0', 'quick-done'));
      });
      // A day of sent rows, so MariaDB reads the due rows through the (status, due_at) index as it
      // does in production.
      await conn.execute(
        `insert into outbox (idempotency_key, topic, recipient_kind, recipient_id, channel, payload, due_at, status, created_at)
         select concat('old-', seq), 't.topic', 'system', 'r', 'event', '{}', now(3) - interval seq second, 'sent', now(3)
           from seq_1_to_3000`,
      );
      await conn.execute('analyze table outbox');
      // The slow consumer's claim holds its locks a while (its UPDATE sleeps) ...
      await conn.execute(`create trigger slow_outbox_claim before update on outbox for each row
        begin
          if new.lease_owner = 'w-slow' and not (old.lease_owner <=> 'w-slow') then do sleep(1.5); end if;
        end`);
      try {
        const handled: string[] = [];
        const consume = (consumer: string) =>
          consumeEvents(orm.em, {
            consumer,
            workerId: `w-${consumer}`,
            limit: 1,
            handle: async (e) => {
              handled.push(`${consumer}:${(e as unknown as { key: string }).key}`);
            },
          });
        let slowDone = false;
        const slow = consume('slow').finally(() => {
          slowDone = true;
        });
        await new Promise((r) => setTimeout(r, 400));
        // ... and meanwhile another consumer handles its row, the delivery claims a message and a
        // row the slow claim did not take is marked. With one claim over both status ranges the
        // slow claim sorted and kept every due row locked: the quick consumer and the delivery
        // found nothing and the mark waited for its commit.
        expect(await consume('quick')).toBe(1);
        const now = new Date();
        const delivery = await claimDueOutbox(orm.em, {
          scope: 'channel != ?',
          params: ['event'],
          index: OUTBOX_INDEX.byStatus,
          owner: 'w-delivery',
          now,
          leaseUntil: new Date(now.getTime() + 30_000),
          limit: 5,
        });
        expect(delivery.map((r) => r.idempotencyKey)).toEqual(['message-0']);
        await conn.execute("update outbox set status = 'cancelled' where idempotency_key = 'marked-0'");
        expect(slowDone).toBe(false);
        expect(await slow).toBe(1);
        expect(handled.sort()).toEqual(['quick:quick-0', 'slow:slow-0']);
      } finally {
        await conn.execute('drop trigger if exists slow_outbox_claim');
        await orm.em.fork().nativeDelete(OutboxMessage, {});
      }
    },
    60_000,
  );
});
