/**
 * Learning from the company's own ratings (issue 12). For a question with rated answers, a new
 * answer is also scored by what it shares with them, and everything is combined by a fitted,
 * regularised linear model:
 *
 * Inputs of the model (each in [0, 1]):
 * - `content`: the uncalibrated reference similarity (content.ts);
 * - `evidence`: specific example, own role/action, result (engine);
 * - `neighbours`: similarity-weighted mean rating of the k most similar rated answers to the
 *   same question (TF-IDF cosine, question terms demoted), shrunk towards the question's mean;
 * - `questionMean`: the question's mean rating, shrunk towards the scope's mean (questions
 *   differ in how hard they are).
 *
 * Fit: ridge regression, per question when it has enough ratings, per group (competency/job)
 * otherwise, global as the fallback; each level is shrunk towards its parent's weights, so
 * twenty ratings move a question's model only as far as they can be trusted. Weights on
 * `content` and `evidence` are kept non-negative (saying more relevant things never counts
 * against an answer). Training rows' neighbour inputs are computed leave-one-out; the model's
 * agreement is measured by k-fold cross-validation where held-out answers are neither
 * neighbours nor fitting rows.
 *
 * The model stores rated answers' vectors, never their words, and explanations name only
 * ratings ("resembles answers rated 4-5"), never another candidate's identity or text.
 */
import { type Agreement, agreement, pearson } from './calibrate';
import { demotedTerms, QUESTION_DEMOTION, type QuestionContext } from './content';
import { termCounts, tfidf, VIEW_WEIGHTS } from './similarity';

/** Names of the model's inputs, in order. */
export const MODEL_INPUTS = ['content', 'evidence', 'neighbours', 'questionMean'] as const;
/** Inputs that may not get a negative weight. */
const NON_NEGATIVE = new Set([0, 1]);
/** Nearest rated neighbours used. */
export const K_NEIGHBOURS = 5;
/** Ratings a question needs for its own fit (fewer: its group's or the global fit). */
export const MIN_QUESTION_RATINGS = 12;
/** Ratings a group needs for its own fit. */
export const MIN_GROUP_RATINGS = 30;
/** Ratings needed before anything is fitted at all. */
export const MIN_GLOBAL_RATINGS = 20;
/** Ridge strength (per row), towards the parent's weights. */
const LAMBDA = { global: 0.02, group: 0.1, question: 0.3 };
/** Pseudo-count of the prior in shrunk means. */
const PRIOR_WEIGHT = { neighbours: 0.3, questionMean: 3 };

/** One rated answer as the model sees it (rating on 0-1). */
export interface RatedAnswer {
  questionId: string;
  /** Competency or job the question belongs to (`job:3/沟通协作`); optional. */
  group?: string;
  /** TF-IDF vector of the answer in its question context. */
  vec: PackedVector;
  content: number;
  evidence: number;
  /** The uncalibrated score (0-100), for the comparison in cross-validation. */
  uncalibrated: number;
  rating: number;
}

/** A linear model: intercept and one weight per input. */
export interface Linear {
  b: number;
  w: number[];
  n: number;
}

/** A fitted model (serialisable with {@link serialiseModel}). */
export interface LearnedModel {
  version: string;
  fittedAt: string;
  globalMean: number;
  /** Mean rating of each group with its own fit (prior of its questions' means). */
  groupMeans: Record<string, number>;
  global: Linear;
  groups: Record<string, Linear>;
  questions: Record<string, Linear>;
  /** Rated answers by question id (vectors and ratings only). */
  rated: Record<string, Array<{ vec: PackedVector; rating: number }>>;
  /** Group of each question seen in training. */
  questionGroup: Record<string, string>;
  /** Cross-validated agreement (held-out), and the uncalibrated score's on the same rows. */
  cv: { model: Agreement & { spearman: number }; uncalibrated: Agreement & { spearman: number } } | null;
  ratings: number;
}

