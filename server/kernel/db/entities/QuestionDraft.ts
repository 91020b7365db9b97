import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Job } from './Job';
import { BankQuestion } from './QuestionBank';
import { User } from './User';

/** Behavioural (a past experience, told as STAR) or situational (a hypothetical scenario). */
export const QUESTION_DRAFT_KINDS = ['behavioural', 'situational'] as const;
/** A draft waits for HR (proposed) until HR approves it into the bank or discards it. */
export const QUESTION_DRAFT_STATUSES = ['proposed', 'approved', 'discarded'] as const;
/** Who wrote the draft: the rules and competency library, or the LLM. */
export const QUESTION_DRAFT_SOURCES = ['rules', 'llm'] as const;

/**
 * A question proposed from a job's description and chosen competencies (server/features/
 * questiongen). Nothing is asked from a draft: HR edits it, then approving it creates a bank
 * question (version 1, through the bank's own code) and links it here; `bankQuestion` is unique,
 * so one draft never yields two bank questions.
 */
export const QuestionDraft = defineEntity({
  name: 'QuestionDraft',
  tableName: 'question_drafts',
  indexes: [{ properties: ['job', 'status'] }],
  properties: {
    id: p.integer().primary(),
    job: () => p.manyToOne(Job),
    /** Id of the generation run that proposed it (drafts of one run share it). */
    batch: p.string().length(36),
    kind: p.enum(QUESTION_DRAFT_KINDS),
    text: p.text(),
    /** What a good answer shows; becomes the bank question's `referenceAnswers`. */
    referenceAnswers: p.json<string[]>(),
    /** Competency names (the library's) the question probes. */
    competencies: p.json<string[]>(),
    /** The indicators of those competencies the question was written to draw out. */
    indicators: p.json<string[]>(),
    /** zh | en: the job description's language, which the question is written in. */
    language: p.string().length(5),
    source: p.enum(QUESTION_DRAFT_SOURCES),
    rulesVersion: p.string().length(40),
    /** The LLM exchange of its run (prompt version, model, messages, output, why discarded), when one was made. */
    llm: p.json<Record<string, unknown>>().nullable(),
    status: p.enum(QUESTION_DRAFT_STATUSES).default('proposed'),
    /** HR changed the proposed text, reference points, competencies or kind. */
    edited: p.boolean().default(false),
    bankQuestion: () => p.manyToOne(BankQuestion).nullable().unique(),
    createdBy: () => p.manyToOne(User).nullable(),
    decidedBy: () => p.manyToOne(User).nullable(),
    decidedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Question draft row. */
export type IQuestionDraft = InferEntity<typeof QuestionDraft>;
