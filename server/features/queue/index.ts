/**
 * HR's work queue (待办): everything waiting on a person in one list with due dates, acted on
 * where it is, and the owner reminded before the due date.
 */
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import type { Feature } from '../../kernel/feature';
import { defineJob } from '../../kernel/jobs/registry';
import { remindQueueOwners } from './commands';
import { queueRoutes } from './queue.routes';

/** Counts of waiting and due items (for the HR home's "待办" number). */
/** How long HR has to chase a running approval (the candidate's timeline promises no sooner). */
export { countQueueItems, STALE_APPROVAL_DUE_HOURS } from './items';

export const queue: Feature = {
  name: 'queue',
  routes: () => [queueRoutes()],
  jobs: [
    // Every 10 minutes; the outbox key (item + due date + owner) makes each reminder once.
    defineJob({
      name: 'queue.reminders',
      role: 'worker',
      category: 'bot',
      schedule: { cron: '0 */10 * * * *' },
      async run(deps) {
        const em = deps.orm.em.fork();
        const [org] = await em.find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 });
        return remindQueueOwners(em, deps.now?.() ?? new Date(), org?.timezone ?? 'Asia/Shanghai');
      },
    }),
  ],
};