/**
 * A sparse vector packed for fast comparison: hashed term keys (32-bit, ascending) and their
 * weights. Hashing means a stored model holds numbers, not readable words of other candidates;
 * sorted keys make a dot product one merge pass (the k-NN search compares with every rated
 * answer of the question).
 */
export interface PackedVector {
  k: number[];
  v: number[];
}

/** Terms kept in a neighbour vector. */
export const MAX_VECTOR_TERMS = 120;

/** Dot product of two packed vectors (cosine: both are normalised). */
export function packedDot(a: PackedVector, b: PackedVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  const ak = a.k;
  const bk = b.k;
  while (i < ak.length && j < bk.length) {
    const x = ak[i];
    const y = bk[j];
    if (x === y) {
      s += a.v[i++] * b.v[j++];
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/**
 * TF-IDF vector of an answer in its question's context (what neighbours are compared on), from
 * its term counts or its already computed plain TF-IDF vector; question terms are demoted.
 */
export function answerVector(
  transcript: string,
  ctx: QuestionContext,
  counts?: Map<string, number>,
  plain?: Map<string, number>,
): PackedVector {
  const v = plain ?? tfidf(counts ?? termCounts(transcript, ctx.lang), ctx.idf, VIEW_WEIGHTS[ctx.lang]);
  // Only the heaviest terms: the neighbours are found on what distinguishes answers, and the
  // k-NN search compares with every rated answer of the question.
  const keys: string[] = new Array(v.size);
  const w = new Float64Array(v.size);
  let i = 0;
  const known = plain && demotedTerms.get(plain);
  const flags =
    known && known.demote === ctx.demote && known.demoted.length === v.size ? known.demoted : null;
  for (const [k, x] of v) {
    keys[i] = k;
    const demoted = flags ? flags[i] === 1 : ctx.demote.has(k);
    w[i++] = demoted ? x * QUESTION_DEMOTION : x;
  }
  const kept = heaviest(w, MAX_VECTOR_TERMS);
  let norm = 0;
  for (const j of kept) norm += w[j] * w[j];
  norm = Math.sqrt(norm) || 1;
  return packEntries(keys, w, kept, norm);
}

/**
 * Hashes the kept entries' keys (`kept`: indexes into `keys` and `w`, heaviest first) and packs them in ascending key order, the weights of keys that hash
 * alike summed in entry order (as a map accumulating `(get(h) ?? 0) + x / norm` would). Sorted as
 * numbers in a typed array: each slot holds `hash * 2^9 + entry index` (exact below 2^53 with at
 * most 512 entries), so equal hashes stay in entry order without a comparator.
 */
function packEntries(keys: string[], w: Float64Array, kept: number[], norm: number): PackedVector {
  const order = new Float64Array(kept.length);
  for (let i = 0; i < kept.length; i++) order[i] = hashString(keys[kept[i]]) * PACK_SLOTS + i;
  order.sort();
  const k: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < order.length; i++) {
    const h = Math.floor(order[i] / PACK_SLOTS);
    const x = w[kept[order[i] - h * PACK_SLOTS]] / norm;
    if (k.length && k[k.length - 1] === h) v[v.length - 1] += x;
    else {
      k.push(h);
      v.push(0 + x);
    }
  }
  return { k, v };
}

/** Slots per hash in {@link packEntries}' sort keys (more than {@link MAX_VECTOR_TERMS}). */
const PACK_SLOTS = 512;

/**
 * Indexes of the `n` heaviest weights, heaviest first, equal weights in their original order: the
 * first `n` of a stable sort by weight, without sorting every entry (a long answer has hundreds of
 * terms): the n-th weight is found on a copy, and only the kept indexes are sorted.
 */
function heaviest(w: Float64Array, n: number): number[] {
  const kept: number[] = [];
  if (w.length > n) {
    const cut = nthSmallest(Float64Array.from(w), w.length - n);
    let above = 0;
    for (let i = 0; i < w.length; i++) if (w[i] > cut) above++;
    // Every entry above the cut, and entries at the cut in their order until n are kept.
    let atCut = n - above;
    for (let i = 0; i < w.length; i++) if (w[i] > cut || (w[i] === cut && atCut-- > 0)) kept.push(i);
  } else for (let i = 0; i < w.length; i++) kept.push(i);
  // Array sort is stable: equal weights keep their order.
  return kept.sort((p, q) => w[q] - w[p]);
}

/** The k-th smallest value (0-based) of `a` (reordered in place): quickselect, linear on average. */
function nthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Shrunk mean of ratings (pseudo-count `m` of the prior). */
function shrunkMean(ratings: number[], prior: number, m: number): number {
  return (ratings.reduce((s, r) => s + r, 0) + m * prior) / (ratings.length + m);
}

/** What the neighbours say: shrunk similarity-weighted mean and the top similarity. */
export function neighbourInput(
  vec: PackedVector,
  pool: Array<{ vec: PackedVector; rating: number }>,
  prior: number,
): { value: number; nearest: Array<{ sim: number; rating: number }> } {
  const sims = pool.map((p) => ({ sim: packedDot(vec, p.vec), rating: p.rating }));
  sims.sort((a, b) => b.sim - a.sim);
  return neighbourValue(sims.slice(0, K_NEIGHBOURS), prior);
}

function neighbourValue(top: Array<{ sim: number; rating: number }>, prior: number) {
  let num = PRIOR_WEIGHT.neighbours * prior;
  let den = PRIOR_WEIGHT.neighbours;
  for (const t of top) {
    const w = Math.max(0, t.sim) ** 2;
    num += w * t.rating;
    den += w;
  }
  return { value: num / den, nearest: top };
}

/**
 * A model's rated answers of one question, indexed once: an inverted index (term key -> the
 * rated answers holding it, with their weights) and the sum of the ratings. Scoring then
 * touches only the postings of the answer's own terms instead of merging it with every rated
 * vector, and the question's mean costs nothing.
 */
interface PoolIndex {
  postings: Map<number, { at: Int32Array; w: Float64Array }>;
  ratings: Float64Array;
  ratingSum: number;
}

/** Indexes of the pools of loaded models (a pool array is never changed once the model is fitted). */
const poolIndexes = new WeakMap<object, PoolIndex>();

function poolIndex(pool: Array<{ vec: PackedVector; rating: number }>): PoolIndex {
  let ix = poolIndexes.get(pool);
  if (ix) return ix;
  const lists = new Map<number, { at: number[]; w: number[] }>();
  pool.forEach((p, i) => {
    for (let j = 0; j < p.vec.k.length; j++) {
      let l = lists.get(p.vec.k[j]);
      if (!l) {
        l = { at: [], w: [] };
        lists.set(p.vec.k[j], l);
      }
      l.at.push(i);
      l.w.push(p.vec.v[j]);
    }
  });
  const postings = new Map<number, { at: Int32Array; w: Float64Array }>();
  for (const [k, l] of lists) postings.set(k, { at: Int32Array.from(l.at), w: Float64Array.from(l.w) });
  ix = {
    postings,
    ratings: Float64Array.from(pool, (p) => p.rating),
    // Summed in pool order, exactly as shrunkMean sums (same floating-point result).
    ratingSum: pool.reduce((s, p) => s + p.rating, 0),
  };
  poolIndexes.set(pool, ix);
  return ix;
}

/** The last {@link similarities} computed (the engine asks for the same answer's twice). */
let lastSimilarities: { vec: PackedVector; ix: PoolIndex; acc: Float64Array } | null = null;

/**
 * Similarity of a vector to every rated answer of an indexed pool: each rated answer's sum is
 * accumulated over the vector's keys in ascending order (the order of {@link packedDot}'s merge).
 * The topicality check and the prediction of one answer compare the same vector with the same
 * pool, so the last result is kept (one slot: memory stays flat). Vectors and pools are never
 * changed once built, so identity is enough; callers must not modify the returned array.
 */
function similarities(vec: PackedVector, ix: PoolIndex): Float64Array {
  if (lastSimilarities?.vec === vec && lastSimilarities.ix === ix) return lastSimilarities.acc;
  const acc = new Float64Array(ix.ratings.length);
  for (let i = 0; i < vec.k.length; i++) {
    const p = ix.postings.get(vec.k[i]);
    if (!p) continue;
    const x = vec.v[i];
    const at = p.at;
    const w = p.w;
    for (let j = 0; j < at.length; j++) acc[at[j]] += x * w[j];
  }
  lastSimilarities = { vec, ix, acc };
  return acc;
}

/**
 * {@link neighbourInput} over an indexed pool, with the same result: each rated answer's
 * similarity is accumulated over the answer's keys in ascending order (the order of
 * {@link packedDot}'s merge), and the top K keep the pool order among equal similarities, as
 * the stable sort does.
 */
function indexedNeighbours(vec: PackedVector, ix: PoolIndex, prior: number) {
  const n = ix.ratings.length;
  const acc = similarities(vec, ix);
  // Top K by insertion: a later answer goes after every kept one with an equal similarity.
  const top: Array<{ sim: number; rating: number }> = [];
  for (let i = 0; i < n; i++) {
    const sim = acc[i];
    if (top.length === K_NEIGHBOURS && !(sim > top[K_NEIGHBOURS - 1].sim)) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].sim < sim) at--;
    top.splice(at, 0, { sim, rating: ix.ratings[i] });
    if (top.length > K_NEIGHBOURS) top.pop();
  }
  return neighbourValue(top, prior);
}

