/**
 * Types of the scoring engine. The engine reads only the words of an answer, the question and
 * its rubric (TRUST.md): no face, voice tone, emotion or demographics ever reach it.
 */

/** Language of an answer. */
export type Lang = 'zh' | 'en';

/** A competency the question probes, with the behaviours that show it. */
export interface CompetencySpec {
  name: string;
  /** Behavioural indicators, e.g. "定位根因" / "identifies the root cause". */
  indicators: string[];
}

/** One recognised sentence with its time span (what speech recognition returns). */
import type { TimedSentence } from '../../kernel/integrations/asr/types';

export type { TimedSentence };

/** Everything the scorer may look at for one answer. */
export interface ScoringInput {
  question: string;
  competencies: CompetencySpec[];
  referenceAnswers?: string[];
  /** Expected answer length (the question's answer time), seconds. */
  expectedSeconds?: number;
  language?: Lang;
  transcript: string;
  /** Sentence timestamps from ASR, when available (used for duration and evidence times). */
  sentences?: TimedSentence[];
}

/** A verbatim span of the transcript: `transcript.slice(start, end) === text`. */
export interface EvidenceSpan {
  start: number;
  end: number;
  text: string;
  /** The indicator (or feature) this span supports. */
  indicator: string;
  /** Start time of the sentence in the recording, when timestamps exist. */
  atMs?: number;
}

/** Names of the explainable features (each in [0, 1]). */
export const FEATURE_NAMES = [
  'coverage',
  'relevance',
  'reference',
  'star',
  'specificity',
  'coherence',
  'fluency',
  'length',
] as const;
/** One feature name. */
export type FeatureName = (typeof FEATURE_NAMES)[number];
/** Feature values in [0, 1]. */
export type FeatureVector = Record<FeatureName, number>;

/** Weights of the features in a competency score (and an intercept, for calibrated models). */
export interface ScoringWeights {
  weights: FeatureVector;
  /** Added after the weighted sum (0-100 scale); 0 for the defaults. */
  intercept: number;
  /** Where the weights came from: `default` or `calibrated:<scope>`. */
  source: string;
}

/** A gap with a suggestion the candidate can act on. */
export interface Gap {
  competency: string;
  text: string;
  suggestion: string;
}

/** The score of one competency in one answer. */
export interface CompetencyScore {
  name: string;
  score: number;
  features: FeatureVector;
  matchedIndicators: string[];
  missingIndicators: string[];
  evidence: EvidenceSpan[];
}

/** Quality flags: the answer should go to a person rather than be trusted to the score. */
export type QualityFlag =
  | 'empty_transcript'
  | 'too_short'
  | 'off_topic'
  | 'high_filler_rate'
  | 'too_long'
  | 'language_mismatch';

/** The explainable result of scoring one answer. */
export interface ScoreResult {
  scorerVersion: string;
  language: Lang;
  overall: number;
  competencies: CompetencyScore[];
  /** Features of the whole answer (coverage = mean over competencies). */
  features: FeatureVector;
  /** Job match on this answer: share of the rubric the answer demonstrated. */
  jobMatch: { score: number; level: 'strong' | 'partial' | 'weak' };
  strengths: string[];
  gaps: Gap[];
  flags: QualityFlag[];
  /** Estimated speaking time (timestamps when given, else from the text). */
  estimatedSeconds: number;
  weightsSource: string;
}
