/** Candidates as HR and interviewers see them: profiles, contact details where allowed, invitations. */
import type { Feature } from '../../kernel/feature';
import { candidateRoutes } from './candidates.routes';

export const candidates: Feature = {
  name: 'candidates',
  routes: () => [candidateRoutes()],
};

/** "The same person" rules, for features that bring candidates in from elsewhere (DingTalk ATS). */
export { existingByKey, type PersonInput, upsertPerson, withMergeRetry } from './merge';
