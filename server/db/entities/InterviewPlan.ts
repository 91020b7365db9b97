import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Job } from './Job';

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
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Interview plan row. */
export type IInterviewPlan = InferEntity<typeof InterviewPlan>;

/** One question of a plan, asked in `position` order. */
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
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
/** Interview question row. */
export type IInterviewQuestion = InferEntity<typeof InterviewQuestion>;
