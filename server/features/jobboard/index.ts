/**
 * The public job page (issue 19): anyone with a job's link reads the job, how its AI interview
 * works and the privacy notice, and applies; candidates and employees share it with their
 * referrer token (内推). HR finds the applicants in the candidate list.
 */
import type { Feature } from '../../kernel/feature';
import { jobBoardRoutes } from './routes';

export const jobboard: Feature = {
  name: 'jobboard',
  routes: () => [jobBoardRoutes()],
};
