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
import { answerVector, type PackedVector, packedDot } from './learned';

/** Vectors of earlier answers, by question id (one question bank). */
export interface AnswerPool {
  answers: Record<string, PackedVector[]>;
}

/** Nearest pooled answers whose mean similarity is an answer's resemblance to a question. */
export const POOL_TOP_K = 3;
/** Earlier answers a question needs in the pool before its resemblance is read. */
export const POOL_MIN_ANSWERS = 3;
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

/** Mean similarity of the vector to its `POOL_TOP_K` nearest answers of the list. */
function topMean(vec: PackedVector, list: PackedVector[]): number {
  const top: number[] = [];
  for (const p of list) {
    const s = packedDot(vec, p);
    if (top.length < POOL_TOP_K) top.push(s);
    else {
      let low = 0;
      for (let i = 1; i < top.length; i++) if (top[i] < top[low]) low = i;
      if (s > top[low]) top[low] = s;
    }
  }
  return top.length ? top.reduce((a, b) => a + b, 0) / top.length : 0;
}

/**
 * An answer's resemblance to earlier answers of its own question (`own`) and of the closest
 * other question of the pool (`other`). `null` when its own question has fewer than
 * {@link POOL_MIN_ANSWERS} pooled answers (nothing to compare with yet). Other questions with
 * fewer than that are skipped too.
 */
export function pooledTopicality(
  pool: AnswerPool,
  a: { questionId: string; vec: PackedVector },
): { own: number; other: number; otherQuestionId: string | null } | null {
  const ownList = pool.answers[a.questionId];
  if (!ownList || ownList.length < POOL_MIN_ANSWERS) return null;
  const own = topMean(a.vec, ownList);
  let other = 0;
  let otherQuestionId: string | null = null;
  for (const [q, list] of Object.entries(pool.answers)) {
    if (q === a.questionId || list.length < POOL_MIN_ANSWERS) continue;
    const sim = topMean(a.vec, list);
    if (sim > other) {
      other = sim;
      otherQuestionId = q;
    }
  }
  return { own, other, otherQuestionId };
}
