/**
 * Learning from the interviewers' own ratings, in the product. Interviewers rate each
 * competency of a report 1-5 (`report_ratings`); each rating is paired with the answers of that
 * report whose questions probe the competency (their words and the question as it was scored,
 * kept in `answer_scores.result.input`). Several reviewers rating the same report and
 * competency count as one mean rating.
 *
 * A refit (HR's button, after {@link REFIT_AFTER_RATINGS} new ratings, and nightly) fits a new
 * model version with training.ts (the code path `npm run score -- --train` uses), measures it by
 * 5-fold cross-validation, and lets it replace the running model only when its held-out
 * Pearson beats the uncalibrated score on the same ratings and is not clearly worse than the
 * running model's. Every version is kept with its figures and the decision.
 */
import { AnswerScore, AnswerTranscript, ReportRating, ScoringModel } from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import { type AnswerPool, POOL_PER_QUESTION, type PooledText, poolOf } from './answerPool';
import type { QuestionContext } from './content';
import { decide, type LearnedModel, MIN_GLOBAL_RATINGS, parseModel, serialiseModel } from './learned';
import { contextsFor, learnFromRatings, type QuestionDef, type RatedText } from './training';
import type { CompetencySpec, Lang } from './types';

/** New ratings (since the last fit) that trigger a refit. */
export const REFIT_AFTER_RATINGS = 20;

/** How a question was scored (stored with each answer score, so training needs no other feature). */
export interface ScoredInput {
  questionId: number;
  jobId: number;
  question: string;
  language: Lang;
  competencies: CompetencySpec[];
  referenceAnswers?: string[];
}

/** The question definition of a stored input (group: the job). */
export function questionDefOf(i: ScoredInput): QuestionDef {
  return {
    questionId: String(i.questionId),
    group: `job:${i.jobId}`,
    question: i.question,
    competencies: i.competencies,
    referenceAnswers: i.referenceAnswers,
    lang: i.language,
  };
}

/** Contexts of a job's question bank (the same bank at fit and at scoring time). */
export function jobContexts(questions: QuestionDef[]): Map<string, QuestionContext> {
  return contextsFor(questions);
}

/** Rated answers from what is on file. */
export async function ratedTexts(em: Em): Promise<{ rows: RatedText[]; questions: QuestionDef[] }> {
  const ratings = await em.find(ReportRating, {}, { populate: ['report'], orderBy: { id: 'asc' } });
  // Mean rating per report and competency.
  const byKey = new Map<string, { sessionId: number; competency: string; scores: number[] }>();
  for (const r of ratings) {
    const report = r.report as unknown as { sessionId: number };
    const key = `${report.sessionId}\u0000${r.competency}`;
    const e = byKey.get(key) ?? { sessionId: report.sessionId, competency: r.competency, scores: [] };
    e.scores.push(r.score);
    byKey.set(key, e);
  }
  const sessions = [...new Set([...byKey.values()].map((e) => e.sessionId))];
  const scores = sessions.length ? await em.find(AnswerScore, { sessionId: { $in: sessions } }) : [];
  const transcripts = sessions.length
    ? await em.find(AnswerTranscript, { sessionId: { $in: sessions } })
    : [];
  const textOf = new Map(transcripts.map((t) => [t.answerId, t.text ?? '']));
  const questions = new Map<string, QuestionDef>();
  const rows: RatedText[] = [];
  for (const e of byKey.values()) {
    const rating = e.scores.reduce((s, x) => s + x, 0) / e.scores.length;
    for (const s of scores) {
      if (s.sessionId !== e.sessionId) continue;
      const input = (s.result as { input?: ScoredInput }).input;
      const text = textOf.get(s.answerId);
      if (!input || !text?.trim() || !input.competencies.some((c) => c.name === e.competency)) continue;
      const q = questionDefOf(input);
      questions.set(q.questionId, q);
      rows.push({ question: q, transcript: text, rating });
    }
  }
  return { rows, questions: [...questions.values()] };
}

/** Outcome of a refit. */
export interface RefitOutcome {
  version: string;
  status: 'active' | 'rejected';
  reason: 'manual' | 'ratings' | 'nightly';
  ratings: number;
  cv: LearnedModel['cv'];
  decision: string;
}

/**
 * Fits a new model version from every rating on file and decides whether it serves. Returns
 * null when there are too few ratings to fit anything (the uncalibrated score keeps serving).
 */
