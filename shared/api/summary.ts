import { z } from 'zod';

/** The three suggestions a summary report may make to a person (who decides). */
export const SUMMARY_SUGGESTIONS = ['hire', 'second_round', 'reject'] as const;
/** 录用 / 复试 / 不录用. */
export type SummarySuggestion = (typeof SUMMARY_SUGGESTIONS)[number];

/** One reason behind the suggestion: a stable key the mini-app words, with its numbers. */
export interface SummaryReason {
  key:
    | 'combined_at_or_above_pass'
    | 'combined_between'
    | 'combined_below_reject'
    | 'no_human_ratings'
    | 'raters_disagree'
    | 'ai_people_disagree'
    | 'needs_review'
    | 'person_only';
  params: Record<string, number | string>;
}

/** One assessment's scores and notes: a rating of the AI interview's report, or a submitted live-round scorecard. */
export interface SummaryRater {
  /** Unique in the report (`report:<reviewerId>`, `live:<bookingId>:<raterId>`). */
  key: string;
  /** `report`: rated the AI interview's report; `live_round`: a submitted live-round scorecard. */
  source: 'report' | 'live_round';
  /** The live round's booking (live-round scorecards only). */
  bookingId: number | null;
  reviewerId: number;
  name: string;
  /** 1-5 per competency, as rated. */
  ratings: Array<{ competency: string; score: number }>;
  /** The report rating's comment, or the scorecard's notes. */
  comment: string | null;
  /** Mean of the ratings on the 0-100 scale ((rating - 1) x 25). */
  score: number;
  mine: boolean;
}

/** Where raters (or the AI and the raters) are far apart. */
export interface SummaryDisagreement {
  kind: 'raters' | 'ai_vs_people';
  /** The competency (raters) or null (overall, AI vs people). */
  competency: string | null;
  /** Lowest and highest score on the 0-100 scale, and their distance. */
  low: number;
  high: number;
  spread: number;
}

/** An item to follow up before a decision. */
export interface SummaryFollowUpItem {
  kind: 'open_question' | 'certificate' | 'reference';
  /** The question left open, the certificate to verify; null for the reference check. */
  text: string | null;
  /** For open questions: why (unanswered, withdrawn, still weak after the follow-up). */
  detail: 'unanswered' | 'withdrawn' | 'weak_answer' | null;
}

/** `GET /api/summary/reports/:reportId`: the 面试总结报告. */
export interface SummaryReportResponse {
  reportId: number;
  applicationId: number;
  candidateName: string;
  jobTitle: string;
  status: string;
  ai: {
    overall: number | null;
    competencies: Array<{
      name: string;
      score: number;
      evidence: Array<{ quote: string; indicator: string }>;
    }>;
  };
  /** All raters for HR and the hiring manager; only the caller's own for anyone else. */
  raters: SummaryRater[];
  /** Whether the caller sees every rater (false: only their own). */
  allRaters: boolean;
  /** How many raters there are in all (so a partial view says so). */
  raterCount: number;
  combined: {
    score: number | null;
    ai: number | null;
    people: number | null;
    /** Percent of the combined score from the AI; the rest from the people. */
    aiWeight: number;
    /** Whether the job set the weights (false: the default). */
    custom: boolean;
    /** The rule as written out with the numbers, e.g. `AI 40% × 80 + 人工 60% × 62.5 = 69.5`. */
    formula: string;
    /**
     * How many assessments the people's part averages, by source (drafts never count); null for
     * a reader who sees only their own rating.
     */
    sources: { reportRatings: number; liveScorecards: number } | null;
  };
  disagreement: { threshold: number; flagged: boolean; items: SummaryDisagreement[] };
  suggestion: { value: SummarySuggestion; reasons: SummaryReason[] };
  followUps: SummaryFollowUpItem[];
  /** The application's stage and version (the version a decision sends back). */
  application: { stage: string; version: number };
  /** The open or latest 录用 approval of the application, if any. */
  offerApproval: { id: number; status: string } | null;
  /** Whether the caller may start the 录用 approval from here now (HR; stage 复试完成; none open). */
  canRequestOffer: boolean;
}

/** `PUT /api/summary/jobs/:jobId/rules` body. */
export const summaryRulesBody = z.strictObject({
  aiWeight: z.number().int().min(0).max(100),
  disagreementPoints: z.number().int().min(5).max(100),
});

/** `GET|PUT /api/summary/jobs/:jobId/rules`. */
export interface SummaryRulesResponse {
  jobId: number;
  aiWeight: number;
  disagreementPoints: number;
  custom: boolean;
}
