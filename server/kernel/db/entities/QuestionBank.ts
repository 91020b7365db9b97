import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './User';

/** How a question is answered. */
export const ANSWER_TYPES = ['video', 'audio', 'text'] as const;

/**
 * One version of a company-wide question. Editing a question adds a new row with the same
 * `key` and the next `version` (and clears `latest` on the old one); plans copy the text into
 * their own questions and keep the id of the version they used, so an edit never changes an
 * interview that was already set up.
 */
export const BankQuestion = defineEntity({
  name: 'BankQuestion',
  tableName: 'bank_questions',
  uniques: [{ properties: ['key', 'version'] }],
  indexes: [{ properties: ['latest'] }],
  properties: {
    id: p.integer().primary(),
    /** Stable id of the question across its versions. */
    key: p.string().length(36),
    version: p.integer(),
    /** The newest version of its key (the one the bank lists and plans pick). */
    latest: p.boolean().default(true),
    /** Retired from the bank (still readable by plans that use it). */
    archived: p.boolean().default(false),
    text: p.text(),
    /** Competency names (the library's) this question probes. */
    competencies: p.json<string[]>(),
    answerType: p.enum(ANSWER_TYPES).default('video'),
    thinkSeconds: p.integer().default(30),
    answerSeconds: p.integer().default(120),
    retakes: p.integer().default(1),
    /** What a strong answer contains (optional; scoring reads them). */
    referenceAnswers: p.json<string[]>(),
    createdBy: () => p.manyToOne(User).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Bank question row. */
export type IBankQuestion = InferEntity<typeof BankQuestion>;

/**
 * One version of a competency of the company's library: its behavioural indicators in both
 * languages. Scoring reads the latest version of each name; the built-in rubrics are version 1.
 */
export const Competency = defineEntity({
  name: 'Competency',
  tableName: 'competencies',
  uniques: [{ properties: ['name', 'version'] }],
  properties: {
    id: p.integer().primary(),
    name: p.string().length(100),
    version: p.integer(),
    latest: p.boolean().default(true),
    description: p.text().default(''),
    indicatorsZh: p.json<string[]>(),
    indicatorsEn: p.json<string[]>(),
    createdBy: () => p.manyToOne(User).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Competency row. */
export type ICompetency = InferEntity<typeof Competency>;
