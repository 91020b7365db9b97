import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { OutboxMessage } from './entities/OutboxMessage';
import { inTransaction, query } from './tx';

/**
 * The plain-SQL transaction seam on both dialects (MariaDB: raw mysql2 with batched round
 * trips; SQLite: the ORM). Same observable behaviour either way.
 */
describeEachDialect('Tx', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const entry = (key: string) => ({
    key,
    topic: 'test.topic',
    aggregate: `test:${key}`,
    recipient: { kind: 'system' as const, id: 'tests' },
    channel: 'event',
    payload: { text: '你好', n: 1 },
  });
  const outbox = (key: string) => t.orm.em.fork().find(OutboxMessage, { idempotencyKey: key });

  it('outbox and audit rows commit with the transaction; a key already written is kept, not duplicated', async () => {
    await inTransaction(t.orm.em, async (tx) => {
      await tx.enqueue(entry('tx-a'));
      tx.audit(null, 'test.done', { type: 'test', id: 'a' }, { ok: true });
    });
    await inTransaction(t.orm.em, async (tx) => {
      await tx.enqueue({ ...entry('tx-a'), topic: 'other' });
      await tx.enqueue(entry('tx-b'));
    });
    const a = await outbox('tx-a');
    expect(a).toHaveLength(1);
    expect(a[0].topic).toBe('test.topic');
    expect(a[0].payload).toEqual({ text: '你好', n: 1 });
    expect(await outbox('tx-b')).toHaveLength(1);
    const audit = await query<{ details: unknown }>(
      t.orm.em,
      "select details from audit_log where action = 'test.done'",
    );
    expect(audit).toHaveLength(1);
  });

  // MariaDB only: SQLite has one writer and no isolation levels to choose from.
  it.runIf(dialect === 'mysql')(
    'readCommitted: a read sees a row committed meanwhile; the next transaction on the pool is repeatable again',
    async () => {
      const title = async (tx: Parameters<Parameters<typeof inTransaction>[1]>[0]) =>
        (await tx.all<{ title: string }>("select title from jobs where slug = 'sales'"))[0].title;
      const [{ title: before }] = await query<{ title: string }>(
        t.orm.em,
        "select title from jobs where slug = 'sales'",
      );
      // Between two reads of one transaction, another connection commits a new title.
      const twoReads = (opts: { readCommitted?: boolean }, next: string) =>
        inTransaction(
          t.orm.em,
          async (tx) => {
            const first = await title(tx);
            await query(t.orm.em, "update jobs set title = ? where slug = 'sales'", [next]);
            return [first, await title(tx)];
          },
          opts,
        );
      try {
        expect(await twoReads({ readCommitted: true }, 'rc-1')).toEqual([before, 'rc-1']);
        // The level was for that transaction only: whichever pooled connection runs the next
        // ones (several, to meet the one that ran it), their reads repeat.
        let current = 'rc-1';
        for (const next of ['rr-2', 'rr-3', 'rr-4', 'rr-5']) {
          expect(await twoReads({}, next)).toEqual([current, current]);
          current = next;
        }
      } finally {
        await query(t.orm.em, "update jobs set title = ? where slug = 'sales'", [before]);
      }
    },
  );

  it('an error rolls back everything, including statements already sent and collected rows', async () => {
    await expect(
      inTransaction(t.orm.em, async (tx) => {
        await tx.run("update jobs set title = 'changed' where slug = 'sales'");
        await tx.enqueue(entry('tx-rolled-back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await outbox('tx-rolled-back')).toHaveLength(0);
    const [job] = await query<{ title: string }>(t.orm.em, "select title from jobs where slug = 'sales'");
    expect(job.title).not.toBe('changed');
  });

  it('a failed checked write fails the transaction (even when its check is only sent with the commit)', async () => {
    const conflict = new Error('lost the compare-and-swap');
    await expect(
      inTransaction(t.orm.em, async (tx) => {
        await tx.enqueue(entry('tx-checked'));
        await tx.runChecked("update jobs set title = title where slug = 'no-such-job'", [], (r) =>
          r.affectedRows === 1 ? null : conflict,
        );
      }),
    ).rejects.toBe(conflict);
    expect(await outbox('tx-checked')).toHaveLength(0);
    // A passing check commits.
    await inTransaction(t.orm.em, async (tx) => {
      await tx.enqueue(entry('tx-checked-ok'));
      await tx.runChecked("update jobs set updated_at = updated_at where slug = 'sales'", [], (r) =>
        r.affectedRows === 1 ? null : conflict,
      );
    });
    expect(await outbox('tx-checked-ok')).toHaveLength(1);
  });

  it('a prefetched read answers the later read, and a write in between makes it read again', async () => {
    const read: [string, unknown[]] = ["select title from jobs where slug = 'backend'", []];
    const titles = await inTransaction(t.orm.em, async (tx) => {
      tx.prefetch([read]);
      await tx.run("update jobs set title = 'Backend A' where slug = 'backend'");
      const first = await tx.all<{ title: string }>(...read);
      tx.prefetch([read]);
      await tx.all('select 1 as one');
      await tx.run("update jobs set title = 'Backend B' where slug = 'backend'");
      const second = await tx.all<{ title: string }>(...read);
      return [first[0].title, second[0].title];
    });
    // The first read saw the write sent in the same round trip; the second saw the later write.
    expect(titles).toEqual(['Backend A', 'Backend B']);
  });

  it('prefetched reads of one statement text are kept per parameters; an outbox entry makes a read of it stale', async () => {
    const bySlug = 'select slug, title from jobs where slug = ?';
    const keyed = "select idempotency_key from outbox where idempotency_key = 'tx-prefetch'";
    const seen = await inTransaction(t.orm.em, async (tx) => {
      await tx.run("update jobs set title = 'Sales P' where slug = 'sales'");
      tx.prefetch([
        [bySlug, ['sales']],
        [bySlug, ['backend']],
        [keyed, []],
      ]);
      await tx.all('select 1 as one');
      const backend = await tx.all<{ slug: string }>(bySlug, ['backend']);
      const sales = await tx.all<{ slug: string; title: string }>(bySlug, ['sales']);
      // On MySQL the entry makes the prefetched read naming the outbox stale: it is read again,
      // after the entry's insert (SQLite's path writes the outbox with the commit).
      await tx.enqueue(entry('tx-prefetch'));
      const outboxRows = dialect === 'mysql' ? (await tx.all(keyed)).length : null;
      // A later write to the table is seen by the same read.
      await tx.run("update jobs set title = 'Sales Q' where slug = 'sales'");
      const again = await tx.all<{ title: string }>(bySlug, ['sales']);
      return [backend[0].slug, sales[0].slug, sales[0].title, outboxRows, again[0].title];
    });
    expect(seen).toEqual(['backend', 'sales', 'Sales P', dialect === 'mysql' ? 1 : null, 'Sales Q']);
  });

  it('database errors surface as the ORM exception classes (unique violation)', async () => {
    const [job] = await query<{ id: number; slug: string }>(
      t.orm.em,
      "select id, slug from jobs where slug = 'sales'",
    );
    await expect(
      inTransaction(t.orm.em, async (tx) => {
        await tx.run('update jobs set slug = ? where id <> ? and slug = ?', ['sales', job.id, 'backend']);
      }),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(dialect === 'mysql' || dialect === 'sqlite').toBe(true);
  });
});
