import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Application } from './Application';
import { Candidate } from './Candidate';
import { InterviewPlan, InterviewQuestion } from './InterviewPlan';
import { Job } from './Job';

/** States of an answer (the transitions are in server/features/interview/stateMachine.ts). */
export const ANSWER_STATES = [
  'served',
  'answering',
  'uploaded',
  'verified',
  'retake',
  'late',
  'submitted',
] as const;
/** An answer state. */
export type AnswerState = (typeof ANSWER_STATES)[number];

/** Lifecycle of a whole interview session. */
export const SESSION_STATUSES = ['open', 'submitted', 'withdrawn'] as const;

/**
 * A candidate's AI interview for one application. The same link always resumes it: the
 * server, not the browser, knows which questions were answered.
 */
export const InterviewSession = defineEntity({
  name: 'InterviewSession',
  tableName: 'interview_sessions',
  properties: {
    id: p.integer().primary(),
    application: () => p.oneToOne(Application).owner().unique(),
    candidate: () => p.manyToOne(Candidate),
    job: () => p.manyToOne(Job),
    plan: () => p.manyToOne(InterviewPlan),
    status: p.enum(SESSION_STATUSES).default('open'),
    /** The candidate answers video questions with audio only (accommodation or no camera). */
    audioOnly: p.boolean().default(false),
    /** Recording format the device check found (e.g. `video/webm;codecs=vp8,opus`). */
    recorderMime: p.string().length(100).nullable(),
    startedAt: p.datetime(3),
    submittedAt: p.datetime(3).nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Session row. */
export type IInterviewSession = InferEntity<typeof InterviewSession>;

/**
 * One question of a session once the server served it. `state` follows the pure state machine
 * in `server/features/interview/stateMachine.ts`; `finalAttempt` names the attempt that counts.
 */
export const InterviewAnswer = defineEntity({
  name: 'InterviewAnswer',
  tableName: 'interview_answers',
  uniques: [{ properties: ['session', 'question'] }],
  properties: {
    id: p.integer().primary(),
    session: () => p.manyToOne(InterviewSession),
    question: () => p.manyToOne(InterviewQuestion),
    state: p.enum(ANSWER_STATES),
    /** When the server showed the question (think time starts). */
    servedAt: p.datetime(3),
    /** When the current recording window opened (after think time, or at a retake). */
    windowStartedAt: p.datetime(3).nullable(),
    retakesUsed: p.integer().default(0),
    attempts: p.integer().default(0),
    /** The attempt that counts (1-based), once verified. */
    finalAttempt: p.integer().nullable(),
    text: p.text().nullable(),
    late: p.boolean().default(false),
    lockedAt: p.datetime(3).nullable(),
    /** Compare-and-swap counter: two tabs (or a double tap) can never both move the answer. */
    version: p.integer().default(1),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Answer row. */
export type IInterviewAnswer = InferEntity<typeof InterviewAnswer>;

/**
 * Status of one recording attempt. `checking`: uploaded and waiting for (or under) the worker's
 * media check; `verified` / `rejected` are its verdicts.
 */
export const ATTEMPT_STATUSES = ['granted', 'checking', 'verified', 'rejected'] as const;

/** One recording attempt of an answer: its object, what verification found. */
export const InterviewAttempt = defineEntity({
  name: 'InterviewAttempt',
  tableName: 'interview_attempts',
  uniques: [{ properties: ['answer', 'number'] }],
  // The media-check worker looks for `checking` rows several times a second.
  indexes: [{ properties: ['status', 'checkLeaseUntil'] }],
  properties: {
    id: p.integer().primary(),
    answer: () => p.manyToOne(InterviewAnswer),
    number: p.integer(),
    objectKey: p.string().length(300).unique(),
    contentType: p.string().length(100),
    kind: p.enum(['video', 'audio'] as const),
    status: p.enum(ATTEMPT_STATUSES).default('granted'),
    bytes: p.bigint('number').nullable(),
    durationMs: p.integer().nullable(),
    /** no_audio, too_quiet, too_short, mostly_silent, corrupt, late, too_long. */
    flags: p.json<string[]>().nullable(),
    /** Loudness and silence measures (mean/max volume, silence ratio, longest pause...). */
    metrics: p.json<Record<string, number | string | null>>().nullable(),
    rejectReason: p.string().length(200).nullable(),
    grantedAt: p.datetime(3),
    verifiedAt: p.datetime(3).nullable(),
    late: p.boolean().default(false),
    /** When the candidate reported the upload finished (the check's queue order). */
    uploadedAt: p.datetime(3).nullable(),
    /** The worker checking it (`host:pid:random`), while `checking`. */
    checkClaimedBy: p.string().length(100).nullable(),
    /** Until when that worker holds it; an expired lease is claimed again (a crashed worker). */
    checkLeaseUntil: p.datetime(3).nullable(),
  },
});
/** Attempt row. */
export type IInterviewAttempt = InferEntity<typeof InterviewAttempt>;
