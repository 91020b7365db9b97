/**
 * The worker role's messaging jobs. node-cron only wakes the process; the database decides who
 * works (leased claims), so running this in any number of processes is safe: each wake drains
 * what is due, the bot consumer turns events into messages, and the 09:00 digests are keyed by
 * date so they are written once however many instances fire.
 */
import cron from 'node-cron';
import type { Config } from '../../kernel/config';
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import type { Orm } from '../../kernel/db/orm';
import { consumeEvents } from '../../kernel/events/consume';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { categoryLogger, type Logger } from '../../kernel/logger';
import { BOT_CONSUMER, handleBotEvent } from './consumer';
import { enqueueAgreementAlerts, enqueueDailyDigests } from './digests';
import { configureNotifications } from './settings';
import { sweepInvitations } from './sweeps';
import { DeliveryWorker, newWorkerId } from './worker';

/** A running set of jobs. */
export interface RunningJobs {
  worker: DeliveryWorker;
  stop(): Promise<void>;
}

/** Starts the outbox sender, the bot event consumer and the daily digests. */
export function startMessagingJobs(deps: {
  config: Config;
  orm: Orm;
  dingtalk: DingTalk;
  logger: Logger;
}): RunningJobs {
  const log = categoryLogger(deps.logger, 'bot');
  configureNotifications(deps.config.notifications);
  const workerId = newWorkerId();
  const worker = new DeliveryWorker(
    { config: deps.config, em: deps.orm.em, dingtalk: deps.dingtalk, log },
    { workerId },
  );
  let busy = false;
  let stopped = false;
  const wake = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      // Events first: a message they produce with "now" as due time goes out in the same wake.
      while (
        (await consumeEvents(deps.orm.em, {
          consumer: BOT_CONSUMER,
          workerId,
          handle: handleBotEvent,
          log,
          limit: 50,
        })) === 50
      ) {}
      await worker.drain(30_000);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'messaging wake failed');
    } finally {
      busy = false;
    }
  };
  const tick = deps.config.delivery.tickSeconds;
  const tasks: Array<{ stop(): void | Promise<void> }> = [];
  if (tick >= 1 && Number.isInteger(tick))
    tasks.push(cron.schedule(`*/${tick} * * * * *`, wake, { noOverlap: true }));
  else {
    const h = setInterval(wake, tick * 1000);
    tasks.push({ stop: () => clearInterval(h) });
  }
  const digest = async () => {
    try {
      const org = await deps.orm.em.fork().findOne(OrgSettings, {});
      const n = await enqueueDailyDigests(deps.orm.em.fork(), new Date(), org?.timezone ?? 'Asia/Shanghai');
      log.info({ rows: n }, 'daily digests enqueued');
      const alerts = await enqueueAgreementAlerts(
        deps.orm.em.fork(),
        new Date(),
        org?.timezone ?? 'Asia/Shanghai',
      );
      if (alerts) log.warn({ rows: alerts }, 'AI-vs-human agreement alerts enqueued');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'daily digests failed');
    }
  };
  tasks.push(cron.schedule('0 9 * * *', digest, { timezone: 'Asia/Shanghai', noOverlap: true }));
  // Invitation messages and deadline nudges (no event announces an invitation).
  const sweep = async () => {
    try {
      await sweepInvitations(deps.orm.em.fork(), new Date(), deps.config.session.secret);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'invitation sweep failed');
    }
  };
  tasks.push(cron.schedule('30 * * * * *', sweep, { noOverlap: true }));
  log.info({ workerId, tickSeconds: tick }, 'messaging jobs started');
  return {
    worker,
    async stop() {
      stopped = true;
      for (const t of tasks) await t.stop();
      while (busy) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
