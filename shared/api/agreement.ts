import { z } from 'zod';

/**
 * AI-vs-human agreement (TRUST.md "Fairness"): how well the AI's competency scores agree with
 * the interviewers' 1-5 ratings of the same reports, per job and competency, and whether that
 * agreement has dropped recently (drift).
 */

/** Query of `GET /api/scoring/agreement`. */
export const agreementQuery = z.strictObject({
  jobId: z.coerce.number().int().positive().optional(),
  /** Length of the "recent" window compared with everything before it. */
  recentDays: z.coerce.number().int().min(7).max(365).optional(),
});

/** Agreement of AI scores (0-100, banded 1-5 for kappa) with human ratings (1-5). */
export interface AgreementStats {
  /** Rating pairs (one per interviewer rating of a competency). */
  n: number;
  /** Pearson correlation of score and rating; null under 3 pairs or without variance. */
  pearson: number | null;
  /** Quadratic weighted kappa of the score's band and the rating; null under 3 pairs. */
  qwk: number | null;
  /** Mean AI band minus mean human rating (positive: the AI rates higher). */
  bias: number | null;
}

/** Why a row needs a person's attention. */
export type AgreementFlag = 'low_agreement' | 'drift';

/** One competency of one job. */
export interface CompetencyAgreement extends AgreementStats {
  competency: string;
  /** Ratings made in the recent window, and all ratings before it. */
  recent: AgreementStats;
  earlier: AgreementStats;
  flags: AgreementFlag[];
}

/** One job. */
export interface JobAgreement extends AgreementStats {
  jobId: number;
  jobTitle: string;
  competencies: CompetencyAgreement[];
  flags: AgreementFlag[];
}

/** Response of `GET /api/scoring/agreement`. */
export interface AgreementReport {
  generatedAt: string;
  recentDays: number;
  thresholds: {
    /** Fewer pairs than this: numbers are shown, never flagged. */
    minPairs: number;
    /** QWK below this (with enough pairs): `low_agreement`. */
    lowQwk: number;
    /** Recent QWK this much below the earlier QWK (enough pairs on both sides): `drift`. */
    driftDrop: number;
  };
  overall: AgreementStats;
  jobs: JobAgreement[];
}
