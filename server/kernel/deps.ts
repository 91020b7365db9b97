/**
 * What a process builds once at start-up and hands to everything that runs in it: HTTP
 * handlers (as `ctx.deps`), in-transaction event handlers, event consumers and scheduled jobs.
 * Settings and clients reach code through this object, never through module-level state, so a
 * test can run several apps (each with its own database, sandbox and clock) in one process.
 */
import type { Config } from './config';
import type { Orm } from './db/orm';
import type { InboundDispatcher } from './events/inbound';
import type { DingTalk } from './integrations/dingtalk';
import type { AppObjectStore } from './integrations/storage';
import type { Logger } from './logger';

/** The process's dependencies. */
export interface Deps {
  config: Config;
  orm: Orm;
  logger: Logger;
  dingtalk: DingTalk;
  /** Object storage for interview media (local disk or OSS). */
  storage: AppObjectStore;
  /** The one handler of DingTalk's inbound events (HTTP callback, Stream, reconciliation). */
  inbound: InboundDispatcher;
  /** Clock, injectable for expiry tests. */
  now?: () => Date;
}
