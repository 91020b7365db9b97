import { apiRequest } from '../api';

/** A report row of the review list. */
export interface ReportSummary {
  id: number;
  candidateName: string;
  jobTitle: string;
  status: 'ready' | 'needs_review' | 'person_only';
  overall: number | null;
  recommendation: string;
  flags: string[];
  released: boolean;
  ratedByMe: boolean;
  createdAt: string;
}

/** One competency with evidence quotes. */
export interface ReportCompetency {
  name: string;
  score: number;
  evidence: Array<{ answerId: number; quote: string; indicator: string; atMs?: number }>;
  matched: string[];
  missing: string[];
}

/** What an answer's score rests on (server: ScoreResult.basis); never other candidates' words. */
export interface ScoreBasis {
  kind: string;
  referenceOverlap: number;
  hasReferenceAnswers: boolean;
  evidence: { example: boolean; ownAction: boolean; result: boolean };
  neighbours?: { ratedAnswers: number; nearestRatings: number[]; similarity: number };
  modelVersion?: string;
}

/** The reviewer view of a report. */
export interface ReportDetail extends ReportSummary {
  jobMatch: number | null;
  competencies: ReportCompetency[];
  strengths: string[];
  gaps: Array<{ competency: string; text: string; suggestion: string }>;
  scorerVersion: string | null;
  answers: Array<{
    answerId: number;
    position: number;
    question: string;
    transcript: string;
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
    competency: string;
    score: number;
    comment: string | null;
    mine: boolean;
    reviewerName: string;
  }>;
}

/** The candidate's feedback. */
export interface Feedback {
  id: number;
  jobTitle: string;
  personOnly: boolean;
  competencies: Array<{
    name: string;
    band: 'strong' | 'good' | 'fair' | 'developing';
    /** What the competency looks at, in plain words. */
    explanation: string;
    /** The candidate's own words that supported it. */
    quotes: string[];
    suggestions: Array<{ text: string; suggestion: string }>;
  }>;
  general: Array<{ text: string; suggestion: string }>;
  requests: Array<{ id: number; kind: string; status: string; dueAt: string }>;
}

export const fetchReports = (): Promise<{ total: number; items: ReportSummary[] }> =>
  apiRequest('/api/reports?limit=50');
export const fetchReport = (id: number): Promise<{ report: ReportDetail }> =>
  apiRequest(`/api/reports/${id}`);
export const fetchMedia = (id: number, answerId: number): Promise<{ url: string; expiresAt: string }> =>
  apiRequest(`/api/reports/${id}/media/${answerId}`);
export const saveRatings = (
  id: number,
  ratings: Array<{ competency: string; score: number }>,
  comment?: string,
) =>
  apiRequest(`/api/reports/${id}/ratings`, {
    method: 'PUT',
    body: { ratings, ...(comment ? { comment } : {}) },
  });
export const releaseReport = (id: number) => apiRequest(`/api/reports/${id}/release`, { method: 'POST' });
export const fetchFeedback = (): Promise<{ items: Feedback[] }> => apiRequest('/api/feedback');
export const askAboutFeedback = (
  id: number,
  kind: 'explanation' | 'human_review',
  message: string,
): Promise<{ request: { dueAt: string } }> =>
  apiRequest(`/api/feedback/${id}/requests`, { method: 'POST', body: { kind, message } });
