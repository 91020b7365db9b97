import { z } from 'zod';
import type { ErrorCode } from '../errors';

/** What a follow-up aims at. */
export type FollowUpGapView = 'example' | 'action' | 'role' | 'result' | 'numbers' | 'indicator';

/** A follow-up as the candidate sees it (never the rules' reason or the rubric behind it). */
export interface CandidateFollowUpView {
  id: number;
  /** 1-based position of the question it follows. */
  position: number;
  questionText: string;
  text: string;
  status: 'pending' | 'answered';
  answerText: string | null;
  /** How it is answered: like the question it follows (typed only where that takes text). */
  answerMode: 'video' | 'audio' | 'text';
  /**
   * The recording: `checking` while the worker checks it, `verified` while it is transcribed;
   * `failed` when it was refused or could not be transcribed (record again); null when none is
   * in progress.
   */
  recording: 'granted' | 'checking' | 'verified' | 'transcribed' | 'failed' | null;
}

/** `GET /api/followups`: the signed-in candidate's follow-ups, pending first. */
export interface CandidateFollowUpsResponse {
  items: CandidateFollowUpView[];
  pending: number;
}

/** `POST /api/followups/:id/answer` body: the answer (typed, or the transcript of a recording). */
export const followUpAnswerBody = z.strictObject({
  text: z.string().trim().min(1).max(5000),
});

/** `POST /api/followups/:id/recording` body: the recording about to be uploaded. */
export const followUpGrantBody = z.strictObject({
  contentType: z.string().min(3).max(100),
  bytes: z.number().int().min(0),
});

/**
 * `POST /api/followups/:id/recording/multipart` body (OSS, recordings larger than the grant's
 * `partBytes`): one step of the resumable multipart upload of the granted recording, as for
 * interview answers. Response: `MultipartState` (shared/api/interview).
 */
export const followUpMultipartBody = z.strictObject({
  op: z.enum(['init', 'resume', 'complete']),
  bytes: z.number().int().min(0),
  uploadId: z
    .string()
    .regex(/^[0-9A-Za-z._-]{1,128}$/, 'must be the uploadId the init step returned')
    .optional(),
});

/**
 * `GET /api/followups/:id/recording`: where the candidate's follow-up recording is, the small
 * row the screen polls. `checking` while a worker checks it (media checks); `verified` while it
 * is transcribed; `failed` with the problem when the check refused it (record again), without
 * one when transcription failed; `none` when no recording was started.
 */
export type FollowUpRecordingStatus =
  | { status: 'none' | 'granted' | 'checking'; ok?: undefined }
  | { status: 'verified' | 'transcribed'; ok: true; durationMs: number | null; flags: string[] }
  | { status: 'failed'; ok: false; problem: { code: ErrorCode; message: string } | null };

/**
 * `POST /api/followups/:id/recording/complete`: 202 with `checking` (the worker checks the
 * recording; poll {@link FollowUpRecordingStatus}); a repeat returns where it is now (200 once
 * checked).
 */
export type FollowUpRecordingResponse = FollowUpRecordingStatus & { followUp: CandidateFollowUpView };

/** One question of a report with its answer, follow-up and follow-up answer together. */
export interface ReportFollowUpView {
  id: number;
  position: number;
  questionText: string;
  /** The original answer's transcript. */
  answerText: string | null;
  followUp: string;
  gap: FollowUpGapView;
  indicator: string | null;
  /** Why the rules chose it (for the reviewer). */
  reason: string;
  phrasedBy: 'rules' | 'llm';
  status: 'pending' | 'answered' | 'withdrawn';
  followUpAnswer: string | null;
  /** How the follow-up was answered (a recording's answer is its transcript). */
  answerMode: 'video' | 'audio' | 'text';
  /** Score (0-100) of the follow-up answer on the question's rubric. */
  followUpScore: number | null;
  /** Seconds from the last transcript to the follow-up being available. */
  availableAfterSeconds: number;
}

/** `GET /api/followups/reports/:reportId`. */
export interface ReportFollowUpsResponse {
  items: ReportFollowUpView[];
}

/** `PUT /api/followups/plans/:jobId` body: follow-ups on or off for the job's plan. */
export const planFollowUpsBody = z.strictObject({ enabled: z.boolean() });

/** `GET|PUT /api/followups/plans/:jobId`. */
export interface PlanFollowUpsResponse {
  jobId: number;
  enabled: boolean;
}
