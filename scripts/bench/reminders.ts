/**
 * `npm run bench -- reminders [--count=100000] [--window=600] [--workers=3] [--tick=1] [--poll=100] [--concurrency=16]`
 *
 * `count` reminders due evenly over `window` seconds, delivered by `workers` real worker
 * processes (server/testing/workerProcess.ts) against MariaDB and the sandbox (robot 1:1).
 * Reports messages/s, lag from due time to delivery (p50/p99/max, from the rows' dueAt and
 * sentAt), sandbox-side duplicates/missing, and as the floor the raw claim-and-update rate of
 * MariaDB measured in the same run (three claimers, SKIP LOCKED claim + UPDATE sent, no HTTP).
 *
 * The sandbox's 20 calls/s per-app quota is lifted: at DingTalk's real quota 100,000 robot
 * messages take 83 minutes whatever the queue does; this measures the queue.
 * Needs MYSQL_URL (default mysql://root@127.0.0.1:3306/test).
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { OutboxMessage } from '../../server/kernel/db/entities/OutboxMessage';
import { openOrm } from '../../server/kernel/db/orm';
import { claimDue } from '../../server/kernel/jobs/claim';
import { seedMessages, startWorkers, stopWorkers } from '../../server/testing/cluster';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { chatOf } from '../sandbox/modules/robot';
import { startSandbox } from '../sandbox/server';
import { arg, percentile, report } from './report';

/** CPU seconds (user + system) a process has used, from /proc; 0 where /proc is missing. */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** The database server's pid, when it runs on this machine. */
function mysqldPid(): number | undefined {
  for (const name of ['mariadbd', 'mysqld']) {
    const r = spawnSync('pidof', [name], { encoding: 'utf8' });
    const pid = Number(r.stdout?.trim().split(/\s+/)[0]);
    if (pid) return pid;
  }
  return undefined;
}

