/**
 * Batch scoring over JSONL lines (the `npm run score` CLI and the benchmark share it): parse a
 * line of the documented shape, build the question bank's contexts, score, and learn from rated
 * lines through the same code path as the product's calibration (training.ts).
 */
import { z } from 'zod';
import { type AnswerPool, poolOf } from './answerPool';
import { type QuestionContext, referenceCoverage } from './content';
import { type ScoreOptions, scoreAnswer } from './engine';
import { agreement01, decide, type LearnedModel } from './learned';
import { resolveCompetencies } from './rubrics';
import { detectLanguage } from './text';
import { contextsFor, inputOf, learnFromRatings, type QuestionDef, type RatedText } from './training';
import type { ScoreResult } from './types';

/** A rating scale `[lo, hi]`; ratings are mapped linearly onto the product's 1-5. */
export type Scale = readonly [number, number];
/** The product's rating scale. */
export const DEFAULT_SCALE: Scale = [1, 5];

/**
 * One input line: `{ id, questionId?, question, transcript, language?, referenceAnswers?,
 * competencies?, expectedSeconds?, humanScore?, split? }` (other fields are ignored).
 */
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
  /** A person's rating, on the scale given to the CLI (`--scale`, default 1-5). */
  humanScore: z.number().finite().optional(),
  /** Fixed split of an evaluation set (`train` / `test`). */
  split: z.string().optional(),
});
/** A parsed input line. */
export type AnswerLine = z.infer<typeof answerLine>;

/**
 * Parses JSONL text; throws naming the line number and field of the first bad line (including
 * a rating outside `scale`).
 */
export function parseJsonl(text: string, file = 'input', scale: Scale = DEFAULT_SCALE): AnswerLine[] {
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
    const h = r.data.humanScore;
    if (h !== undefined && (h < scale[0] || h > scale[1]))
      throw new Error(`${file}:${i + 1}: humanScore: ${h} is outside the scale ${scale[0]}-${scale[1]}`);
    out.push(r.data);
  });
  return out;
}

/** Parses `--scale lo,hi`. */
export function parseScale(text: string | undefined): Scale {
  if (text === undefined) return DEFAULT_SCALE;
  const parts = text.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 2 || parts.some((x) => !Number.isFinite(x)) || parts[0] >= parts[1])
    throw new Error(`--scale: expected "lo,hi" with lo < hi, got "${text}"`);
  return [parts[0], parts[1]];
}

/** A rating on `scale` mapped onto 1-5. */
export const toFive = (x: number, scale: Scale) => 1 + (4 * (x - scale[0])) / (scale[1] - scale[0]);

/** The question id of a line (its question text when it has none). */
export const questionIdOf = (l: AnswerLine) => String(l.questionId ?? `q:${l.question}`);

/** The question of a line. Without competencies the rubric is empty (not an interview). */
export function questionOf(l: AnswerLine): QuestionDef {
  const lang = l.language ?? detectLanguage(l.question || l.transcript);
  const names = (l.competencies ?? []).map((c) => (typeof c === 'string' ? c : c.name));
  const own = Object.fromEntries(
    (l.competencies ?? []).flatMap((c) => (typeof c === 'string' ? [] : [[c.name, c.indicators]])),
  );
  return {
    questionId: questionIdOf(l),
    question: l.question,
    competencies: resolveCompetencies(names, own, lang),
    referenceAnswers: l.referenceAnswers,
    lang,
  };
}

/** Contexts of every question in these lines (one question bank). */
export function contextsOf(lines: AnswerLine[]): Map<string, QuestionContext> {
  return contextsFor(lines.map(questionOf));
}

/**
 * What informs a line's off-topic check besides the line itself: a rejected model's rated
 * answers, earlier unrated answers (never a score directly).
 */
export type LineOptions = Pick<ScoreOptions, 'topicModel' | 'pool'>;

/** Scores one line (uncalibrated without a model). */
export function scoreLine(
  line: AnswerLine,
  contexts?: Map<string, QuestionContext>,
  model?: LearnedModel | null,
  extra: LineOptions = {},
): ScoreResult {
  const q = questionOf(line);
  return scoreAnswer(inputOf(q, line.transcript, { expectedSeconds: line.expectedSeconds }), {
    context: contexts?.get(q.questionId),
    model,
    questionId: q.questionId,
    ...extra,
  });
}

