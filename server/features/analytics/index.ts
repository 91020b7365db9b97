/**
 * Hiring analytics (issue 17): funnels, time in stage and to hire, source effectiveness and AI
 * validity for HR (all departments) and managers (their own), each table exportable to .xlsx.
 * Reads the stage history the workflow writes (`application_stage_events`).
 */
import type { Feature } from '../../kernel/feature';
import { defineJob } from '../../kernel/jobs/registry';
import { analyticsRoutes } from './analytics.routes';
import { enqueueWeeklyDigests } from './digest';
import { runOutcomeSync } from './outcomes';

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
    // Hire outcomes from DingTalk's HR: every minute it picks up HR's "sync now"; a full sync runs
    // when none has in the last day (outcomes.ts SYNC_EVERY_MS).
    defineJob({
      name: 'analytics.hire_outcomes',
      role: 'worker',
      category: 'dingtalk',
      schedule: { everyMs: 60_000 },
      run: (deps) => runOutcomeSync(deps.orm.em.fork(), deps.dingtalk, deps.now?.() ?? new Date()),
    }),
  ],
};
