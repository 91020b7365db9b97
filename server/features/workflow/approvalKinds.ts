/**
 * The rules of each DingTalk approval kind, as one record over the closed set of kinds: where
 * its process code comes from, which stage transition an approval moves the application by,
 * and what a refusal or withdrawal does. Adding a kind to `APPROVAL_KINDS` (shared/api/workflow)
 * does not compile until it has an entry here, so no code path can silently take another
 * kind's branch.
 */
import type { ApprovalKind } from '../../../shared/api/workflow';
import type { TransitionName } from '../../../shared/pipeline';
import type { Config } from '../../kernel/config';
import type { EffectiveRules } from './rules';

/**
 * What an approval's outcome does: move the application by a transition, put it back in HR's
 * review queue with the reason (the stage stays `in_review`), or decide the application's
 * pending accommodation request (the stage is not touched).
 */
export type ApprovalEffect =
  | { transition: TransitionName }
  | { backToReview: true }
  | { accommodation: 'grant' | 'decline' };

/** How one approval kind behaves. */
export interface ApprovalKindRules {
  /** The process code set in configuration (production), if any. */
  configuredProcessCode(config: Config): string | undefined;
  /** The process code a job's rules set for this kind, if any. */
  jobProcessCode(rules: EffectiveRules): string | null;
  /** What an agreed approval does. */
  onAgree: { transition: TransitionName } | { accommodation: 'grant' };
  /** What a refusal or withdrawal does (and a start DingTalk refused, for `backToReview`). */
  onRefuse: ApprovalEffect;
}

/** Every approval kind's rules. */
export const APPROVAL_KIND_RULES: { [K in ApprovalKind]: ApprovalKindRules } = {
  second_round: {
    configuredProcessCode: (c) => c.workflow.secondRoundProcessCode,
    jobProcessCode: (r) => r.secondRoundProcessCode,
    onAgree: { transition: 'advance_second_round' },
    onRefuse: { backToReview: true },
  },
  offer: {
    configuredProcessCode: (c) => c.workflow.offerProcessCode,
    jobProcessCode: (r) => r.offerProcessCode,
    onAgree: { transition: 'send_offer' },
    onRefuse: { transition: 'offer_refused' },
  },
  // A candidate's accommodation request decided by DingTalk approval instead of in the app:
  // agreeing grants it, refusing or withdrawing declines it; the application does not move.
  accommodation: {
    configuredProcessCode: (c) => c.workflow.accommodationProcessCode,
    jobProcessCode: () => null,
    onAgree: { accommodation: 'grant' },
    onRefuse: { accommodation: 'decline' },
  },
};
