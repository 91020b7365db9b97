/**
 * Batch scoring over JSONL lines (the `npm run score` CLI and the benchmark share it): parse a
 * line of the documented shape, score it, fit calibrated weights from rated lines.
 */
import { z } from 'zod';
import {
  type Agreement,
  agreement,
  crossValidate,
  fitWeights,
  MIN_RATINGS_TO_FIT,
  type RatedFeatures,
} from './calibrate';
import { combine, DEFAULT_WEIGHTS, scoreAnswer } from './engine';
import { resolveCompetencies } from './rubrics';
import { detectLanguage } from './text';
import type { ScoreResult, ScoringWeights } from './types';

/** One input line: `{ id, question, transcript, language?, referenceAnswers?, competencies?, expectedSeconds? }`. */
export const answerLine = z.object({
  id: z.union([z.string(), z.number()]),
  questionId: z.union([z.string(), z.number()]).optional(),
  question: z.string(),
  transcript: z.string(),
  language: z.enum(['zh', 'en']).optional(),
  referenceAnswers: z.array(z.string()).optional(),
  /** Names (default indicators) or `{ name, indicators }`. */
  competencies: z
    .array(z.union([z.string(), z.object({ name: z.string(), indicators: z.array(z.string()).default([]) })]))
    .optional(),
  expectedSeconds: z.number().positive().optional(),
  /** Interviewer rating 1-5 (training and evaluation files). */
  humanScore: z.number().min(1).max(5).optional(),
});
/** A parsed input line. */
export type AnswerLine = z.infer<typeof answerLine>;

/** Parses JSONL text; throws naming the line number and field of the first bad line. */
export function parseJsonl(text: string, file = 'input'): AnswerLine[] {
  const out: AnswerLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const r = answerLine.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(`${file}:${i + 1}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
    }
    out.push(r.data);
  });
  return out;
}

/** Scores one line with the given weights. Without competencies, a generic answer-quality rubric is used. */
export function scoreLine(line: AnswerLine, weights: ScoringWeights = DEFAULT_WEIGHTS): ScoreResult {
  const lang = line.language ?? detectLanguage(line.transcript || line.question);
  const names = (line.competencies ?? []).map((c) => (typeof c === 'string' ? c : c.name));
  const own = Object.fromEntries(
    (line.competencies ?? []).flatMap((c) => (typeof c === 'string' ? [] : [[c.name, c.indicators]])),
  );
  return scoreAnswer(
    {
      question: line.question,
      competencies: resolveCompetencies(
        names.length ? names : [lang === 'zh' ? '问题解决' : 'Problem solving'],
        own,
        lang,
      ),
      referenceAnswers: line.referenceAnswers,
      expectedSeconds: line.expectedSeconds,
      language: line.language,
      transcript: line.transcript,
    },
    weights,
  );
}

/** The output line: `{ id, score, competencies, evidence, flags }` (+ a few explanatory fields). */
export function outputLine(line: AnswerLine, r: ScoreResult) {
  return {
    id: line.id,
    score: r.overall,
    competencies: r.competencies.map((c) => ({ name: c.name, score: c.score, matched: c.matchedIndicators })),
    evidence: r.competencies.flatMap((c) =>
      c.evidence.map((e) => ({
        competency: c.name,
        indicator: e.indicator,
        text: e.text,
        start: e.start,
        end: e.end,
      })),
    ),
    flags: r.flags,
    scorerVersion: r.scorerVersion,
    weights: r.weightsSource,
  };
}

/** Calibrated weights: per question id when that question has enough ratings, else global. */
export interface TrainedModel {
  global: ScoringWeights;
  perQuestion: Map<string, ScoringWeights>;
  /** Cross-validated agreement of the global fit (held-out ratings). */
  heldOut: Agreement | null;
  rows: number;
}

/** Features of a line as the calibration sees them (answer-level, gated). */
function ratedRow(line: AnswerLine): RatedFeatures {
  return { features: scoreLine(line).features, rating: line.humanScore as number };
}

/** Fits weights from rated lines; falls back to defaults when there are too few ratings. */
export function train(lines: AnswerLine[], lambda = 0.05): TrainedModel {
  const rated = lines.filter((l) => l.humanScore !== undefined);
  const rows = rated.map(ratedRow);
  const global = rows.length >= MIN_RATINGS_TO_FIT ? fitWeights(rows, 'global', lambda) : DEFAULT_WEIGHTS;
  const perQuestion = new Map<string, ScoringWeights>();
  const byQ = new Map<string, RatedFeatures[]>();
  rated.forEach((l, i) => {
    if (l.questionId === undefined) return;
    const k = String(l.questionId);
    byQ.set(k, [...(byQ.get(k) ?? []), rows[i]]);
  });
  for (const [q, r] of byQ)
    if (r.length >= MIN_RATINGS_TO_FIT) perQuestion.set(q, fitWeights(r, `question:${q}`, lambda));
  const heldOut =
    rows.length >= MIN_RATINGS_TO_FIT ? crossValidate(rows, (f, w) => combine(f, w), 5, lambda) : null;
  return { global, perQuestion, heldOut, rows: rows.length };
}

/** Weights for a line under a trained model. */
export function weightsFor(model: TrainedModel | null, line: AnswerLine): ScoringWeights {
  if (!model) return DEFAULT_WEIGHTS;
  return (line.questionId !== undefined && model.perQuestion.get(String(line.questionId))) || model.global;
}

/** Agreement of scores with the lines' human ratings (only lines that have one). */
export function agreementOf(lines: AnswerLine[], scores: number[]): Agreement | null {
  const idx = lines.map((l, i) => (l.humanScore !== undefined ? i : -1)).filter((i) => i >= 0);
  if (idx.length < 3) return null;
  return agreement(
    idx.map((i) => scores[i]),
    idx.map((i) => lines[i].humanScore as number),
  );
}
