/**
 * The hand-over between the video interview (which records and verifies answers) and scoring
 * (which transcribes and evaluates them). The interview feature implements
 * `loadSubmittedAnswers` next to its entities; scoring consumes `SubmittedAnswer`s only, so
 * neither depends on the other's tables.
 */

/** How an answer was given. */
export type AnswerKind = 'video' | 'audio' | 'text';

/** One verified, final answer of a submitted interview session. */
export interface SubmittedAnswer {
  answerId: number;
  questionId: number;
  /** 1-based position in the plan. */
  position: number;
  questionText: string;
  /** Competency names the question probes (their rubrics live with the plan). */
  competencies: string[];
  /** Behavioural indicators and reference answers HR wrote for scoring, when any. */
  indicators: Record<string, string[]>;
  referenceAnswers: string[];
  /** Expected answer length in seconds (the question's answer time). */
  expectedSeconds: number;
  kind: AnswerKind;
  /** Object key of the recording (video/audio answers). */
  objectKey: string | null;
  contentType: string | null;
  /** The typed answer (text answers). */
  text: string | null;
  durationMs: number | null;
  /** Media quality flags from the server's checks: no_audio, too_quiet, too_short, mostly_silent, corrupt, late. */
  flags: string[];
  language: 'zh' | 'en';
}

/** A submitted session as scoring receives it. */
export interface SubmittedSession {
  applicationId: number;
  sessionId: number;
  candidateId: number;
  jobId: number;
  /** The candidate chose evaluation by a person only: no AI score may be computed. */
  personOnly: boolean;
  /** The candidate consented to AI evaluation. */
  aiConsent: boolean;
  answers: SubmittedAnswer[];
}
