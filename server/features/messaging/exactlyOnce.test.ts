import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { type Orm, openOrm } from '../../kernel/db/orm';
import { seedMessages, startWorkers, stopWorkers, type WorkerProc } from '../../testing/cluster';
import { createTestDatabase, migrateDb } from '../../testing/harness';
import { startTestSandbox, type TestSandbox } from '../../testing/sandbox';

const N = 10_000;
const USERS = ['int01', 'int02', 'int03', 'int04', 'mgr01', 'mgr02', 'hr01', 'hr02'];

/** Counts the sandbox's received robot messages per marker `#<i>#`. */
async function received(sandbox: TestSandbox): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  for (const m of await sandbox.client.chatMessages()) {
    const i = Number(/#(\d+)#/.exec(m.text)?.[1] ?? Number.NaN);
    if (!Number.isNaN(i)) seen.set(i, (seen.get(i) ?? 0) + 1);
  }
  return seen;
}

// Several processes need a server database: MariaDB only.
describe.skipIf(!process.env.MYSQL_URL)('exactly-once delivery, three worker processes [mysql]', () => {
  let orm: Orm;
  let drop: () => Promise<void>;
  let sandbox: TestSandbox;
  let workers: WorkerProc[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('mysql');
    drop = db.drop;
    orm = await openOrm(db.db);
    await migrateDb(orm);
    // DingTalk allows 20 calls/s per app; lifted here so the test measures the queue, not the quota.
    sandbox = await startTestSandbox({ qpsLimit: 1_000_000 });
    await seedMessages(orm.em, N, { prefix: 'eo', userIds: USERS, dueAt: () => new Date(Date.now() - 1000) });
    workers = await startWorkers(3, {
      DATABASE_URL: (db.db as { url: string }).url,
      SANDBOX_URL: sandbox.url,
      DB_POOL_MAX: '5',
      DELIVERY_TICK_SECONDS: '0.2',
      DELIVERY_BATCH: '100',
      DELIVERY_CONCURRENCY: '16',
      DELIVERY_LEASE_SECONDS: '4',
      DELIVERY_APP_QPS: '100000',
    });
  }, 120_000);

  afterAll(async () => {
    await stopWorkers(workers);
    await orm?.close(true);
    await sandbox?.close();
    await drop?.();
  });

  it('10,000 due reminders: all delivered, none missing; a worker killed mid-batch loses nothing and duplicates at most its in-flight sends', async () => {
    const started = Date.now();
    // Kill worker 1 with SIGKILL mid-batch: once deliveries are flowing and it holds claimed rows.
    let heldByKilled = 0;
    while (Date.now() - started < 60_000) {
      // Message sequence numbers start at 1: one past 1999 means at least 2000 arrived.
      if ((await sandbox.client.chatMessages({ since: 1999, limit: 1 })).length > 0) {
        heldByKilled = await orm.em
          .fork()
          .count(OutboxMessage, { status: 'sending', leaseOwner: 'worker-1' });
        if (heldByKilled > 0) break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    workers[0].child.kill('SIGKILL');
    await workers[0].exited;

    let sent = 0;
    while (Date.now() - started < 90_000) {
      sent = await orm.em.fork().count(OutboxMessage, { status: 'sent' });
      if (sent === N) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    expect(sent).toBe(N);
    expect(await orm.em.fork().count(OutboxMessage, { status: { $ne: 'sent' } })).toBe(0);

    const seen = await received(sandbox);
    const missing = N - seen.size;
    const duplicates = [...seen.values()].reduce((a, c) => a + c - 1, 0);
    process.stdout.write(
      `exactly-once: ${N} rows, ${seen.size} distinct delivered, missing ${missing}, duplicates ${duplicates} ` +
        `(rows held by the killed worker at kill: ${heldByKilled}), ${seconds.toFixed(1)} s, ` +
        `per worker sent ${workers.map((w) => `${w.id}=${w.counts.sent}`).join(' ')}\n`,
    );
    expect(missing).toBe(0);
    // The kill really happened mid-batch, and those rows were taken over after the lease.
    expect(heldByKilled).toBeGreaterThan(0);
    // batchSendOTO has no idempotency key: only sends in flight at the kill (≤ concurrency 16)
    // can repeat. Surviving workers never duplicate.
    expect(duplicates).toBeLessThanOrEqual(16);
  }, 120_000);
});
