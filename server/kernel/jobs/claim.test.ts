import { expect, it } from 'vitest';
import { withUpdateFailingOnce } from '../../testing/failOnce';
import { describeEachDialect, useTestOrm } from '../../testing/harness';
import { OutboxMessage } from '../db/entities/OutboxMessage';
import { cancelPending, enqueue } from '../outbox/enqueue';
import { claimDue } from './claim';

describeEachDialect('outbox and claiming', (dialect) => {
  const ormOf = useTestOrm(dialect);

  it('enqueue is idempotent by key and cancelPending cancels only pending rows of the aggregate', async () => {
    const orm = ormOf();
    const em = orm.em.fork();
    const entry = {
      key: 'booking:1:reminder:24h',
      topic: 'reminder.24h',
      aggregate: 'booking:1',
      recipient: { kind: 'candidate' as const, id: 1 },
      channel: 'inbox',
      payload: { a: 1 },
    };
    await enqueue(em, entry);
    await em.flush();
    await enqueue(em, entry);
    await enqueue(em, { ...entry, key: 'booking:1:reminder:1h', topic: 'reminder.1h' });
    await enqueue(em, { ...entry, key: 'booking:2:reminder:1h', aggregate: 'booking:2' });
    await em.flush();
    expect(await em.count(OutboxMessage, { aggregate: 'booking:1' })).toBe(2);
    await em.nativeUpdate(OutboxMessage, { idempotencyKey: 'booking:1:reminder:1h' }, { status: 'sent' });
    expect(await cancelPending(em, 'booking:1')).toBe(1);
    const rows = await orm.em.fork().find(OutboxMessage, {}, { orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'sent', 'pending']);
    await orm.em.fork().nativeDelete(OutboxMessage, {});
  });

  it('four concurrent claimers take 200 due rows exactly once between them; a lapsed lease makes rows due again', async () => {
    const orm = ormOf();
    const em = orm.em.fork();
    const due = new Date(Date.now() - 1000);
    for (let i = 0; i < 200; i++) {
      em.create(OutboxMessage, {
        idempotencyKey: `k${i}`,
        topic: 't',
        recipientKind: 'system',
        channel: 'event',
        payload: {},
        dueAt: due,
      });
    }
    await em.flush();
    const claimer = async (owner: string) => {
      const mine: number[] = [];
      for (;;) {
        const now = new Date();
        const ids = await claimDue(orm.em.fork(), OutboxMessage, {
          where: { status: 'pending', dueAt: { $lte: now } },
          claim: { status: 'sending', leaseOwner: owner, leaseUntil: new Date(now.getTime() + 30_000) },
          limit: 7,
        });
        if (!ids.length) return mine;
        mine.push(...ids);
      }
    };
    const results = await Promise.all(['w1', 'w2', 'w3', 'w4'].map(claimer));
    const all = results.flat();
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    const owners = await orm.em.fork().find(OutboxMessage, {});
    for (const r of owners) expect(results[['w1', 'w2', 'w3', 'w4'].indexOf(r.leaseOwner!)]).toContain(r.id);

    // A killed worker's rows: lease in the past -> due again for a claimer that includes lapsed leases.
    await orm.em
      .fork()
      .nativeUpdate(OutboxMessage, { leaseOwner: 'w1' }, { leaseUntil: new Date(Date.now() - 1) });
    const now = new Date();
    const retaken = await claimDue(orm.em.fork(), OutboxMessage, {
      where: { status: 'sending', leaseUntil: { $lt: now } },
      claim: { leaseOwner: 'w5', leaseUntil: new Date(now.getTime() + 30_000) },
      limit: 1000,
    });
    expect(retaken.sort((a, b) => a - b)).toEqual(results[0].sort((a, b) => a - b));
  });

  // Claims of different consumers at once, as the worker runs them (each event consumer claims
  // its own due rows and rows whose lease lapsed), while new rows arrive. Under REPEATABLE READ
  // about one claim in six deadlocked here (gap locks of the status index); see `claim.ts`.
  it.runIf(dialect === 'mysql')(
    'a claim the database picks as a deadlock victim is run again and claims its rows',
    async () => {
      const orm = ormOf();
      const em = orm.em.fork();
      const due = new Date(Date.now() - 1000);
      for (let i = 0; i < 3; i++)
        em.create(OutboxMessage, {
          idempotencyKey: `victim-${i}`,
          topic: 't',
          recipientKind: 'system',
          recipientId: 'victim',
          channel: 'event',
          payload: {},
          dueAt: due,
        });
      await em.flush();
      // The first claiming UPDATE fails as MariaDB fails a deadlock victim (the whole
      // transaction rolled back).
      const failed = await withUpdateFailingOnce(
        orm,
        {
          name: 'claim_deadlock_once',
          table: 'outbox',
          when: "new.lease_owner = 'victim'",
          error: 'deadlock',
        },
        async () => {
          const now = new Date();
          const ids = await claimDue(orm.em.fork(), OutboxMessage, {
            where: { channel: 'event', recipientId: 'victim', status: 'pending', dueAt: { $lte: now } },
            claim: { status: 'sending', leaseOwner: 'victim', leaseUntil: new Date(now.getTime() + 30_000) },
            limit: 10,
          });
          expect(ids).toHaveLength(3);
          const rows = await orm.em.fork().find(OutboxMessage, { recipientId: 'victim' });
          expect(rows.map((r) => [r.status, r.leaseOwner])).toEqual(Array(3).fill(['sending', 'victim']));
        },
      );
      // The first attempt did fail.
      expect(failed).toBe(true);
    },
  );

  it.runIf(dialect === 'mysql')(
    'six consumers claim their own rows while new rows arrive: no claim fails, each row once',
    async () => {
      const orm = ormOf();
      const consumers = ['a', 'b', 'c', 'd', 'e', 'f'];
      const due = new Date(Date.now() - 1000);
      let n = 0;
      const add = async (count: number) => {
        const em = orm.em.fork();
        for (let i = 0; i < count; i++) {
          const c = consumers[n % consumers.length];
          em.create(OutboxMessage, {
            idempotencyKey: `consumer-${n++}`,
            topic: 't',
            recipientKind: 'system',
            recipientId: c,
            channel: 'event',
            payload: {},
            dueAt: due,
          });
        }
        await em.flush();
      };
      await add(600);
      let adding = true;
      const adder = (async () => {
        while (adding) await add(6);
      })();
      const errors: string[] = [];
      const claimer = async (c: string) => {
        const mine: number[] = [];
        for (let round = 0; round < 60; round++) {
          const now = new Date();
          try {
            const ids = await claimDue(orm.em.fork(), OutboxMessage, {
              // As an event consumer claims: due rows, and rows whose lease lapsed.
              where: {
                channel: 'event',
                recipientId: c,
                $or: [
                  { status: 'pending', dueAt: { $lte: now } },
                  { status: 'sending', leaseUntil: { $lt: now } },
                ],
              },
              claim: { status: 'sending', leaseOwner: c, leaseUntil: new Date(now.getTime() + 30_000) },
              limit: 20,
              orderBy: { dueAt: 'asc' },
            });
            mine.push(...ids);
          } catch (err) {
            errors.push((err as Error).message);
          }
        }
        return mine;
      };
      const results = await Promise.all(consumers.map(claimer));
      adding = false;
      await adder;
      expect(errors).toEqual([]);
      const all = results.flat();
      expect(all.length).toBeGreaterThan(600);
      expect(new Set(all).size).toBe(all.length);
      // Each consumer took only its own rows, and holds every row it claimed.
      const rows = await orm.em.fork().find(OutboxMessage, { id: { $in: all } });
      for (const r of rows) {
        expect(r.status).toBe('sending');
        expect(r.leaseOwner).toBe(r.recipientId);
        expect(results[consumers.indexOf(r.recipientId as string)]).toContain(r.id);
      }
    },
    120_000,
  );
});
