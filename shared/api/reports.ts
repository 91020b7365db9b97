/**
 * Responses of the scoring feature's report routes (`/api/reports`, `/api/feedback`). The
 * server's presenters (`server/features/scoring/present.ts`) are checked against these and the
 * mini-app's report screens read them, so a field changed here breaks one side or the other.
 */
import type { ResumeMatch } from './resumes';

/** A report's state: scored; flagged for a person; no AI score at all (person-only / no consent). */
export type ReportStatus = 'ready' | 'needs_review' | 'person_only';

/** A report row of the review list. */
export interface ReportSummary {
  id: number;
  applicationId: number;
  /** The candidate (their profile: `routes.candidateProfile`). */
  candidateId: number;
  candidateName: string;
  jobTitle: string;
  status: ReportStatus;
  overall: number | null;
  recommendation: string;
  flags: string[];
  released: boolean;
  ratedByMe: boolean;
  createdAt: string;
}

/** Response of `GET /api/reports`. */
export interface ReportsResponse {
  total: number;
  items: ReportSummary[];
}

/** One competency of a report, with the quotes that support its score. */
export interface ReportCompetencyView {
  name: string;
  score: number;
  evidence: Array<{
    answerId: number;
    quote: string;
    indicator: string;
    start: number;
    end: number;
    atMs?: number;
  }>;
  matched: string[];
  missing: string[];
}

/** A gap with a suggestion the candidate can act on. */
export interface GapView {
  competency: string;
  text: string;
  suggestion: string;
}

/** Kinds of review task. */
export type ReviewTaskKind = 'quality' | 'person_only' | 'explanation' | 'human_review';

/** A review task (HR's queue). */
export interface ReviewTaskView {
  id: number;
  kind: ReviewTaskKind;
  reason: string;
  status: 'open' | 'done';
  dueAt: string;
  applicationId: number;
  reportId: number | null;
}

/** What an answer's score rests on (the scorer's `basis`); never other candidates' words. */
export interface ScoreBasis {
  kind: string;
  /** Overlap with the reference answers / what good looks like, 0-100. */
  referenceOverlap: number;
  hasReferenceAnswers: boolean;
  evidence: { example: boolean; ownAction: boolean; result: boolean };
  /** Ratings of the most similar answers your interviewers rated (counts and ratings only). */
  neighbours?: { ratedAnswers: number; nearestRatings: number[]; similarity: number };
  modelVersion?: string;
}

/** The résumé match shown in a report (the same match as the screening queue's). */
export interface ReportResumeMatch extends ResumeMatch {
  resumeId: number;
}

/** The reviewer view of a report: scores, evidence highlighted in each transcript, ratings. */
export interface ReportDetail extends ReportSummary {
  /** Rubric coverage of the answers (not a match with the job; the name is kept for compatibility). */
  jobMatch: number | null;
  /**
   * The job match (岗位匹配): the candidate's latest parsed résumé against the job's requirements,
   * one line per requirement with its quote. Null when the candidate has no parsed résumé.
   */
  resumeMatch: ReportResumeMatch | null;
  competencies: ReportCompetencyView[];
  strengths: string[];
  gaps: GapView[];
  scorerVersion: string | null;
  weightsSource: string | null;
  /** Always true: the AI only suggests; people decide (TRUST.md). */
  recommendationIsSuggestion: true;
  answers: Array<{
    answerId: number;
    position: number;
    question: string;
    status: 'done' | 'empty' | 'failed' | 'typed';
    transcript: string;
    sentences: Array<{ text: string; beginMs: number; endMs: number }>;
    hasMedia: boolean;
    /** What the answer's score rests on (null for answers scored before it was recorded). */
    basis: ScoreBasis | null;
    highlights: Array<{
      start: number;
      end: number;
      competency: string;
      indicator: string;
      atMs: number | null;
    }>;
  }>;
  ratings: Array<{
    reviewerId: number;
    reviewerName: string;
    competency: string;
    score: number;
    comment: string | null;
    mine: boolean;
  }>;
  tasks: ReviewTaskView[];
}

/** Response of `GET /api/reports/:id`. */
export interface ReportResponse {
  report: ReportDetail;
}

/** Response of `GET /api/reports/:id/media/:answerId`: a short-lived signed URL. */
export interface MediaResponse {
  url: string;
  expiresAt: string;
  startMs: number;
}

/** Response of `PUT /api/reports/:id/ratings`: the reader's own ratings now. */
export interface RatingsResponse {
  ratings: Array<{ competency: string; score: number; comment: string | null }>;
}

/** Response of `POST /api/reports/:id/release`. */
export interface ReleaseResponse {
  id: number;
  releasedAt: string | null;
}

/** Feedback bands a candidate sees instead of numbers (no ranking against others). */
export type FeedbackBand = 'strong' | 'good' | 'fair' | 'developing';

/** A candidate's request about their feedback. */
export interface FeedbackRequestView {
  id: number;
  kind: ReviewTaskKind;
  status: 'open' | 'done';
  dueAt: string;
  /** HR's answer once the request is closed from the queue (null while open or closed without a note). */
  answer: string | null;
}

/** What the candidate sees of a released report: bands with reasons and suggestions. */
export interface FeedbackView {
  id: number;
  jobTitle: string;
  releasedAt: string | null;
  personOnly: boolean;
  competencies: Array<{
    name: string;
    band: FeedbackBand;
    /** What the competency looks at, in plain words (never the rubric's indicator phrases). */
    explanation: string;
    /** The candidate's own words that supported it (verbatim quotes, at most two). */
    quotes: string[];
    suggestions: Array<{ text: string; suggestion: string }>;
  }>;
  general: Array<{ text: string; suggestion: string }>;
  requests: FeedbackRequestView[];
}

/** Response of `GET /api/feedback`. */
export interface FeedbackListResponse {
  items: FeedbackView[];
}

/** Response of `GET /api/feedback/:id`. */
export interface FeedbackResponse {
  feedback: FeedbackView;
}

/** Response of `POST /api/feedback/:id/requests`. */
export interface FeedbackRequestResponse {
  request: FeedbackRequestView;
}
