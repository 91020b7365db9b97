/**
 * Hiring analytics (issue 17): funnels, time in stage and to hire, source effectiveness and AI
 * validity for HR (all departments) and managers (their own), each table exportable to .xlsx.
 * Reads the stage history the workflow writes (`application_stage_events`).
 */
import type { Feature } from '../../kernel/feature';
import { defineJob } from '../../kernel/jobs/registry';
import { analyticsRoutes } from './analytics.routes';
import { enqueueWeeklyDigests } from './digest';

export const analytics: Feature = {
  name: 'analytics',
  routes: () => [analyticsRoutes()],
  jobs: [
    // Mondays 09:00 in Shanghai; the outbox key (job + day) makes each job's digest once.
    defineJob({
      name: 'analytics.weekly_digest',
      role: 'worker',
      category: 'bot',
      schedule: { cron: '0 9 * * 1', timezone: 'Asia/Shanghai' },
      run: (deps) =>
        enqueueWeeklyDigests(deps.orm.em.fork(), deps.config.notifications, deps.now?.() ?? new Date()),
    }),
  ],
};
