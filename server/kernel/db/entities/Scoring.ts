import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { GapView as Gap, ReportCompetencyView } from '../../../../shared/api/reports';
import { Application } from './Application';
import { User } from './User';

/**
 * Scoring's own tables. Answers are referenced by id (not foreign keys) so scoring depends on
 * the interview feature only through `SubmittedSession` (server/features/interview/contract.ts).
 */

/** Outcome of transcribing one answer. */
export const TRANSCRIPT_STATUSES = ['done', 'empty', 'failed', 'typed'] as const;

/** The words of one answer, with sentence timestamps (ms from the start of the recording). */
export const AnswerTranscript = defineEntity({
  name: 'AnswerTranscript',
  tableName: 'answer_transcripts',
  indexes: [{ properties: ['sessionId'] }],
  properties: {
    id: p.integer().primary(),
    answerId: p.integer().unique(),
    sessionId: p.integer(),
    applicationId: p.integer(),
    status: p.enum(TRANSCRIPT_STATUSES),
    /** The recording (video playback through signed URLs); null for typed answers. */
    objectKey: p.string().length(500).nullable(),
    /** 1-based position of the question (jump-to-answer). */
    position: p.integer(),
    questionText: p.text(),
    /** dashscope | openai | text (typed answer). */
    provider: p.string().length(20),
    model: p.string().length(100).nullable(),
    taskId: p.string().length(100).nullable(),
    language: p.string().length(5),
    text: p.text().nullable(),
    sentences: p.json<Array<{ text: string; beginMs: number; endMs: number }>>(),
    durationMs: p.integer().nullable(),
    error: p.string().length(1000).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Transcript row. */
export type IAnswerTranscript = InferEntity<typeof AnswerTranscript>;

/** The explainable score of one answer (the full `ScoreResult` in `result`). */
export const AnswerScore = defineEntity({
  name: 'AnswerScore',
  tableName: 'answer_scores',
  indexes: [{ properties: ['sessionId'] }, { properties: ['questionId'] }],
  properties: {
    id: p.integer().primary(),
    answerId: p.integer().unique(),
    sessionId: p.integer(),
    applicationId: p.integer(),
    questionId: p.integer(),
    overall: p.integer(),
    result: p.json<Record<string, unknown>>(),
    scorerVersion: p.string().length(40),
    weightsSource: p.string().length(80),
    /** The LLM assessor's accepted result (prompt and model versions inside), when enabled. */
    llm: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Answer score row. */
export type IAnswerScore = InferEntity<typeof AnswerScore>;

/** Report states: scored; flagged for a person; no AI score at all (person-only / no consent). */
export const REPORT_STATUSES = ['ready', 'needs_review', 'person_only'] as const;

/** One competency of a report (stored as the report screen's contract reads it). */
export type ReportCompetency = ReportCompetencyView;

/** The interview report of one submitted session. */
export const InterviewReport = defineEntity({
  name: 'InterviewReport',
  tableName: 'interview_reports',
  indexes: [{ properties: ['status'] }],
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application),
    sessionId: p.integer().unique(),
    candidateId: p.integer(),
    jobId: p.integer(),
    status: p.enum(REPORT_STATUSES),
    overall: p.integer().nullable(),
    jobMatch: p.integer().nullable(),
    competencies: p.json<ReportCompetency[]>(),
    strengths: p.json<string[]>(),
    gaps: p.json<Gap[]>(),
    flags: p.json<string[]>(),
    /** A suggestion for people, never a decision. */
    recommendation: p.string().length(40),
    scorerVersion: p.string().length(40).nullable(),
    weightsSource: p.string().length(80).nullable(),
    /** HR released the candidate's feedback (null: not visible to the candidate). */
    releasedAt: p.datetime(3).nullable(),
    releasedById: p.integer().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Report row. */
export type IInterviewReport = InferEntity<typeof InterviewReport>;

/** An interviewer's or HR's rating of one competency in a report (1-5). Feeds calibration. */
export const ReportRating = defineEntity({
  name: 'ReportRating',
  tableName: 'report_ratings',
  uniques: [{ properties: ['report', 'reviewer', 'competency'] }],
  properties: {
    id: p.integer().primary(),
    report: () => p.manyToOne(InterviewReport),
    reviewer: () => p.manyToOne(User),
    competency: p.string().length(100),
    score: p.integer(),
    comment: p.text().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Rating row. */
export type IReportRating = InferEntity<typeof ReportRating>;

/**
 * HR assigns a reviewer to an application explicitly (in addition to the interviewer of the
 * application's booking, who is assigned implicitly).
 */
export const ReviewAssignment = defineEntity({
  name: 'ReviewAssignment',
  tableName: 'review_assignments',
  uniques: [{ properties: ['application', 'reviewer'] }],
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application),
    reviewer: () => p.manyToOne(User),
    assignedById: p.integer().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Assignment row. */
export type IReviewAssignment = InferEntity<typeof ReviewAssignment>;

/** Why a person must look: quality, person-only, the candidate asked. */
export const REVIEW_TASK_KINDS = ['quality', 'person_only', 'explanation', 'human_review'] as const;

/** Work for HR with a due date. `key` makes routing idempotent (redelivered events). */
export const ReviewTask = defineEntity({
  name: 'ReviewTask',
  tableName: 'review_tasks',
  indexes: [{ properties: ['status', 'dueAt'] }],
  properties: {
    id: p.integer().primary(),
    key: p.string().length(120).unique(),
    application: () => p.manyToOne(Application),
    report: () => p.manyToOne(InterviewReport).nullable(),
    kind: p.enum(REVIEW_TASK_KINDS),
    reason: p.text(),
    requestedByCandidateId: p.integer().nullable(),
    dueAt: p.datetime(3),
    status: p.enum(['open', 'done'] as const).default('open'),
    resolvedById: p.integer().nullable(),
    resolvedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Review task row. */
export type IReviewTask = InferEntity<typeof ReviewTask>;

/** Why a model was fitted. */
export const SCORING_MODEL_REASONS = ['manual', 'ratings', 'nightly'] as const;
/** A fitted model's fate: serving, not good enough to serve, or replaced by a newer one. */
export const SCORING_MODEL_STATUSES = ['active', 'rejected', 'retired'] as const;

/**
 * A version of the model learned from the interviewers' ratings (features/scoring/learned.ts),
 * with its cross-validated agreement and the decision taken on it. At most one is `active`.
 * `model` holds ratings and term-weight vectors of rated answers, never their words.
 */
export const ScoringModel = defineEntity({
  name: 'ScoringModel',
  tableName: 'scoring_models',
  indexes: [{ properties: ['status'] }],
  properties: {
    id: p.integer().primary(),
    version: p.string().length(60).unique(),
    status: p.enum(SCORING_MODEL_STATUSES),
    reason: p.enum(SCORING_MODEL_REASONS),
    ratings: p.integer(),
    /** Held-out agreement of the model and of the uncalibrated score on the same ratings. */
    cv: p.json<Record<string, unknown>>().nullable(),
    /** Why it was accepted or rejected. */
    decision: p.string().length(300),
    model: p.json<Record<string, unknown>>(),
    fittedAt: p.datetime(3),
  },
});
/** Model row. */
export type IScoringModel = InferEntity<typeof ScoringModel>;
