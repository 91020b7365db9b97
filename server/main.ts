/**
 * Process entry. `ROLES` picks what this process runs (web, worker, bot; default all), so
 * one image scales out: web instances behind a load balancer, workers elsewhere.
 */

import type { Server } from 'node:http';
import { createApp } from './app';
import { startCalendarWorker } from './features/booking/jobs';
import { startInterviewDeletionWorker } from './features/interview/recordingDeletion';
import { startMessagingJobs } from './features/messaging/jobs';
import { registerRobotStream } from './features/messaging/robotStream';
import { handleDeletionEvent, PRIVACY_DELETION_CONSUMER } from './features/privacy/erasure';
import { startRetentionWorker } from './features/privacy/retention';
import { startScoringWorker } from './features/scoring/worker';
import { inboundFor } from './features/workflow/dingtalkEvents.routes';
import { startWorkflowJobs } from './features/workflow/jobs';
import { type Config, ConfigError, loadConfig } from './kernel/config';
import { migrateUp, type Orm, openOrm } from './kernel/db/orm';
import { seedDemoCompany } from './kernel/db/seeds/seed';
import { createDingTalk } from './kernel/integrations/dingtalk';
import { createObjectStore } from './kernel/integrations/storage';
import { startConsumerWorker } from './kernel/jobs/consumerWorker';
import { categoryLogger, createLogger, type Logger } from './kernel/logger';

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
  const orm = await openOrm(config.database, { logger: categoryLogger(logger, 'db') });
  if (config.mode !== 'production') {
    const applied = await migrateUp(orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  if (config.mode === 'demo') {
    const seeded = await seedDemoCompany(orm.em);
    log.info({ seeded }, 'demo company ready');
  }
  const dingtalk = createDingTalk(config.dingtalk, categoryLogger(logger, 'dingtalk'));
  // One object store for every role (web grants and verifies uploads, workers read recordings).
  const storage = createObjectStore(config);
  let server: Server | null = null;
  let url = '';
  if (config.roles.includes('web')) {
    const app = createApp({ config, orm, logger, dingtalk, storage });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    url = `http://localhost:${port}`;
    log.info({ url, publicUrl: config.publicUrl, roles: config.roles }, 'web role listening');
  }
  // The worker and bot roles (jobs, outbox, Stream client) are registered here by later features.
  const messaging = config.roles.includes('worker')
    ? startMessagingJobs({ config, orm, dingtalk, logger })
    : null;
  // Workflow: approvals, pre-entry, reconciliation and the Stream connection for approval events.
  const workflow = config.roles.includes('worker')
    ? startWorkflowJobs({ config, orm, dingtalk, logger, inbound: inboundFor(orm) })
    : null;
  // Bot: chat commands arrive on the same Stream connection (TOPIC_ROBOT).
  if (workflow?.stream) registerRobotStream(workflow.stream, { config, orm, dingtalk, logger });
  void workflow?.stream?.connect();
  const stopScoring = config.roles.includes('worker')
    ? startScoringWorker({ config, orm, storage, logger })
    : null;
  // Interview: recordings of withdrawn consents are deleted (consumer `interview-deletion`).
  const stopDeletion = config.roles.includes('worker')
    ? startInterviewDeletionWorker({ orm, storage, logger })
    : null;
  // Privacy: deletion requests are carried out by the next run (consumer `privacy-deletion`).
  const stopErasure = config.roles.includes('worker')
    ? startConsumerWorker({
        orm,
        logger,
        category: 'storage',
        consumer: PRIVACY_DELETION_CONSUMER,
        handle: (event, em) => handleDeletionEvent(event, em, { storage, calendar: dingtalk.calendar }),
      })
    : null;
  // Retention: recordings and transcripts go a set number of days after the final decision.
  const stopRetention = config.roles.includes('worker')
    ? startRetentionWorker({ orm, storage, logger })
    : null;
  // Booking: writes live sessions into interviewers' DingTalk calendars (consumer `calendar`).
  const stopCalendar = config.roles.includes('worker')
    ? startCalendarWorker({ config, orm, dingtalk, logger })
    : null;
  return {
    config,
    orm,
    url,
    async close() {
      await stopCalendar?.();
      await stopRetention?.();
      await stopDeletion?.();
      await stopErasure?.();
      await stopScoring?.();
      await messaging?.stop();
      await workflow?.stop();
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
