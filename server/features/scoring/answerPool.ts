/**
 * Earlier answers to a job's questions, without ratings: what answers to each question look
 * like before anyone has rated them. The product builds a pool from the stored transcripts of
 * the latest answers to each question of a session's job (across candidates); `npm run score --
 * --pool` from the lines of a split. Pooled answers are compared as vectors only: no one is shown
 * another candidate's words, and they never enter a score directly. They decide one thing, the
 * `off_topic` flag (and with it the uncalibrated score's off-topic share): an answer that
 * resembles earlier answers to another question of the job far more than earlier answers to its
 * own was most likely given to that other question.
 *
 * Without ratings nothing says which earlier answers were good, so an answer's resemblance to a
 * question is the mean similarity of its {@link POOL_TOP_K} nearest pooled answers, not the
 * single nearest (a lone stray answer in a pool does not decide).
 */
import { measureContent, type QuestionContext } from './content';
import { answerVector, type PackedVector } from './learned';

/** Vectors of earlier answers, by question id (one question bank). */
export interface AnswerPool {
  answers: Record<string, PackedVector[]>;
}

/** Nearest pooled answers whose mean similarity is an answer's resemblance to a question. */
export const POOL_TOP_K = 3;
/** Earlier answers a question needs in the pool before its resemblance is read. */
export const POOL_MIN_ANSWERS = 3;
/**
 * Cosine from which a pooled answer of the own question is a copy of the answer (the same story
 * told before), left out of its nearest when the answer has words enough to be a story of its own.
 */
export const POOL_COPY_SIM = 0.9;
/** Latest answers per question the product keeps in a pool. */
export const POOL_PER_QUESTION = 40;

/** An earlier answer's words, and its question. */
export interface PooledText {
  questionId: string;
  transcript: string;
}

/**
 * The pool of these earlier answers, each as the vector the engine compares (counted sentences,
 * the question's own terms demoted, as a rated answer's in training.ts). Answers without a
 * context (a question outside the bank) or without counted words are left out.
 */
export function poolOf(texts: PooledText[], contexts: Map<string, QuestionContext>): AnswerPool {
  const answers: Record<string, PackedVector[]> = {};
  for (const t of texts) {
    const ctx = contexts.get(t.questionId);
    if (!ctx || !t.transcript.trim()) continue;
    const m = measureContent(t.transcript, ctx);
    const vec = answerVector(t.transcript, ctx, undefined, m.plain);
    if (!vec.k.length) continue;
    answers[t.questionId] ??= [];
    answers[t.questionId].push(vec);
  }
  return { answers };
}

/**
 * A pool indexed once (a pool is never changed after {@link poolOf}): an inverted index from term
 * key to the pooled answers holding it, answers of one question contiguous (`from[q]` to
 * `from[q + 1]`). One pass over an answer's keys gives its similarity to every pooled answer.
 */
interface PoolIndex {
  questions: string[];
  from: Int32Array;
  postings: Map<number, { at: Int32Array; w: Float64Array }>;
}

const indexes = new WeakMap<AnswerPool, PoolIndex>();

function indexOf(pool: AnswerPool): PoolIndex {
  let ix = indexes.get(pool);
  if (ix) return ix;
  const questions = Object.keys(pool.answers);
  const from = new Int32Array(questions.length + 1);
  const lists = new Map<number, { at: number[]; w: number[] }>();
  let n = 0;
  questions.forEach((q, qi) => {
    from[qi] = n;
    for (const vec of pool.answers[q]) {
      for (let j = 0; j < vec.k.length; j++) {
        let l = lists.get(vec.k[j]);
        if (!l) {
          l = { at: [], w: [] };
          lists.set(vec.k[j], l);
        }
        l.at.push(n);
        l.w.push(vec.v[j]);
      }
      n++;
    }
  });
  from[questions.length] = n;
  const postings = new Map<number, { at: Int32Array; w: Float64Array }>();
  for (const [k, l] of lists) postings.set(k, { at: Int32Array.from(l.at), w: Float64Array.from(l.w) });
  ix = { questions, from, postings };
  indexes.set(pool, ix);
  return ix;
}

/** Mean of the `POOL_TOP_K` highest similarities among `acc[lo..hi)`. */
function topMean(acc: Float64Array, lo: number, hi: number, below = Number.POSITIVE_INFINITY): number {
  const top: number[] = [];
  for (let i = lo; i < hi; i++) {
    const s = acc[i];
    if (s >= below) continue;
    if (top.length < POOL_TOP_K) top.push(s);
    else {
      let low = 0;
      for (let j = 1; j < top.length; j++) if (top[j] < top[low]) low = j;
      if (s > top[low]) top[low] = s;
    }
  }
  return top.length ? top.reduce((a, b) => a + b, 0) / top.length : 0;
}

/**
 * An answer's resemblance to earlier answers of its own question (`own`) and of the closest
 * other question of the pool (`other`). `null` when its own question has fewer than
 * {@link POOL_MIN_ANSWERS} pooled answers (nothing to compare with yet). Other questions with
 * fewer than that are skipped too. With `ignoreCopies`, own-question answers at least
 * {@link POOL_COPY_SIM} like it are left out.
 */
export function pooledTopicality(
  pool: AnswerPool,
  a: { questionId: string; vec: PackedVector; ignoreCopies?: boolean },
): { own: number; other: number; otherQuestionId: string | null } | null {
  const ownList = pool.answers[a.questionId];
  if (!ownList || ownList.length < POOL_MIN_ANSWERS) return null;
  const ix = indexOf(pool);
  // Cosine with every pooled answer (both vectors are normalised), accumulated over the answer's keys.
  const acc = new Float64Array(ix.from[ix.questions.length]);
  for (let i = 0; i < a.vec.k.length; i++) {
    const p = ix.postings.get(a.vec.k[i]);
    if (!p) continue;
    const x = a.vec.v[i];
    for (let j = 0; j < p.at.length; j++) acc[p.at[j]] += x * p.w[j];
  }
  let own = 0;
  let other = 0;
  let otherQuestionId: string | null = null;
  ix.questions.forEach((q, qi) => {
    const lo = ix.from[qi];
    const hi = ix.from[qi + 1];
    // A copy of this answer given before to the same question says nothing about its topic: a
    // borrowed story told by two candidates would otherwise vouch for itself.
    if (q === a.questionId) own = topMean(acc, lo, hi, a.ignoreCopies ? POOL_COPY_SIM : undefined);
    else if (hi - lo >= POOL_MIN_ANSWERS) {
      const sim = topMean(acc, lo, hi);
      if (sim > other) {
        other = sim;
        otherQuestionId = q;
      }
    }
  });
  return { own, other, otherQuestionId };
}