const USERS = ['int01', 'int02', 'int03', 'int04', 'mgr01', 'mgr02', 'hr01', 'hr02'];

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const count = arg(args, 'count', 100_000);
  const windowS = arg(args, 'window', 600);
  const nWorkers = arg(args, 'workers', 3);
  const tick = arg(args, 'tick', 1);
  // While busy the sender polls every `poll` ms instead of waiting for the tick (DELIVERY_BUSY_POLL_MS).
  const poll = arg(args, 'poll', 100);
  const concurrency = arg(args, 'concurrency', 16);
  process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  process.env.TEST_SCHEMA_SYNC = '1';
  const { db, drop } = await createTestDatabase('mysql');
  const orm = await openOrm(db);
  const sandbox = await startSandbox({ appUrl: 'http://localhost:1', qpsLimit: 1_000_000 });
  let workers: Awaited<ReturnType<typeof startWorkers>> = [];
  try {
    await migrateDb(orm);

    // Floor: raw claim-and-update rate of MariaDB, three concurrent claimers, no HTTP.
    const floorN = Math.min(30_000, count);
    await seedMessages(orm.em, floorN, {
      prefix: 'floor',
      userIds: USERS,
      dueAt: () => new Date(Date.now() - 1000),
    });
    const floorStart = performance.now();
    await Promise.all(
      [1, 2, 3].map(async (w) => {
        for (;;) {
          const ids = await claimDue(orm.em.fork(), OutboxMessage, {
            where: { status: 'pending', dueAt: { $lte: new Date() } },
            claim: { status: 'sending', leaseOwner: `floor-${w}`, leaseUntil: new Date(Date.now() + 30_000) },
            limit: 100,
            orderBy: { dueAt: 'asc' },
          }).catch(() => [0]);
          if (!ids.length) return;
          await orm.em
            .fork()
            .nativeUpdate(
              OutboxMessage,
              { id: { $in: ids }, leaseOwner: `floor-${w}` },
              { status: 'sent', sentAt: new Date() },
            );
        }
      }),
    );
    const floorRate = floorN / ((performance.now() - floorStart) / 1000);
    await orm.em.fork().nativeDelete(OutboxMessage, {});

    // Seed far in the future, start the workers, then shift every due time so the window starts now.
    const far = Date.now() + 86_400_000;
    await seedMessages(orm.em, count, {
      prefix: 'rem',
      userIds: USERS,
      dueAt: (i) => new Date(far + Math.floor((i / count) * windowS * 1000)),
    });
    workers = await startWorkers(nWorkers, {
      DATABASE_URL: db.url,
      SANDBOX_URL: sandbox.url,
      DB_POOL_MAX: '5',
      DELIVERY_TICK_SECONDS: String(tick),
      DELIVERY_BATCH: '100',
      DELIVERY_BUSY_POLL_MS: String(poll),
      DELIVERY_CONCURRENCY: String(concurrency),
      DELIVERY_LEASE_SECONDS: '30',
      DELIVERY_APP_QPS: '100000',
    });
    const t0 = Date.now() + 2000;
    // CPU spent per message, by process: tells where the cost is even on a shared machine.
    const dbPid = mysqldPid();
    const cpu0 = {
      workers: workers.reduce((a, w) => a + cpuSecondsOf(w.child.pid), 0),
      here: process.cpuUsage(),
      db: cpuSecondsOf(dbPid),
    };
    await orm.em
      .getConnection()
      .execute('update outbox set due_at = timestampadd(microsecond, ?, due_at)', [(t0 - far) * 1000]);
    const deadline = t0 + windowS * 1000 + 180_000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent = await orm.em.fork().count(OutboxMessage, { status: 'sent' });
      if (sent >= count) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const hereUsage = process.cpuUsage(cpu0.here);
    const cpu = {
      workers: workers.reduce((a, w) => a + cpuSecondsOf(w.child.pid), 0) - cpu0.workers,
      here: (hereUsage.user + hereUsage.system) / 1e6,
      db: cpuSecondsOf(dbPid) - cpu0.db,
    };
    const perMessageMs = (s: number) => Math.round((s / Math.max(1, sent)) * 1000 * 100) / 100;
    const rows = await orm.em
      .getConnection()
      .execute<Array<{ due_at: Date; sent_at: Date | null }>>('select due_at, sent_at from outbox');
    const lags = rows
      .filter((r) => r.sent_at)
      .map((r) => new Date(r.sent_at as Date).getTime() - new Date(r.due_at).getTime());
    const lastSent = Math.max(
      ...rows.filter((r) => r.sent_at).map((r) => new Date(r.sent_at as Date).getTime()),
    );
    const seen = new Map<string, number>();
    for (const m of chatOf(sandbox.state).messages) seen.set(m.text, (seen.get(m.text) ?? 0) + 1);
    const duplicates = [...seen.values()].reduce((a, c) => a + c - 1, 0);
    const perSecond = new Map<number, number>();
    for (const r of rows)
      if (r.sent_at) {
        const s = Math.floor(new Date(r.sent_at).getTime() / 1000);
        perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
      }
    report(
      'reminders',
      [
        { metric: 'reminders', value: count },
        { metric: 'window (s, due evenly over it)', value: windowS },
        { metric: 'workers (processes)', value: nWorkers },
        { metric: 'tick (s)', value: tick },
        { metric: 'busy poll (ms)', value: poll },
        { metric: 'sends in flight per worker', value: concurrency },
        { metric: 'delivered (rows sent)', value: sent },
        { metric: 'sandbox distinct messages', value: seen.size },
        { metric: 'duplicates', value: duplicates },
        { metric: 'missing', value: count - seen.size },
        { metric: 'arrival rate (msg/s)', value: Math.round(count / windowS) },
        { metric: 'delivered msg/s (run average)', value: Math.round(sent / ((lastSent - t0) / 1000)) },
        { metric: 'delivered msg/s (peak second)', value: Math.max(...perSecond.values()) },
        { metric: 'lag p50 (ms)', value: percentile(lags, 50) },
        { metric: 'lag p99 (ms)', value: percentile(lags, 99) },
        { metric: 'lag max (ms)', value: Math.max(...lags) },
        { metric: 'floor: MariaDB claim+update rows/s (3 claimers)', value: Math.round(floorRate) },
        { metric: 'CPU ms per message: worker processes', value: perMessageMs(cpu.workers) },
        { metric: 'CPU ms per message: sandbox (this process)', value: perMessageMs(cpu.here) },
        { metric: 'CPU ms per message: MariaDB', value: perMessageMs(cpu.db) },
      ],
      { count, windowS, nWorkers, tick, poll, concurrency },
    );
  } finally {
    await stopWorkers(workers);
    await orm.close(true);
    await sandbox.close();
    await drop();
  }
}
