/**
 * A standalone outbox-sender process, used by the exactly-once test and the reminders
 * benchmark to run several real workers against one database. Configuration comes from the
 * environment like the server's (`DATABASE_URL`, `SANDBOX_URL`, `DELIVERY_*`). It wakes every
 * `DELIVERY_TICK_SECONDS`, drains what is due, prints a JSON line of counts per wake that sent
 * something, and exits on SIGTERM after the current wake.
 */

import { DeliveryWorker } from '../features/messaging/worker';
import { loadConfig } from '../kernel/config';
import { openOrm } from '../kernel/db/orm';
import { createDingTalk } from '../kernel/integrations/dingtalk';
import { newWorkerId } from '../kernel/jobs/registry';
import { createLogger } from '../kernel/logger';

const config = loadConfig({ APP_MODE: 'test', LOG_LEVEL: 'silent', ...process.env });
const logger = createLogger(config.logLevel);
const orm = await openOrm(config.database);
const dingtalk = createDingTalk(config.dingtalk, logger, { throttleDelayMs: 50 });
const worker = new DeliveryWorker(
  { config, em: orm.em, dingtalk, log: logger },
  { workerId: process.env.WORKER_ID ?? newWorkerId() },
);
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});
process.stdout.write(`${JSON.stringify({ ready: worker.opts.workerId })}\n`);
while (!stopping) {
  const started = Date.now();
  try {
    const r = await worker.drainWhileBusy(30_000, config.delivery.busyPollMs);
    if (r.claimed) process.stdout.write(`${JSON.stringify(r)}\n`);
  } catch (err) {
    // A database hiccup must not end the worker: the rows stay leased and are retried.
    process.stderr.write(`worker ${worker.opts.workerId}: ${(err as Error).message}\n`);
  }
  const wait = config.delivery.tickSeconds * 1000 - (Date.now() - started);
  if (wait > 0) await new Promise((res) => setTimeout(res, wait));
}
await orm.close(true);
process.exit(0);
