/**
 * The summary report (面试总结报告) per candidate: AI scores with evidence, the raters' scores
 * and notes, a combined score with its rule shown, disagreement flags, a suggestion with reasons
 * (录用 / 复试 / 不录用, for a person to decide) and follow-up items.
 */
import type { Feature } from '../../kernel/feature';
import { summaryRoutes } from './summary.routes';

export type { SummaryFormValues } from './formText';
/** The summary as the 录用 approval form's fields (the workflow fills the offer form with it). */
export { summaryForApproval, summaryReport } from './summary';

export const summary: Feature = {
  name: 'summary',
  routes: () => [summaryRoutes()],
};
