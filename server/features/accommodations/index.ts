/**
 * Accommodation requests: the candidate asks in the app (extra time, extra retakes, audio only,
 * with a note); HR grants or declines in the app or from the work queue. A grant becomes the
 * application's `InterviewAccommodation`, which the interview feature serves.
 */
import type { Feature } from '../../kernel/feature';
import { accommodationRoutes } from './accommodations.routes';

/** HR's decision (the work queue calls it when HR closes an accommodation item). */
export { decideAccommodation, decideAccommodationByApproval } from './commands';

export const accommodations: Feature = {
  name: 'accommodations',
  routes: () => [accommodationRoutes()],
};
