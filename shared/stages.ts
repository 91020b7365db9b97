/**
 * Stages of an application (one candidate for one job), in pipeline order. The hiring-workflow
 * feature owns the transitions; everyone else reads the stage.
 */
export const STAGES = [
  'invited',
  'booked',
  'interviewing',
  'submitted',
  'scored',
  'in_review',
  'second_round',
  'second_round_booked',
  'second_round_done',
  'offer_approval',
  'offer_sent',
  'accepted',
  'onboarding',
  'hired',
  'rejected',
  'withdrawn',
] as const;
/** One application stage. */
export type Stage = (typeof STAGES)[number];

/** Stages after which nothing moves any more. */
export const TERMINAL_STAGES: readonly Stage[] = ['hired', 'rejected', 'withdrawn'];
