/**
 * Runs one asynchronous event consumer on the worker role: a timer wakes it, the database
 * decides who handles which row (leases, SKIP LOCKED; see events/consume.ts), so any number of
 * worker processes can run it.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Em, Orm } from '../db/orm';
import { consumeEvents } from '../events/consume';
import type { DomainEvent } from '../events/types';
import { categoryLogger, type Logger } from '../logger';

/** Starts the consumer; the returned function stops it after the current run. */
export function startConsumerWorker(d: {
  orm: Orm;
  logger: Logger;
  category: Parameters<typeof categoryLogger>[1];
  consumer: string;
  handle: (event: DomainEvent, em: Em) => Promise<void>;
  intervalMs?: number;
}): () => Promise<void> {
  const log = categoryLogger(d.logger, d.category);
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const tick = () => {
    if (stopped || busy) return;
    busy = true;
    running = consumeEvents(d.orm.em.fork(), { consumer: d.consumer, workerId, log, handle: d.handle })
      .catch((err) => log.error({ err: (err as Error).message }, `${d.consumer} tick failed`))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, d.intervalMs ?? 10_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
