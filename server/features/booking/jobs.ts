import type { Config } from '../../kernel/config';
import type { Orm } from '../../kernel/db/orm';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { startConsumerWorker } from '../../kernel/jobs/consumerWorker';
import type { Logger } from '../../kernel/logger';
import { CALENDAR_CONSUMER, syncBookingCalendar } from './calendarSync';

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
  return startConsumerWorker({
    orm: deps.orm,
    logger: deps.logger,
    category: 'jobs',
    consumer: CALENDAR_CONSUMER,
    intervalMs: deps.intervalMs ?? 3000,
    handle: (event, em) =>
      syncBookingCalendar(em, event, { calendar: deps.dingtalk.calendar, config: deps.config }),
  });
}
