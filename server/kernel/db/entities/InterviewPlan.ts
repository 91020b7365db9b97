import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Job } from './Job';
import { ANSWER_TYPES, BankQuestion } from './QuestionBank';

/**
 * The interview plan of a job: which questions are asked. The booking and interview issues
 * extend it (session type, capacity, timing rules, accommodations) through migrations.
 */
export const InterviewPlan = defineEntity({
  name: 'InterviewPlan',
  tableName: 'interview_plans',
  properties: {
    id: p.integer().primary(),
    job: () => p.manyToOne(Job).unique(),
    name: p.string().length(200),
    /** Follow-up questions (追问) after answers; HR can switch them off per plan. */
    followUps: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Interview plan row. */
export type IInterviewPlan = InferEntity<typeof InterviewPlan>;

/** How a question is answered (defined beside the bank, whose questions carry it too). */
export { ANSWER_TYPES };
/** Kind of an optional prompt shown with the question text. */
export const PROMPT_MEDIA = ['image', 'video'] as const;

/**
 * One question of a plan, asked in `position` order. A practice question (`practice`) is asked
 * first, never scored and may be retried without limit; it does not count in "question k of n".
 */
export const InterviewQuestion = defineEntity({
  name: 'InterviewQuestion',
  tableName: 'interview_questions',
  uniques: [{ properties: ['plan', 'position'] }],
  properties: {
    id: p.integer().primary(),
    plan: () => p.manyToOne(InterviewPlan),
    position: p.integer(),
    text: p.text(),
    /** Competency names this question probes; scoring reads their rubrics. */
    competencies: p.json<string[]>(),
    thinkSeconds: p.integer(),
    answerSeconds: p.integer(),
    retakes: p.integer(),
    /** Video (default), audio only, or typed text. */
    answerType: p.enum(ANSWER_TYPES).default('video'),
    /** Optional image or video shown with the text (an https URL or an object key). */
    promptMediaKind: p.enum(PROMPT_MEDIA).nullable(),
    promptMediaUrl: p.string().length(1000).nullable(),
    /** Behavioural indicators per competency (scoring reads them). */
    indicators: p.json<Record<string, string[]>>().nullable(),
    /** What a strong answer contains, written by HR (optional; scoring reads them). */
    referenceAnswers: p.json<string[]>().nullable(),
    /** Relative weight in the overall score. */
    weight: p.double().default(1),
    /** Practice question: shown first, not scored, unlimited tries. */
    practice: p.boolean().default(false),
    /** Maximum characters of a text answer. */
    maxChars: p.integer().default(2000),
    /** The bank question version this question was built from (null: written in the plan). */
    bankQuestion: () => p.manyToOne(BankQuestion).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
/** Interview question row. */
export type IInterviewQuestion = InferEntity<typeof InterviewQuestion>;
