import { z } from 'zod';

/** One question as HR edits it (`id` absent = a new question). Order in the list = position. */
export const questionInput = z.strictObject({
  id: z.number().int().positive().optional(),
  text: z.string().trim().min(5).max(2000),
  answerType: z.enum(['video', 'audio', 'text']),
  promptMediaKind: z.enum(['image', 'video']).nullable().optional(),
  promptMediaUrl: z
    .string()
    .max(1000)
    .regex(/^https:\/\//, 'must be an https URL')
    .nullable()
    .optional(),
  thinkSeconds: z.number().int().min(0).max(600),
  answerSeconds: z.number().int().min(5).max(900),
  retakes: z.number().int().min(0).max(5),
  competencies: z.array(z.string().trim().min(1).max(50)).min(1).max(6),
  /** Behavioural indicators per competency; keys must be among `competencies`. */
  indicators: z.record(z.string(), z.array(z.string().trim().min(1).max(300)).max(10)).default({}),
  referenceAnswers: z.array(z.string().trim().min(1).max(2000)).max(5).default([]),
  weight: z.number().min(0).max(10).default(1),
  practice: z.boolean().default(false),
  maxChars: z.number().int().min(50).max(10_000).default(2000),
  /** The question bank version this question came from (absent: unchanged; null: none). */
  bankQuestionId: z.number().int().positive().nullable().optional(),
});
/** A question HR submits. */
export type QuestionInput = z.infer<typeof questionInput>;

/** Body of `PUT /api/interview-plans/:jobId/questions`. */
export const questionsBody = z
  .strictObject({ questions: z.array(questionInput).min(1).max(30) })
  .superRefine((b, ctx) => {
    if (b.questions.filter((q) => q.practice).length > 1)
      ctx.addIssue({ code: 'custom', path: ['questions'], message: 'at most one practice question' });
    if (!b.questions.some((q) => !q.practice))
      ctx.addIssue({
        code: 'custom',
        path: ['questions'],
        message: 'at least one question that is not practice',
      });
    for (const [i, q] of b.questions.entries()) {
      for (const k of Object.keys(q.indicators))
        if (!q.competencies.includes(k))
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'indicators', k],
            message: 'not one of the competencies',
          });
      if (Boolean(q.promptMediaKind) !== Boolean(q.promptMediaUrl))
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'promptMediaUrl'],
          message: 'kind and URL go together',
        });
    }
  });
/** Questions body. */
export type QuestionsBody = z.infer<typeof questionsBody>;

/** Body of `PUT /api/interview-plans/accommodations/:applicationId`. */
export const accommodationBody = z.strictObject({
  extraTimePercent: z.number().int().min(0).max(200),
  extraRetakes: z.number().int().min(0).max(5),
  audioOnlyAllowed: z.boolean(),
  note: z.string().max(500).default(''),
});
/** Accommodation body. */
export type AccommodationBody = z.infer<typeof accommodationBody>;

// ---- Responses (HR's plan editor). Checked against the server's presenters; read by the mini-app.

/** A saved question as the editor shows it. */
export interface QuestionView {
  id: number;
  position: number;
  text: string;
  answerType: 'video' | 'audio' | 'text';
  promptMediaKind: 'image' | 'video' | null;
  promptMediaUrl: string | null;
  thinkSeconds: number;
  answerSeconds: number;
  retakes: number;
  competencies: string[];
  indicators: Record<string, string[]>;
  referenceAnswers: string[];
  weight: number;
  practice: boolean;
  maxChars: number;
  /** The question bank version this question was built from (null: written in the plan). */
  bankQuestionId: number | null;
}

/** Response of `GET /api/interview-plans`: every job with its count of (non-practice) questions. */
export interface PlanListResponse {
  items: Array<{ jobId: number; title: string; status: 'open' | 'paused' | 'closed'; questions: number }>;
}

/** Response of `GET /api/interview-plans/:jobId` and of saving its questions. */
export interface PlanResponse {
  job: { id: number; title: string };
  plan: { id: number; name: string };
  questions: QuestionView[];
}

/** Response of `PUT /api/interview-plans/accommodations/:applicationId`. */
export interface AccommodationResponse {
  accommodation: { applicationId: number } & AccommodationBody;
}