/** The model's inputs for one answer, given the pool of other rated answers of its question. */
export function inputsFor(
  a: { vec: PackedVector; content: number; evidence: number },
  pool: Array<{ vec: PackedVector; rating: number }>,
  scopeMean: number,
): number[] {
  return inputsWithNeighbours(a, pool, scopeMean).x;
}

function inputsWithNeighbours(
  a: { vec: PackedVector; content: number; evidence: number },
  pool: Array<{ vec: PackedVector; rating: number }>,
  scopeMean: number,
) {
  const qMean = shrunkMean(
    pool.map((p) => p.rating),
    scopeMean,
    PRIOR_WEIGHT.questionMean,
  );
  const nb = neighbourInput(a.vec, pool, qMean);
  return { x: [a.content, a.evidence, nb.value, qMean], nearest: nb.nearest };
}

/** Solves the ridge problem `min Σ (y - b - w·x)² + λ n |w - w0|²` with sign constraints. */
export function fitLinear(
  X: number[][],
  y: number[],
  lambda: number,
  prior: number[],
  priorB?: number,
): Linear {
  const n = y.length;
  const d = prior.length;
  // Centre so the intercept is unpenalised.
  const mx = new Array<number>(d).fill(0);
  for (const row of X) for (let j = 0; j < d; j++) mx[j] += row[j] / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  const A = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const r = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const xj = X[i][j] - mx[j];
      r[j] += xj * (y[i] - my);
      for (let k = 0; k < d; k++) A[j][k] += xj * (X[i][k] - mx[k]);
    }
  // Coordinate descent with the sign constraints (tiny d, converges in a few sweeps).
  const w = [...prior];
  for (let sweep = 0; sweep < 200; sweep++) {
    let change = 0;
    for (let j = 0; j < d; j++) {
      let s = r[j] + lambda * n * prior[j];
      for (let k = 0; k < d; k++) if (k !== j) s -= A[j][k] * w[k];
      let next = s / (A[j][j] + lambda * n);
      if (NON_NEGATIVE.has(j)) next = Math.max(0, next);
      change = Math.max(change, Math.abs(next - w[j]));
      w[j] = next;
    }
    if (change < 1e-9) break;
  }
  let b = my;
  for (let j = 0; j < d; j++) b -= w[j] * mx[j];
  // With very few rows the intercept leans on the parent's too.
  if (priorB !== undefined) b = (n * b + 2 * priorB) / (n + 2);
  return { b, w, n };
}

