import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { CALENDAR_CONSUMER, syncBookingCalendar } from '../bookings/calendarSync';
import type { Config } from '../config';
import type { Orm } from '../db/orm';
import { consumeEvents } from '../events/consume';
import type { DingTalk } from '../integrations/dingtalk';
import { categoryLogger, type Logger } from '../logger';

/**
 * The worker that writes live bookings into interviewers' DingTalk calendars: every few
 * seconds it claims the `calendar` consumer's event rows (SKIP LOCKED, so any number of
 * workers share them) and reconciles each booking. Returns a stop function.
 */
export function startCalendarWorker(deps: {
  orm: Orm;
  dingtalk: DingTalk;
  config: Config;
  logger: Logger;
  intervalMs?: number;
}): () => Promise<void> {
  const log = categoryLogger(deps.logger, 'jobs');
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = consumeEvents(deps.orm.em.fork(), {
      consumer: CALENDAR_CONSUMER,
      workerId,
      log,
      handle: (event, em) =>
        syncBookingCalendar(em, event, { calendar: deps.dingtalk.calendar, config: deps.config }),
    }).catch((err) => log.error({ err: (err as Error).message }, 'calendar worker tick failed'));
  };
  const timer = setInterval(tick, deps.intervalMs ?? 3000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
