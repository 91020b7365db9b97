/**
 * Jobs as HR sets them up: the job itself (create, edit with compare-and-swap, pause, close),
 * its interviewer pool and reviewer assignment, the company question bank and competency
 * library, and building a job's interview plan from the bank.
 */
import type { Feature } from '../../kernel/feature';
import { jobRoutes } from './jobs.routes';

export { createBankQuestion, insertBankQuestion, listCompetencies } from './bank';
export { presentBankQuestion } from './present';
export { assignedReviewerIds } from './reviewers';

/** The jobs feature: its routes (see `jobs.routes.ts`). */
export const jobs: Feature = {
  name: 'jobs',
  routes: () => [jobRoutes()],
};