/** Predicts 0-1 from inputs. */
export function applyLinear(m: Linear, x: number[]): number {
  let s = m.b;
  for (let j = 0; j < x.length; j++) s += m.w[j] * x[j];
  return Math.max(0, Math.min(1, s));
}

/** Fits a model from rated answers. */
export function fitModel(rows: RatedAnswer[], now = new Date(), withCv = true): LearnedModel {
  const globalMean = rows.length ? rows.reduce((s, r) => s + r.rating, 0) / rows.length : 0.5;
  const byQ = new Map<string, RatedAnswer[]>();
  for (const r of rows) byQ.set(r.questionId, [...(byQ.get(r.questionId) ?? []), r]);
  const questionGroup: Record<string, string> = {};
  for (const r of rows) if (r.group) questionGroup[r.questionId] = r.group;
  // Group means (prior of question means).
  const groupRows = new Map<string, RatedAnswer[]>();
  for (const r of rows) if (r.group) groupRows.set(r.group, [...(groupRows.get(r.group) ?? []), r]);
  const groupMeans: Record<string, number> = {};
  for (const [g, list] of groupRows)
    if (list.length >= MIN_GROUP_RATINGS)
      groupMeans[g] = list.reduce((s, x) => s + x.rating, 0) / list.length;
  const scopeMean = (r: RatedAnswer) => (r.group ? groupMeans[r.group] : undefined) ?? globalMean;
  // Leave-one-out inputs.
  const X: number[][] = [];
  const y: number[] = [];
  const idx = new Map<RatedAnswer, number>();
  for (const [, qs] of byQ)
    for (const r of qs) {
      idx.set(r, X.length);
      X.push(
        inputsFor(
          r,
          qs.filter((o) => o !== r),
          scopeMean(r),
        ),
      );
      y.push(r.rating);
    }
  const base: Linear = { b: globalMean, w: new Array(MODEL_INPUTS.length).fill(0), n: 0 };
  const global =
    rows.length >= MIN_GLOBAL_RATINGS ? fitLinear(X, y, LAMBDA.global, base.w) : { ...base, n: rows.length };
  const sub = (list: RatedAnswer[]) => {
    const ii = list.map((r) => idx.get(r) as number);
    return { X: ii.map((i) => X[i]), y: ii.map((i) => y[i]) };
  };
  const groups: Record<string, Linear> = {};
  for (const [g, list] of groupRows)
    if (list.length >= MIN_GROUP_RATINGS) {
      const s = sub(list);
      groups[g] = fitLinear(s.X, s.y, LAMBDA.group, global.w, global.b);
    }
  const questions: Record<string, Linear> = {};
  for (const [q, list] of byQ)
    if (list.length >= MIN_QUESTION_RATINGS && rows.length >= MIN_GLOBAL_RATINGS) {
      const parent = (list[0].group && groups[list[0].group]) || global;
      const s = sub(list);
      questions[q] = fitLinear(s.X, s.y, LAMBDA.question, parent.w, parent.b);
    }
  const rated: LearnedModel['rated'] = {};
  for (const [q, list] of byQ) rated[q] = list.map((r) => ({ vec: r.vec, rating: r.rating }));
  const model: LearnedModel = {
    version: `learned-${now.toISOString()}`,
    fittedAt: now.toISOString(),
    globalMean,
    groupMeans,
    global,
    groups,
    questions,
    rated,
    questionGroup,
    cv: null,
    ratings: rows.length,
  };
  if (withCv && rows.length >= MIN_GLOBAL_RATINGS) model.cv = crossValidateModel(rows);
  return model;
}

