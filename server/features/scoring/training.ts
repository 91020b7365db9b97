/**
 * The one code path from rated answers to a learned model, shared by the product's calibration
 * (calibrationStore.ts, ratings stored by interviewers) and `npm run score -- --train` (rated
 * JSONL lines), so the CLI measures exactly what the product would fit from the same ratings.
 */
import { bankIdf, measureContent, type QuestionContext, type QuestionSpec, questionContext } from './content';
import { contextOf, scoreAnswer } from './engine';
import { answerVector, fitModel, type LearnedModel, type RatedAnswer } from './learned';
import type { CompetencySpec, Lang, ScoringInput } from './types';

/** A question as scoring needs it. */
export interface QuestionDef {
  questionId: string;
  /** Competency/job group (learned model's middle level). */
  group?: string;
  question: string;
  competencies: CompetencySpec[];
  referenceAnswers?: string[];
  lang: Lang;
}

/** A rated answer to a question (rating on the 1-5 scale). */
export interface RatedText {
  question: QuestionDef;
  transcript: string;
  rating: number;
}

/** The rubric lines of a question (competency names and indicators). */
export function rubricOf(q: Pick<QuestionDef, 'competencies'>): string[] {
  return q.competencies.flatMap((c) => [c.name, ...c.indicators]);
}

function specOf(q: QuestionDef): QuestionSpec {
  return { question: q.question, referenceAnswers: q.referenceAnswers, rubric: rubricOf(q), lang: q.lang };
}

/**
 * Contexts of a question bank: one IDF over all its questions (per language), one context per
 * question id. The product passes a job's questions; the CLI every question of its files.
 */
export function contextsFor(questions: QuestionDef[]): Map<string, QuestionContext> {
  const out = new Map<string, QuestionContext>();
  // One document set per question, however many answers it has.
  const unique = [...new Map(questions.map((q) => [q.questionId, q])).values()];
  for (const lang of ['zh', 'en'] as const) {
    const qs = unique.filter((q) => q.lang === lang);
    if (!qs.length) continue;
    const idf = bankIdf(qs.map(specOf));
    const made = qs.map((q) => questionContext(specOf(q), idf));
    made.forEach((ctx, i) => {
      ctx.others = made.filter((_, j) => j !== i).map((o) => o.topicPlain);
      ctx.othersDescribedAs = made
        .filter((o, j) => j !== i && o.describedAs.length)
        .map((o) => o.describedAs);
      ctx.othersPlainReferences = made
        .filter((o, j) => j !== i && o.plainReferences.length)
        .map((o) => o.plainReferences);
      out.set(qs[i].questionId, ctx);
    });
  }
  return out;
}

/** The scorer's input for an answer to a question. */
export function inputOf(q: QuestionDef, transcript: string, extra: Partial<ScoringInput> = {}): ScoringInput {
  return {
    question: q.question,
    competencies: q.competencies,
    referenceAnswers: q.referenceAnswers,
    language: q.lang,
    transcript,
    ...extra,
  };
}

/** A rated answer as the model sees it: the uncalibrated scorer's measures plus its rating. */
export function ratedAnswerOf(r: RatedText, ctx?: QuestionContext): RatedAnswer {
  const input = inputOf(r.question, r.transcript);
  const context = ctx ?? contextOf(input, r.question.lang);
  const res = scoreAnswer(input, { context });
  return {
    questionId: r.question.questionId,
    group: r.question.group,
    // The same vector the engine compares at scoring time: counted sentences only.
    vec: (() => {
      const m = measureContent(r.transcript, context);
      return answerVector(r.transcript, context, undefined, m.plain);
    })(),
    content: res.features.content,
    evidence: res.features.evidence,
    uncalibrated: res.uncalibrated,
    rating: (Math.max(1, Math.min(5, r.rating)) - 1) / 4,
  };
}

/** Fits a learned model (with its cross-validated agreement) from rated answers. */
export function learnFromRatings(
  rows: RatedText[],
  contexts: Map<string, QuestionContext>,
  now = new Date(),
): LearnedModel {
  return fitModel(
    rows.map((r) => ratedAnswerOf(r, contexts.get(r.question.questionId))),
    now,
  );
}
