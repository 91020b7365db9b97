/**
 * Privacy: candidates' deletion requests and their execution, optional demographic
 * self-identification (stored apart, read only by the fairness audit), and retention of
 * recordings and transcripts after the final decision (TRUST.md "Retention and deletion").
 */
import type { Feature } from '../../kernel/feature';
import { defineConsumer } from '../../kernel/jobs/registry';
import { demographicsRoutes } from './demographics.routes';
import { handleDeletionEvent, PRIVACY_DELETION_CONSUMER } from './erasure';
import { privacyRoutes } from './privacy.routes';
import { retentionJob } from './retention';

export const privacy: Feature = {
  name: 'privacy',
  routes: () => [demographicsRoutes(), privacyRoutes()],
  consumers: [
    // Deletion requests are carried out by the next run (target: within seconds).
    defineConsumer({
      name: PRIVACY_DELETION_CONSUMER,
      events: ['privacy.deletion_requested'],
      category: 'storage',
      schedule: { everyMs: 10_000 },
      handle: (event, em, deps) =>
        handleDeletionEvent(event, em, { storage: deps.storage, calendar: deps.dingtalk.calendar }),
    }),
  ],
  jobs: [retentionJob],
};