/** The linear model that applies to a question. */
export function linearFor(
  m: LearnedModel,
  questionId: string,
  group?: string,
): { lin: Linear; scope: string } {
  if (m.questions[questionId]) return { lin: m.questions[questionId], scope: `question:${questionId}` };
  const g = group ?? m.questionGroup[questionId];
  if (g && m.groups[g]) return { lin: m.groups[g], scope: `group:${g}` };
  return { lin: m.global, scope: 'global' };
}

/** A prediction with what it rests on. */
export interface LearnedPrediction {
  /** 0-100. */
  score: number;
  scope: string;
  inputs: Record<(typeof MODEL_INPUTS)[number], number>;
  /** Contribution of each input to the score (points, relative to the input's mean). */
  neighboursRated: number;
  /** Ratings (1-5) of the most similar rated answers, most similar first (no texts, no ids). */
  nearestRatings: number[];
  /** Similarity to the nearest rated answer, 0-1. */
  nearestSimilarity: number;
}

/** Scores one answer with a fitted model. */
export function predict(
  m: LearnedModel,
  a: { questionId: string; group?: string; vec: PackedVector; content: number; evidence: number },
): LearnedPrediction {
  const pool = m.rated[a.questionId] ?? [];
  const g = a.group ?? m.questionGroup[a.questionId];
  const scopeMean = (g ? m.groupMeans[g] : undefined) ?? m.globalMean;
  // The same inputs as in training (inputsWithNeighbours), over the pool's index.
  const ix = poolIndex(pool);
  const qMean =
    (ix.ratingSum + PRIOR_WEIGHT.questionMean * scopeMean) / (pool.length + PRIOR_WEIGHT.questionMean);
  const nb = indexedNeighbours(a.vec, ix, qMean);
  const x = [a.content, a.evidence, nb.value, qMean];
  const { lin, scope } = linearFor(m, a.questionId, a.group);
  return {
    score: Math.round(100 * applyLinear(lin, x)),
    scope,
    inputs: { content: x[0], evidence: x[1], neighbours: x[2], questionMean: x[3] },
    neighboursRated: pool.length,
    nearestRatings: nb.nearest.slice(0, 3).map((n) => Math.round(1 + 4 * n.rating)),
    nearestSimilarity: nb.nearest[0]?.sim ?? 0,
  };
}