/**
 * How the product scores with a fitted model: it serves when `decide` accepts it; otherwise the
 * score is uncalibrated and the model's rated answers inform only the off-topic check.
 */
export function servingOptions(
  model: LearnedModel | null,
  serves: boolean,
  pool: AnswerPool | null = null,
): { model: LearnedModel | null; extra: LineOptions } {
  return serves ? { model, extra: { pool } } : { model: null, extra: { topicModel: model, pool } };
}

/** The pool of earlier answers made of these lines' texts (their ratings, if any, ignored). */
export function poolOfLines(lines: AnswerLine[], contexts: Map<string, QuestionContext>): AnswerPool {
  return poolOf(
    lines.map((l) => ({ questionId: questionIdOf(l), transcript: l.transcript })),
    contexts,
  );
}

/** The output line: `{ id, score, competencies, evidence, flags, basis }`. */
export function outputLine(line: AnswerLine, r: ScoreResult) {
  return {
    id: line.id,
    score: r.overall,
    uncalibrated: r.uncalibrated,
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
    notes: r.notes,
    basis: r.basis,
    scorerVersion: r.scorerVersion,
    weights: r.weightsSource,
  };
}

/** Learns from the rated lines (ratings on `scale`), exactly as the product's calibration does. */
export function train(
  lines: AnswerLine[],
  contexts: Map<string, QuestionContext>,
  scale: Scale = DEFAULT_SCALE,
  now = new Date(),
): LearnedModel {
  const rated: RatedText[] = lines
    .filter((l) => l.humanScore !== undefined)
    .map((l) => ({
      question: questionOf(l),
      transcript: l.transcript,
      rating: toFive(l.humanScore as number, scale),
    }));
  return learnFromRatings(rated, contexts, now);
}

/** Agreement (Pearson, Spearman, QWK on 1-5 bands) of scores with the lines' ratings on `scale`. */
export function agreementOf(lines: AnswerLine[], scores: number[], scale: Scale = DEFAULT_SCALE) {
  const idx = lines.map((l, i) => (l.humanScore !== undefined ? i : -1)).filter((i) => i >= 0);
  if (idx.length < 3) return null;
  return agreement01(
    idx.map((i) => scores[i]),
    idx.map((i) => (toFive(lines[i].humanScore as number, scale) - 1) / 4),
  );
}

/** Kinds of gaming answers built for every question by {@link gamingCheck}. */
export const GAMING_KINDS = ['stuffed', 'parroted', 'other_question', 'repeated'] as const;

const STAR_FILLER = {
  zh: '首先我分析了当时的情况，然后采取了行动，最终结果提升了30%，效率提高了45%，成本降低了20%。',
  en: 'First I analysed the situation, then I took action, and as a result we improved results by 30%, raised efficiency by 45% and cut costs by 20%.',
};

/**
 * Gaming answers for a question, built only from what a candidate sees (the question) and
 * from other answers: the question's terms stuffed with STAR phrases and invented numbers, the
 * question parroted, another question's best answer, and a repeated sentence of the question.
 */
export function gamingAnswers(
  q: AnswerLine,
  other: AnswerLine | undefined,
): Record<(typeof GAMING_KINDS)[number], string> {
  const lang = q.language ?? detectLanguage(q.question);
  const words =
    lang === 'zh'
      ? [...new Set(q.question.match(/\p{Script=Han}{2,}|[A-Za-z0-9]+/gu) ?? [])]
      : [...new Set(q.question.toLowerCase().match(/[a-z0-9]{3,}/g) ?? [])];
  const sep = lang === 'zh' ? '，' : ', ';
  const end = lang === 'zh' ? '。' : '. ';
  return {
    stuffed: `${words.join(sep)}${end}${words.join(sep)}${end}${STAR_FILLER[lang]}`,
    parroted: `${q.question}${end}${q.question}`,
    other_question: other?.transcript ?? '',
    repeated: Array.from({ length: 4 }, () => `${words.join(' ')}${end}`).join(''),
  };
}

/**
 * Share of a question's reference answer (bank-IDF weighted) that another question's reference
 * must also say for the two to be one question asked twice. Public sets have such pairs: le-zh
 * asks three of its questions twice (coverage 0.95-1.0; the next pair 0.58), mohler's "What does
 * a function signature include?" is answered inside "function prototype vs definition" (0.91;
 * next 0.65). An answer to the twin is a genuine answer, so the check borrows from another.
 */