export async function refitModel(
  em: Em,
  opts: { now?: Date; reason?: RefitOutcome['reason'] } = {},
): Promise<RefitOutcome | null> {
  const now = opts.now ?? new Date();
  const reason = opts.reason ?? 'manual';
  const { rows, questions } = await ratedTexts(em);
  if (rows.length < MIN_GLOBAL_RATINGS) return null;
  const model = learnFromRatings(rows, jobContexts(questions), now);
  model.version = `v${(await em.count(ScoringModel, {})) + 1}-${now.toISOString()}`;
  const running = await em.findOne(ScoringModel, { status: 'active' });
  const cv = model.cv;
  const runningPearson = (running?.cv as LearnedModel['cv'])?.model.pearson;
  const { accept, decision } = decide(cv, runningPearson);
  // Retire whatever is active in the same transaction (a concurrent refit's too: the UPDATE
  // waits for its row lock), so at most one version serves.
  if (accept) await em.nativeUpdate(ScoringModel, { status: 'active' }, { status: 'retired' });
  em.create(ScoringModel, {
    version: model.version,
    status: accept ? 'active' : 'rejected',
    reason,
    ratings: rows.length,
    cv: cv as unknown as Record<string, unknown>,
    decision,
    model: JSON.parse(serialiseModel(model)),
    fittedAt: now,
  } as never);
  await em.flush();
  return {
    version: model.version,
    status: accept ? 'active' : 'rejected',
    reason,
    ratings: rows.length,
    cv,
    decision,
  };
}

/** Ratings created or changed since the last fit attempt (any outcome). */
export async function ratingsSinceLastFit(em: Em): Promise<number> {
  const [last] = await em.find(ScoringModel, {}, { orderBy: { fittedAt: 'desc', id: 'desc' }, limit: 1 });
  return em.count(ReportRating, last ? { updatedAt: { $gt: last.fittedAt } } : {});
}

/** Refits when enough new ratings arrived since the last fit (the ratings job). */
export async function refitIfDue(em: Em, now: Date): Promise<RefitOutcome | null> {
  if ((await ratingsSinceLastFit(em)) < REFIT_AFTER_RATINGS) return null;
  return refitModel(em, { now, reason: 'ratings' });
}

/** Parsed models by version (a version never changes, so the cache cannot go stale). */
const parsed = new Map<string, LearnedModel>();

/** A stored model version, parsed once. */
function modelOf(row: { version: string; model: unknown }): LearnedModel {
  let m = parsed.get(row.version);
  if (!m) {
    m = parseModel(JSON.stringify(row.model));
    if (parsed.size > 4) parsed.clear();
    parsed.set(row.version, m);
  }
  return m;
}

/** The running model, or null (uncalibrated). */
export async function activeModel(em: Em): Promise<LearnedModel | null> {
  const row = await em.findOne(ScoringModel, { status: 'active' });
  return row ? modelOf(row) : null;
}

/**
 * What scoring uses of the fitted models: the running one (`model`, it serves), or when none
 * serves, the latest fitted version (`topicModel`): its predictions were rejected, but its rated
 * answers still say what answers to each question look like, so they inform the off-topic check
 * only (engine.ts). `npm run score` does the same with a rejected model.
 */
export async function scoringModels(
  em: Em,
): Promise<{ model: LearnedModel | null; topicModel: LearnedModel | null }> {
  const model = await activeModel(em);
  if (model) return { model, topicModel: null };
  const [latest] = await em.find(
    ScoringModel,
    { status: 'rejected' },
    { orderBy: { fittedAt: 'desc', id: 'desc' }, limit: 1 },
  );
  return { model: null, topicModel: latest ? modelOf(latest) : null };
}

/**
 * Earlier answers to these questions (another session's, across candidates), the latest
 * {@link POOL_PER_QUESTION} per question, as the pool of the off-topic check (answerPool.ts). Only
 * their vectors leave this function; no one is shown another candidate's words. Built afresh for
 * each session and never stored, so an erased transcript (its text set to null) drops out at once.
 */
export async function earlierAnswerPool(
  em: Em,
  sessionId: number,
  contexts: Map<string, QuestionContext>,
): Promise<AnswerPool> {
  const texts: PooledText[] = [];
  for (const questionId of contexts.keys()) {
    const id = Number(questionId);
    if (!Number.isInteger(id)) continue;
    const scores = await em.find(
      AnswerScore,
      { questionId: id, sessionId: { $ne: sessionId } },
      { orderBy: { id: 'desc' }, limit: POOL_PER_QUESTION, fields: ['answerId'] },
    );
    if (!scores.length) continue;
    const transcripts = await em.find(
      AnswerTranscript,
      { answerId: { $in: scores.map((x) => x.answerId) } },
      { fields: ['text'] },
    );
    for (const t of transcripts) if (t.text?.trim()) texts.push({ questionId, transcript: t.text });
  }
  return poolOf(texts, contexts);
}

/** What HR sees: every version with its figures and the decision, newest first. */
export async function calibrationStatus(em: Em) {
  const rows = await em.find(ScoringModel, {}, { orderBy: { fittedAt: 'desc', id: 'desc' }, limit: 20 });
  return {
    minRatings: MIN_GLOBAL_RATINGS,
    refitAfterRatings: REFIT_AFTER_RATINGS,
    ratingsSinceLastFit: await ratingsSinceLastFit(em),
    models: rows.map((r) => ({
      version: r.version,
      status: r.status,
      reason: r.reason,
      ratings: r.ratings,
      cv: r.cv,
      decision: r.decision,
      fittedAt: r.fittedAt.toISOString(),
    })),
  };
}