/** Rating (0-1, i.e. 3 of 5) from which a rated answer counts as a good answer to its question. */
export const GOOD_RATING = 0.5;

/** Questions of each group of a loaded model (an unknown group: every question without one). */
const groupQuestions = new WeakMap<LearnedModel, Map<string | undefined, string[]>>();

function questionsOfGroup(m: LearnedModel, g: string | undefined): string[] {
  let byGroup = groupQuestions.get(m);
  if (!byGroup) {
    byGroup = new Map();
    for (const q of Object.keys(m.rated)) {
      const k = m.questionGroup[q];
      byGroup.set(k, [...(byGroup.get(k) ?? []), q]);
    }
    groupQuestions.set(m, byGroup);
  }
  return byGroup.get(g) ?? [];
}

/** Highest similarity of the vector to a good rated answer of the indexed pool (0 if none). */
function bestGood(vec: PackedVector, ix: PoolIndex): number {
  const acc = similarities(vec, ix);
  let best = 0;
  for (let i = 0; i < acc.length; i++) if (ix.ratings[i] >= GOOD_RATING && acc[i] > best) best = acc[i];
  return best;
}

/**
 * What the company's ratings say about an answer's topic: its similarity to the nearest
 * well-rated answer of its own question, and to the nearest well-rated answer of another
 * question of the same group (the job's other questions). An answer much closer to what
 * people rated good for another question than to anything rated good for its own was
 * most likely given to that other question; one close to its own question's good answers is
 * on topic whatever its wording shares with the prompt. `null` when the question has no good
 * rated answer yet (the prompt-based rule decides alone).
 */
export function ratedTopicality(
  m: LearnedModel,
  a: { questionId: string; group?: string; vec: PackedVector },
): { own: number; other: number; otherQuestionId: string | null } | null {
  const pool = m.rated[a.questionId];
  if (!pool?.some((p) => p.rating >= GOOD_RATING)) return null;
  const own = bestGood(a.vec, poolIndex(pool));
  let other = 0;
  let otherQuestionId: string | null = null;
  const g = a.group ?? m.questionGroup[a.questionId];
  for (const q of questionsOfGroup(m, g)) {
    if (q === a.questionId) continue;
    const sim = bestGood(a.vec, poolIndex(m.rated[q]));
    if (sim > other) {
      other = sim;
      otherQuestionId = q;
    }
  }
  return { own, other, otherQuestionId };
}

