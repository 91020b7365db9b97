/**
 * Hiring analytics (issue 17): funnels, time in stage and to hire, source effectiveness and AI
 * validity for HR (all departments) and managers (their own), each table exportable to .xlsx.
 * Reads the stage history the workflow writes (`application_stage_events`).
 */
import type { Feature } from '../../kernel/feature';
import { analyticsRoutes } from './analytics.routes';

export const analytics: Feature = {
  name: 'analytics',
  routes: () => [analyticsRoutes()],
};
