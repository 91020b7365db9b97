/**
 * Process entry. `ROLES` picks what this process runs (web, worker, bot; default all), so
 * one image scales out: web instances behind a load balancer, workers elsewhere.
 */

import type { Server } from 'node:http';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './kernel/config';
import { migrateUp, type Orm, openOrm } from './kernel/db/orm';
import { seedDemoCompany, seedEmptyOrganisation } from './kernel/db/seeds/seed';
import { createDingTalk } from './kernel/integrations/dingtalk';
import { createObjectStore } from './kernel/integrations/storage';
import { type RunningJobs, startJobs } from './kernel/jobs/registry';
import { categoryLogger, createLogger, type Logger } from './kernel/logger';
import { lowerOwnPriority, setToolNiceness } from './kernel/proc/priority';
import { createRuntime, startStream } from './runtime';

/** A running server process. */
export interface RunningServer {
  config: Config;
  orm: Orm;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the configured roles. In demo mode the database is migrated and seeded at start-up;
 * in production migrations are an explicit `npm run db:migrate` step.
 */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
): Promise<RunningServer> {
  const log = categoryLogger(logger, 'app');
  // The migrator loads only if this process migrates (not in production: see above).
  // Tools the workers start (ffmpeg, OCR) yield the CPU to request handling (kernel/proc/priority.ts).
  setToolNiceness(config.tools.niceness);
  // A process that answers no HTTP requests lowers its own priority before it starts any work,
  // so every thread it starts later inherits the value (kernel/proc/priority.ts).
  const nice = lowerOwnPriority(config.roles, config.workerNiceness);
  if (nice !== null) log.info({ nice }, 'background process: CPU priority lowered');
  const orm = await openOrm(config.database, { logger: categoryLogger(logger, 'db'), migrator: false });
  if (config.mode !== 'production') {
    const applied = await migrateUp(orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  if (config.mode === 'demo' && config.demoSeed === 'empty') {
    // The empty start (`npm run demo -- --empty`): no jobs, candidates or roles. DingTalk's main
    // admin becomes the first admin on first sign-in; the rest comes from "sync now".
    await seedEmptyOrganisation(orm.em, config.dingtalk.corpId);
    log.info('empty product: only the DingTalk organisation (sign in as its main admin, then sync)');
  } else if (config.mode === 'demo') {
    const seeded = await seedDemoCompany(orm.em);
    log.info({ seeded }, 'demo company ready');
  }
  const dingtalk = createDingTalk(config.dingtalk, categoryLogger(logger, 'dingtalk'));
  // One object store for every role (web grants and verifies uploads, workers read recordings).
  const storage = createObjectStore(config);
  // The features' declarations become this process's registries, wired to its database.
  const runtime = createRuntime({ config, orm, logger, dingtalk, storage });
  let server: Server | null = null;
  let url = '';
  if (config.roles.includes('web')) {
    const app = createApp(runtime.deps);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
    });
    // Idle connections outlive the load balancer's (HTTP_KEEPALIVE_SECONDS, 65 s; Node's own
    // default is 5 s). nginx keeps upstream connections for 60 s and reuses an idle one:
    // with a shorter timeout here it can send a request on a connection this process is
    // closing, and a POST then fails with 502. Kept open, a burst of requests (a question
    // served to many candidates at once) also finds its connections already there.
    server.keepAliveTimeout = config.httpKeepAliveSeconds * 1000;
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    url = `http://localhost:${port}`;
    log.info({ url, publicUrl: config.publicUrl, roles: config.roles }, 'web role listening');
  }
  // Scheduled work and event consumers of the roles this process runs (declared by the features).
  const jobs: RunningJobs = startJobs(runtime.jobs, runtime.deps, config.roles);
  if (jobs.names.length) log.info({ jobs: jobs.names }, 'jobs started');
  // Stream mode: DingTalk's events (worker role) and robot messages (bot role) on one connection.
  const stream = startStream(runtime, config.roles, () => jobs.wakeConsumers());
  return {
    config,
    orm,
    url,
    async close() {
      stream?.close();
      await jobs.stop();
      if (server) {
        server.closeAllConnections?.();
        await new Promise<void>((r) => server?.close(() => r()));
      }
      await orm.close(true);
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const running = await startServer(config);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