/** Spearman rank correlation (ties get their mean rank). */
export function spearman(x: number[], y: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((val, i) => ({ val, i })).sort((a, b) => a.val - b.val);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1].val === order[i].val) j++;
      for (let k = i; k <= j; k++) r[order[k].i] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  return pearson(rank(x), rank(y));
}

/** Agreement of 0-100 predictions with 0-1 ratings (QWK on 1-5 bands). */
export function agreement01(scores: number[], ratings01: number[]) {
  const a = agreement(
    scores,
    ratings01.map((r) => 1 + 4 * r),
  );
  return { ...a, spearman: spearman(scores, ratings01) };
}

/**
 * K-fold cross-validation (folds by position within each question, so every question appears
 * in every training fold): held-out answers are neither neighbours nor fitting rows.
 */
export function crossValidateModel(rows: RatedAnswer[], folds = 5) {
  const fold = new Map<RatedAnswer, number>();
  const seenPerQ = new Map<string, number>();
  for (const r of rows) {
    const k = seenPerQ.get(r.questionId) ?? 0;
    seenPerQ.set(r.questionId, k + 1);
    fold.set(r, (k + hashString(r.questionId)) % folds);
  }
  const preds: number[] = [];
  const base: number[] = [];
  const truth: number[] = [];
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((r) => fold.get(r) !== f);
    const test = rows.filter((r) => fold.get(r) === f);
    if (!test.length || train.length < 2) continue;
    const m = fitModel(train, new Date(0), false);
    for (const r of test) {
      preds.push(predict(m, r).score);
      base.push(r.uncalibrated);
      truth.push(r.rating);
    }
  }
  return { model: agreement01(preds, truth), uncalibrated: agreement01(base, truth) };
}

/** FNV-1a, 32 bits. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** JSON form of a model (vectors as entry lists). */
export function serialiseModel(m: LearnedModel): string {
  return JSON.stringify(m, (_k, v) => (v instanceof Map ? { $map: [...v.entries()] } : v));
}

/** Reads a model written by {@link serialiseModel}. */
export function parseModel(json: string): LearnedModel {
  return JSON.parse(json, (_k, v) =>
    v && typeof v === 'object' && Array.isArray(v.$map) ? new Map(v.$map as Array<[string, number]>) : v,
  );
}

/** A new model may trail the running one's held-out Pearson by at most this much (noise of CV). */
export const REPLACE_TOLERANCE = 0.03;

/**
 * Whether a freshly fitted model may serve: its held-out Pearson must beat the uncalibrated
 * score's on the same ratings, and not be clearly below the running model's. The product's
 * refit and `npm run score -- --train` both decide with this.
 */
export function decide(
  cv: LearnedModel['cv'],
  runningPearson?: number,
): { accept: boolean; decision: string } {
  if (!cv || !Number.isFinite(cv.model.pearson))
    return { accept: false, decision: 'no held-out agreement could be measured' };
  const m = cv.model.pearson.toFixed(3);
  const u = cv.uncalibrated.pearson.toFixed(3);
  if (!(cv.model.pearson > cv.uncalibrated.pearson))
    return { accept: false, decision: `held-out pearson ${m} does not beat the uncalibrated ${u}` };
  if (runningPearson !== undefined && cv.model.pearson < runningPearson - REPLACE_TOLERANCE)
    return {
      accept: false,
      decision: `held-out pearson ${m} is below the running model's ${runningPearson.toFixed(3)}`,
    };
  return {
    accept: true,
    decision: `held-out pearson ${m} (uncalibrated ${u}${runningPearson !== undefined ? `, running ${runningPearson.toFixed(3)}` : ''})`,
  };
}
