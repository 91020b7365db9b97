import type { GapView, ScoreBasis } from '../../../shared/api/reports';
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

/**
 * Names of the explainable features (each in [0, 1]). Only `content`, `evidence` and, per
 * competency, `coverage` enter the uncalibrated score; the rest explain it or are quality notes.
 */
export const FEATURE_NAMES = [
  'content',
  'reference',
  'topic',
  'coverage',
  'evidence',
  'example',
  'ownAction',
  'result',
  'fluency',
  'length',
] as const;
/** One feature name. */
export type FeatureName = (typeof FEATURE_NAMES)[number];
/** Feature values in [0, 1]. */
export type FeatureVector = Record<FeatureName, number>;

/** A gap with a suggestion the candidate can act on. */
export type Gap = GapView;

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
  | 'too_long'
  | 'language_mismatch'
  | 'repetition'
  | 'suspected_gaming';

/** Observations that never change the score (fillers and disfluency are not judged). */
export type QualityNote = 'many_fillers';

/** What an answer's score rests on: the shared contract the report screen reads. */
export type { ScoreBasis };

/** The explainable result of scoring one answer. */
export interface ScoreResult {
  scorerVersion: string;
  language: Lang;
  overall: number;
  competencies: CompetencyScore[];
  /** Features of the whole answer (coverage = mean over competencies). */
  features: FeatureVector;
  /**
   * Rubric coverage of this answer: share of the rubric's behaviours the answer demonstrated
   * (not a match with the job; stored as `jobMatch` in reports for compatibility).
   */
  jobMatch: { score: number; level: 'strong' | 'partial' | 'weak' };
  /** The uncalibrated score (what the answer says, without any ratings). */
  uncalibrated: number;
  /** What the score rests on. */
  basis: ScoreBasis;
  /** Quality notes (no effect on the score). */
  notes: QualityNote[];
  strengths: string[];
  gaps: Gap[];
  flags: QualityFlag[];
  /** Estimated speaking time (timestamps when given, else from the text). */
  estimatedSeconds: number;
  weightsSource: string;
}
