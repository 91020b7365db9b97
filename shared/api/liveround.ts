import { z } from 'zod';

/** Where an outline question comes from (the rule that chose it). */
export type OutlineSource =
  | 'gap'
  | 'low_confidence'
  | 'requirement'
  | 'resume_requirement'
  | 'resume_role'
  | 'competency'
  | 'standard';

/** One question of an interview outline (面试提纲), with why it is asked and what to listen for. */
export interface OutlineQuestionView {
  /** 1-based. */
  position: number;
  source: OutlineSource;
  competency: string | null;
  question: string;
  why: string;
  listenFor: string[];
}

/** `GET /api/liveround/:bookingId/outline`: the outline of one live interview for its interviewer. */
export interface OutlineResponse {
  bookingId: number;
  applicationId: number;
  candidateName: string;
  jobTitle: string;
  startAt: string;
  timeZone: string;
  interviewerName: string | null;
  language: 'zh' | 'en';
  /** What the outline was built from (so the interviewer knows what it rests on). */
  basis: { report: boolean; resume: boolean; requirements: number };
  rulesVersion: string;
  questions: OutlineQuestionView[];
}

/** One live round on a list (the interviewer's home, HR's overview). */
export interface LiveRoundItem {
  bookingId: number;
  applicationId: number;
  candidateName: string;
  jobTitle: string;
  startAt: string;
  timeZone: string;
  status: 'booked' | 'cancelled' | 'no_show' | 'completed';
  interviewerName: string | null;
  /** The caller is a rater of this round (its interviewer or the job's hiring manager). */
  canRate: boolean;
  /** The caller's own scorecard state. */
  myScorecard: 'none' | 'draft' | 'submitted';
  /** Submitted scorecards of the round (everyone's). */
  submitted: number;
}

/** `GET /api/liveround`: live rounds the caller interviews, manages (hiring manager) or, for HR, all. */
export interface LiveRoundListResponse {
  items: LiveRoundItem[];
}

/** A 1-5 rating of one competency with a note. */
export interface ScorecardRatingView {
  competency: string;
  score: number | null;
  note: string;
}

/** One rater's scorecard. */
export interface ScorecardView {
  id: number | null;
  bookingId: number;
  raterId: number;
  raterName: string;
  status: 'none' | 'draft' | 'submitted';
  ratings: ScorecardRatingView[];
  notes: string;
  submittedAt: string | null;
  updatedAt: string | null;
  editsAfterSubmit: number;
}

/** `GET /api/liveround/:bookingId/scorecard`: the caller's own scorecard (a blank one before the first save). */
export interface ScorecardResponse {
  scorecard: ScorecardView;
  competencies: string[];
}

/** `GET /api/liveround/:bookingId/scorecards`: every rater's scorecard (HR and the job's hiring manager). */
export interface ScorecardsResponse {
  bookingId: number;
  competencies: string[];
  scorecards: ScorecardView[];
}

/** `PUT /api/liveround/:bookingId/scorecard` body: the whole scorecard as it stands (draft or an edit). */
export const scorecardBody = z.strictObject({
  ratings: z
    .array(
      z.strictObject({
        competency: z.string().trim().min(1).max(100),
        score: z.number().int().min(1).max(5).nullable(),
        note: z.string().max(2000).default(''),
      }),
    )
    .max(30),
  notes: z.string().max(5000).default(''),
});
/** Scorecard body. */
export type ScorecardBody = z.infer<typeof scorecardBody>;
