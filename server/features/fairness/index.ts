/**
 * Fairness: the bias audit per job and overall (four-fifths rule over candidates' optional
 * self-identification; the maths is in shared/fairness).
 */
import type { Feature } from '../../kernel/feature';
import { fairnessRoutes } from './fairness.routes';

export const fairness: Feature = {
  name: 'fairness',
  routes: () => [fairnessRoutes()],
};
