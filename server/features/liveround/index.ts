/**
 * Live rounds (issue 16 items 3 and 4): the interview outline (面试提纲) of a second-round
 * interview, built by rules from the AI report's gaps and low-confidence competencies, the job's
 * requirements and the résumé, shown to the interviewer and pushed as a DingTalk card the day
 * before; and the live-round scorecard, rated per competency on the phone (drafts, one submit,
 * audited edits), every scorecard visible to HR and the job's hiring manager.
 */
import type { Feature } from '../../kernel/feature';
import { liveRoundJobs } from './jobs';
import { liveRoundRoutes } from './liveround.routes';

/** Deletion requests clear scorecards' notes (the privacy feature's erasure calls it). */
export { clearScorecardNotes } from './commands';

export const liveround: Feature = {
  name: 'liveround',
  routes: () => [liveRoundRoutes()],
  jobs: liveRoundJobs,
};
