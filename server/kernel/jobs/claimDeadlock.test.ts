import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/harness';
import { OutboxMessage } from '../db/entities/OutboxMessage';
import { migrateUp, type Orm, openOrm } from '../db/orm';
import { claimDue } from './claim';

/**
 * Claims of different consumers at once, as the worker runs them (each event consumer claims its
 * own due rows and rows whose lease lapsed), while new rows arrive. Under REPEATABLE READ about
 * one claim in six deadlocked here (gap locks of the status index); see `claim.ts`.
 */
describe.runIf(process.env.MYSQL_URL)('claims of different consumers at once [mysql]', () => {
  let orm: Orm;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase('mysql');
    drop = created.drop;
    orm = await openOrm(created.db);
    await migrateUp(orm);
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('six consumers claim their own rows while new rows arrive: no claim fails, each row once', async () => {
    const consumers = ['a', 'b', 'c', 'd', 'e', 'f'];
    const due = new Date(Date.now() - 1000);
    let n = 0;
    const add = async (count: number) => {
      const em = orm.em.fork();
      for (let i = 0; i < count; i++) {
        const c = consumers[n % consumers.length];
        em.create(OutboxMessage, {
          idempotencyKey: `k${n++}`,
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
  }, 120_000);
});