export const SAME_QUESTION_COVERAGE = 0.8;

/**
 * The question after `ids[i]` (in order, wrapping) that is not `ids[i]` asked again: one whose
 * reference answers do not say {@link SAME_QUESTION_COVERAGE} of `ids[i]`'s (the other way round
 * does not matter: an answer to a narrower question is not a whole answer to the wider one).
 * The source of the "answer to another question". Undefined when there is none.
 */
export function differentQuestion(
  ids: string[],
  i: number,
  contexts: Map<string, QuestionContext>,
): string | undefined {
  const own = contexts.get(ids[i]);
  for (let k = 1; k < ids.length; k++) {
    const id = ids[(i + k) % ids.length];
    const other = contexts.get(id);
    const twin =
      own !== undefined &&
      other !== undefined &&
      own.lang === other.lang &&
      referenceCoverage(own, other) >= SAME_QUESTION_COVERAGE;
    if (!twin) return id;
  }
  return undefined;
}

/**
 * Per question: which gaming answers scored above the best human answer among `lines` (so a
 * split's check compares with that split's best answer only). `above` counts gaming answers by
 * kind, `questionsAbove` the questions with at least one.
 */
export function gamingCheck(
  lines: AnswerLine[],
  contexts: Map<string, QuestionContext>,
  model: LearnedModel | null,
  extra: LineOptions = {},
): {
  questions: number;
  questionsAbove: number;
  above: Record<string, number>;
  worst: Array<{ questionId: string; kind: string; margin: number }>;
} {
  const byQ = new Map<string, AnswerLine[]>();
  for (const l of lines)
    if (l.humanScore !== undefined) byQ.set(questionIdOf(l), [...(byQ.get(questionIdOf(l)) ?? []), l]);
  const ids = [...byQ.keys()];
  const above: Record<string, number> = Object.fromEntries(GAMING_KINDS.map((k) => [k, 0]));
  const worst: Array<{ questionId: string; kind: string; margin: number }> = [];
  const hit = new Set<string>();
  ids.forEach((id, i) => {
    const qs = byQ.get(id) as AnswerLine[];
    const top = Math.max(...qs.map((l) => l.humanScore as number));
    const best = Math.max(
      ...qs.filter((l) => l.humanScore === top).map((l) => scoreLine(l, contexts, model, extra).overall),
    );
    const otherId = differentQuestion(ids, i, contexts);
    const otherQ = otherId === undefined ? [] : (byQ.get(otherId) as AnswerLine[]);
    const other = [...otherQ].sort((a, b) => (b.humanScore as number) - (a.humanScore as number))[0];
    const fakes = gamingAnswers(qs[0], other);
    for (const kind of GAMING_KINDS) {
      if (!fakes[kind]) continue;
      const s = scoreLine(
        { ...qs[0], id: `${id}:${kind}`, transcript: fakes[kind], humanScore: undefined },
        contexts,
        model,
        extra,
      ).overall;
      if (s > best) {
        above[kind]++;
        hit.add(id);
        worst.push({ questionId: id, kind, margin: s - best });
      }
    }
  });
  worst.sort((a, b) => b.margin - a.margin);
  return { questions: ids.length, questionsAbove: hit.size, above, worst: worst.slice(0, 10) };
}

/** Fold (0 to `k - 1`) of each line: by position within its question, so every fold holds every question. */
export function foldsOf(lines: AnswerLine[], k: number): number[] {
  const seen = new Map<string, number>();
  const order = new Map<string, number>();
  return lines.map((l) => {
    const q = questionIdOf(l);
    if (!order.has(q)) order.set(q, order.size);
    const at = seen.get(q) ?? 0;
    seen.set(q, at + 1);
    // Offset by the question's order so single-answer questions do not all land in fold 0.
    return (at + (order.get(q) as number)) % k;
  });
}

type GamingResult = ReturnType<typeof gamingCheck>;
type AgreementResult = NonNullable<ReturnType<typeof agreementOf>>;

/** Genuine answers flagged `off_topic`: all of them, and those people rated 4 or 5 of 5. */
export interface OffTopicCount {
  flagged: number;
  ratedHigh: number;
}

