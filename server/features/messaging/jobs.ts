/**
 * The messaging feature's scheduled work (worker role), declared as data. node-cron only wakes
 * the process; the database decides who works (leased claims), so running these in any number
 * of processes is safe: each wake drains what is due, the bot consumer turns events into
 * messages, and the 09:00 digests are keyed by date so they are written once however many
 * instances fire.
 */
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import { defineConsumer, defineJob, drainConsumer } from '../../kernel/jobs/registry';
import { categoryLogger } from '../../kernel/logger';
import { BOT_CONSUMER, BOT_EVENT_TYPES, handleBotEvent } from './consumer';
import { enqueueAgreementAlerts, enqueueDailyDigests } from './digests';
import { sweepInvitations } from './sweeps';
import { DeliveryWorker } from './worker';

/**
 * The `bot` consumer: events other than bookings become message rows. No timer of its own:
 * the delivery job drains it first, so a message it produces with "now" as its due time goes
 * out in the same wake.
 */
export const botConsumer = defineConsumer({
  name: BOT_CONSUMER,
  events: BOT_EVENT_TYPES,
  category: 'bot',
  schedule: null,
  handle: (event, em, deps) => handleBotEvent(event, em, deps.config.notifications),
});

/** The messaging jobs. */
export const messagingJobs = [
  defineJob({
    name: 'messaging.deliver',
    role: 'worker',
    category: 'bot',
    // Whole seconds through node-cron; fractions (benchmarks) through a plain interval.
    schedule: (config) => {
      const tick = config.delivery.tickSeconds;
      return tick >= 1 && Number.isInteger(tick) ? { cron: `*/${tick} * * * * *` } : { everyMs: tick * 1000 };
    },
    init: (deps, workerId) => ({
      workerId,
      worker: new DeliveryWorker(
        {
          config: deps.config,
          em: deps.orm.em,
          dingtalk: deps.dingtalk,
          log: categoryLogger(deps.logger, 'bot'),
        },
        { workerId },
      ),
    }),
    async run(deps, state) {
      await drainConsumer(botConsumer, deps, state.workerId, { limit: 50, rounds: Number.POSITIVE_INFINITY });
      await state.worker.drainWhileBusy(30_000, deps.config.delivery.busyPollMs);
    },
  }),
  defineJob({
    name: 'messaging.digests',
    role: 'worker',
    category: 'bot',
    schedule: { cron: '0 9 * * *', timezone: 'Asia/Shanghai' },
    async run(deps) {
      const log = categoryLogger(deps.logger, 'bot');
      const org = await deps.orm.em.fork().findOne(OrgSettings, {});
      const tz = org?.timezone ?? 'Asia/Shanghai';
      const n = await enqueueDailyDigests(deps.orm.em.fork(), new Date(), tz);
      log.info({ rows: n }, 'daily digests enqueued');
      const alerts = await enqueueAgreementAlerts(deps.orm.em.fork(), new Date(), tz);
      if (alerts) log.warn({ rows: alerts }, 'AI-vs-human agreement alerts enqueued');
    },
  }),
  // Invitation messages and deadline nudges (no event announces an invitation).
  defineJob({
    name: 'messaging.invitations',
    role: 'worker',
    category: 'bot',
    schedule: { cron: '30 * * * * *' },
    run: (deps) => sweepInvitations(deps.orm.em.fork(), new Date(), deps.config),
  }),
];
