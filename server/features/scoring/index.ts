/**
 * Scoring: transcription, the explainable scorer, reports with evidence, interviewers' ratings,
 * release to the candidate, feedback and explanation requests, calibration on the company's own
 * ratings, and AI-vs-human agreement.
 */
import type { Feature } from '../../kernel/feature';
import { scoringJobs } from './jobs';
import { reportRoutes } from './reports.routes';
import { scoringConsumer } from './worker';

export { agreementReport } from './agreement';
export type { LlmOptions } from './assessor';
export { scoreAnswer } from './engine';
export { EXAMPLE_MARKERS, OUTCOME_WORDS, STAR_MARKERS } from './lexicon';
export { REVIEW_DUE_DAYS } from './pipeline';
export { loadReadableReport } from './reports';
export { candidateFeedback } from './reports.routes';
export { BUILT_IN_COMPETENCIES, competencyLibrary, resolveCompetencies } from './rubrics';
/** Tokenisation shared with the follow-up rules (one notion of a word across the product). */
export { canonical, contentTerms, detectLanguage, hasPhrase, splitSentences, tokenize } from './text';
export type { CompetencySpec, Lang } from './types';

export const scoring: Feature = {
  name: 'scoring',
  routes: () => [reportRoutes()],
  consumers: [scoringConsumer],
  // Refits of the model learned from interviewers' ratings (after new ratings, and nightly).
  jobs: scoringJobs,
};