/**
 * Development measure on rows one may tune on: K-fold cross-validation over rated lines (folds
 * by answer within each question, as the test split relates to the train split). Each fold's
 * model is fitted on the other folds only and serves only if the product's rule accepts it
 * (`decide`; a rejected model's rated answers still inform the off-topic check, as in the
 * product); the held-out fold's lines are scored as served, with the model always, and
 * uncalibrated (no ratings at all), and checked for gaming against the fold's own best answer.
 * With `pool`, the other folds' texts are the earlier answers (answerPool.ts) of every path.
 * Counts are summed over folds (a question is checked once per fold that holds rated answers
 * to it), as are the held-out genuine answers flagged `off_topic`.
 */
export function crossValidatedCheck(
  lines: AnswerLine[],
  contexts: Map<string, QuestionContext>,
  k: number,
  scale: Scale = DEFAULT_SCALE,
  opts: { gaming?: boolean; pool?: boolean } = {},
): {
  folds: number;
  served: number;
  agreement: {
    served: AgreementResult | null;
    model: AgreementResult | null;
    uncalibrated: AgreementResult | null;
  };
  offTopic: { served: OffTopicCount; uncalibrated: OffTopicCount };
  gaming: { served: GamingResult; uncalibrated: GamingResult } | null;
} {
  if (!Number.isInteger(k) || k < 2) throw new Error(`--cv: expected a whole number of folds >= 2, got ${k}`);
  const rated = lines.filter((l) => l.humanScore !== undefined);
  if (rated.length < k) throw new Error(`--cv: ${rated.length} rated lines cannot make ${k} folds`);
  const fold = foldsOf(rated, k);
  const held: AnswerLine[] = [];
  const served: number[] = [];
  const always: number[] = [];
  const uncal: number[] = [];
  let servedFolds = 0;
  const empty = (): GamingResult => ({ questions: 0, questionsAbove: 0, above: {}, worst: [] });
  const sum = { served: empty(), uncalibrated: empty() };
  const offTopic = { served: { flagged: 0, ratedHigh: 0 }, uncalibrated: { flagged: 0, ratedHigh: 0 } };
  const countOffTopic = (into: OffTopicCount, l: AnswerLine, r: ScoreResult) => {
    if (!r.flags.includes('off_topic')) return;
    into.flagged++;
    if (toFive(l.humanScore as number, scale) >= 4) into.ratedHigh++;
  };
  const add = (into: GamingResult, g: GamingResult, f: number) => {
    into.questions += g.questions;
    into.questionsAbove += g.questionsAbove;
    for (const [kind, n] of Object.entries(g.above)) into.above[kind] = (into.above[kind] ?? 0) + n;
    into.worst.push(...g.worst.map((w) => ({ ...w, questionId: `${w.questionId} (fold ${f})` })));
  };
  for (let f = 0; f < k; f++) {
    const out = rated.filter((_, i) => fold[i] === f);
    const fit = rated.filter((_, i) => fold[i] !== f);
    if (!out.length) continue;
    const model = train(fit, contexts, scale);
    const serves = decide(model.cv).accept;
    if (serves) servedFolds++;
    // The other folds' texts are the held-out answers' earlier answers.
    const pool = opts.pool ? poolOfLines(fit, contexts) : null;
    const asServed = servingOptions(model, serves, pool);
    const none: LineOptions = { pool };
    for (const l of out) {
      const r = scoreLine(l, contexts, asServed.model, asServed.extra);
      const u = scoreLine(l, contexts, null, none);
      held.push(l);
      always.push(serves ? r.overall : scoreLine(l, contexts, model, none).overall);
      uncal.push(u.overall);
      served.push(r.overall);
      countOffTopic(offTopic.served, l, r);
      countOffTopic(offTopic.uncalibrated, l, u);
    }
    if (opts.gaming) {
      add(sum.served, gamingCheck(out, contexts, asServed.model, asServed.extra), f);
      add(sum.uncalibrated, gamingCheck(out, contexts, null, none), f);
    }
  }
  for (const g of [sum.served, sum.uncalibrated]) g.worst.sort((a, b) => b.margin - a.margin);
  return {
    folds: k,
    served: servedFolds,
    agreement: {
      served: agreementOf(held, served, scale),
      model: agreementOf(held, always, scale),
      uncalibrated: agreementOf(held, uncal, scale),
    },
    offTopic,
    gaming: opts.gaming ? sum : null,
  };
}
