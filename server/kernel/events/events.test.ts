import { expect, it } from 'vitest';
import { withUpdateFailingOnce } from '../../testing/failOnce';
import { describeEachDialect, useTestOrm } from '../../testing/harness';
import { OutboxMessage } from '../db/entities/OutboxMessage';
import type { Em } from '../db/orm';
import { asTx } from '../db/tx';
import type { Deps } from '../deps';
import { consumeEvents, PermanentError } from './consume';
import { emit } from './emit';
import { buildEventRegistry, type EventWiring } from './registry';
import type { DomainEvent } from './types';

describeEachDialect('domain events', (dialect) => {
  const seen: string[] = [];
  // A registry of its own (two consumers and one in-transaction handler on one event type), so
  // the kernel's machinery is tested apart from the product's reactions.
  const registry = buildEventRegistry([
    {
      reactions: {
        'onboarding.requested': [
          async (_tx, e) => {
            seen.push(`inTx:${e.key}`);
          },
        ],
      },
      consumers: [
        { name: 'alpha', events: ['onboarding.requested'] },
        { name: 'beta', events: ['onboarding.requested'] },
      ],
    },
  ]);
  // The handlers here use no dependencies.
  const wiring: EventWiring = { registry, deps: {} as Deps };
  const ormOf = useTestOrm(dialect);

  const sideEffect = {
    topic: 'side.effect',
    recipient: { kind: 'system' as const, id: 'nobody' },
    channel: 'test',
    payload: {},
  };

  const event = (n: number): DomainEvent<'onboarding.requested'> => ({
    type: 'onboarding.requested',
    key: `thing:${n}:done`,
    aggregate: `thing:${n}`,
    actor: null,
    data: { applicationId: n },
  });

  it('emit runs in-transaction handlers and writes one row per consumer; a rolled-back emit leaves nothing', async () => {
    const orm = ormOf();
    await orm.em.fork().transactional(async (em) => emit(em, event(1), wiring));
    await orm.em.fork().transactional(async (em) => emit(em, event(1), wiring)); // retried command
    expect(seen).toEqual(['inTx:thing:1:done', 'inTx:thing:1:done']);
    const rows = await orm.em.fork().find(OutboxMessage, {}, { orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.idempotencyKey)).toEqual(['evt:thing:1:done:alpha', 'evt:thing:1:done:beta']);
    await expect(
      orm.em.fork().transactional(async (em) => {
        await emit(em, event(2), wiring);
        throw new Error('command failed');
      }),
    ).rejects.toThrow('command failed');
    expect(await orm.em.fork().count(OutboxMessage, { aggregate: 'thing:2' })).toBe(0);
  });

  it('consumers handle their own rows once, retry with backoff, and give up visibly', async () => {
    const orm = ormOf();
    const handled: string[] = [];
    const n = await consumeEvents(orm.em, {
      consumer: 'alpha',
      workerId: 'w1',
      handle: async (e) => {
        handled.push(e.key);
      },
    });
    expect(n).toBe(1);
    expect(handled).toEqual(['thing:1:done']);
    expect(await consumeEvents(orm.em, { consumer: 'alpha', workerId: 'w1', handle: async () => {} })).toBe(
      0,
    );

    let now = new Date();
    const failing = {
      consumer: 'beta',
      workerId: 'w2',
      now: () => now,
      maxAttempts: 2,
      handle: async () => {
        throw new Error('provider down');
      },
    };
    await consumeEvents(orm.em, failing);
    let row = await orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'evt:thing:1:done:beta' });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'provider down' });
    expect(row.dueAt.getTime()).toBeGreaterThan(now.getTime());
    expect(await consumeEvents(orm.em, failing)).toBe(0); // not due yet
    now = new Date(now.getTime() + 60_000);
    await consumeEvents(orm.em, failing);
    row = await orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'evt:thing:1:done:beta' });
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });

    await orm.em.fork().transactional(async (em) => emit(em, event(3), wiring));
    await consumeEvents(orm.em, {
      consumer: 'beta',
      workerId: 'w2',
      handle: async () => {
        throw new PermanentError('bad data');
      },
    });
    row = await orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'evt:thing:3:done:beta' });
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
  });

  // The mark used to be a statement of its own after the handler's transaction had committed: a
  // mark that failed left the handler's writes in place and the row due, so the event was
  // handled twice.
  it.runIf(dialect === 'mysql')(
    "the sent mark commits with the handler's writes: a failed mark undoes them and the event is handled once",
    async () => {
      const orm = ormOf();
      await orm.em.fork().transactional(async (em) =>
        asTx(em).enqueue({
          key: 'evt:gamma-1',
          topic: 'onboarding.requested',
          recipient: { kind: 'system', id: 'gamma' },
          channel: 'event',
          payload: event(9) as unknown as Record<string, unknown>,
        }),
      );
      const failed = await withUpdateFailingOnce(
        orm,
        {
          name: 'mark_fail_once',
          table: 'outbox',
          when: "new.status = 'sent' and old.recipient_id = 'gamma'",
          error: 'the mark failed',
        },
        async () => {
          let now = new Date();
          let handled = 0;
          const gamma = {
            consumer: 'gamma',
            workerId: 'w3',
            now: () => now,
            // Each handling leaves a row of its own behind, if it commits.
            handle: async (_e: DomainEvent, em: Em) =>
              asTx(em).enqueue({ ...sideEffect, key: `side:${++handled}` }),
          };
          expect(await consumeEvents(orm.em, gamma)).toBe(0);
          const row = await orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'evt:gamma-1' });
          expect(row).toMatchObject({
            status: 'pending',
            attempts: 1,
            lastError: expect.stringContaining('the mark failed'),
          });
          now = new Date(now.getTime() + 60_000);
          expect(await consumeEvents(orm.em, gamma)).toBe(1);
          expect(handled).toBe(2);
          const side = await orm.em.fork().find(OutboxMessage, { topic: 'side.effect' });
          expect(side.map((r) => r.idempotencyKey)).toEqual(['side:2']);
          expect(
            await orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'evt:gamma-1' }),
          ).toMatchObject({
            status: 'sent',
            attempts: 2,
          });
        },
      );
      expect(failed).toBe(true);
    },
  );

  it.runIf(dialect === 'mysql')(
    "a handler's transaction runs at READ COMMITTED (its writes keep no gap locks to its commit)",
    async () => {
      const orm = ormOf();
      await orm.em.fork().transactional(async (em) =>
        asTx(em).enqueue({
          key: 'evt:epsilon-1',
          topic: 'onboarding.requested',
          recipient: { kind: 'system', id: 'epsilon' },
          channel: 'event',
          payload: event(30) as unknown as Record<string, unknown>,
        }),
      );
      const levels: string[] = [];
      expect(
        await consumeEvents(orm.em, {
          consumer: 'epsilon',
          workerId: 'w7',
          handle: async (_e, em) => {
            await asTx(em).enqueue({ ...sideEffect, key: 'side:epsilon' });
            const rows = await em.execute<Array<{ level: string }>>(
              'select trx_isolation_level as level from information_schema.innodb_trx where trx_mysql_thread_id = connection_id()',
            );
            levels.push(...rows.map((r) => r.level));
          },
        }),
      ).toBe(1);
      expect(levels).toEqual(['READ COMMITTED']);
    },
  );

  const addDelta = (n: number) =>
    ormOf()
      .em.fork()
      .transactional(async (em) =>
        asTx(em).enqueue({
          key: `evt:delta-${n}`,
          topic: 'onboarding.requested',
          recipient: { kind: 'system', id: 'delta' },
          channel: 'event',
          payload: event(20 + n) as unknown as Record<string, unknown>,
        }),
      );

  it('a consumer does not start a row near the end of its lease', async () => {
    const orm = ormOf();
    await addDelta(1);
    await addDelta(2);
    let now = new Date();
    const handled: string[] = [];
    // The first handling takes the whole lease: the second row is not started.
    expect(
      await consumeEvents(orm.em, {
        consumer: 'delta',
        workerId: 'w4',
        now: () => now,
        leaseMs: 30_000,
        handle: async (e) => {
          handled.push(e.key);
          now = new Date(now.getTime() + 29_500);
        },
      }),
    ).toBe(1);
    expect(handled).toEqual(['thing:21:done']);
    const second = await orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'evt:delta-2' });
    expect(second).toMatchObject({ status: 'sending', leaseOwner: 'w4' });
  });

  // MariaDB only: on SQLite the handler's transaction holds the one writer, so no other worker
  // could take the row over meanwhile.
  it.runIf(dialect === 'mysql')(
    'a row another worker takes over mid-handling is left to it: the handling rolls back',
    async () => {
      const orm = ormOf();
      await addDelta(3);
      const now = new Date();
      expect(
        await consumeEvents(orm.em, {
          consumer: 'delta',
          workerId: 'w5',
          now: () => now,
          handle: async (_e, em) => {
            await asTx(em).enqueue({ ...sideEffect, key: 'side:w5' });
            await orm.em
              .fork()
              .nativeUpdate(OutboxMessage, { idempotencyKey: 'evt:delta-3' }, { leaseOwner: 'w6' });
          },
        }),
      ).toBe(0);
      expect(await orm.em.fork().count(OutboxMessage, { idempotencyKey: 'side:w5' })).toBe(0);
      expect(
        await orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: 'evt:delta-3' }),
      ).toMatchObject({
        status: 'sending',
        leaseOwner: 'w6',
        lastError: null,
      });
    },
  );
});
