/**
 * Questions from the job: behavioural and situational questions proposed from a job's
 * description and the competencies HR picks (rules and the competency library; the LLM when
 * configured), kept as drafts that HR edits and then approves into the question bank or discards.
 */
import type { Feature } from '../../kernel/feature';
import { questionGenRoutes } from './questiongen.routes';

/** The questions-from-the-job feature: its routes (see `questiongen.routes.ts`). */
export const questiongen: Feature = {
  name: 'questiongen',
  routes: () => [questionGenRoutes()],
};
