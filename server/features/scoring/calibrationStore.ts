/**
 * Calibration from the interviewers' own ratings: each competency rating (1-5) of a report is
 * paired with the features the scorer computed for that competency in the report's answers
 * (averaged over the answers that probe it). With enough ratings, non-negative ridge weights
 * are fitted per job and globally, and stored with the agreement (Pearson, QWK) the default and
 * calibrated weights reach on held-out ratings (5-fold). Too few ratings: defaults stay.
 */
import {
  AnswerScore,
  InterviewReport,
  ReportRating,
  ScoringCalibration,
} from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import {
  type Agreement,
  agreement,
  crossValidate,
  fitWeights,
  MIN_RATINGS_TO_FIT,
  type RatedFeatures,
} from './calibrate';
import { combine, DEFAULT_WEIGHTS } from './engine';
import { FEATURE_NAMES, type FeatureVector, type ScoreResult } from './types';

/** Outcome for one scope. */
export interface CalibrationOutcome {
  scope: string;
  ratings: number;
  fitted: boolean;
  defaults: Agreement | null;
  calibrated: Agreement | null;
}

/** Training rows from stored ratings, grouped by job id. */
export async function ratedRows(em: Em): Promise<Map<number, RatedFeatures[]>> {
  const ratings = await em.find(ReportRating, {}, { populate: ['report'] });
  const bySession = new Map<number, ScoreResult[]>();
  const out = new Map<number, RatedFeatures[]>();
  for (const r of ratings) {
    const report = r.report as unknown as { sessionId: number; jobId: number };
    let results = bySession.get(report.sessionId);
    if (!results) {
      results = (await em.find(AnswerScore, { sessionId: report.sessionId })).map(
        (s) => s.result as unknown as ScoreResult,
      );
      bySession.set(report.sessionId, results);
    }
    const feats = results.flatMap((x) =>
      x.competencies.filter((c) => c.name === r.competency).map((c) => c.features),
    );
    if (!feats.length) continue;
    const mean = Object.fromEntries(
      FEATURE_NAMES.map((k) => [k, feats.reduce((s, f) => s + f[k], 0) / feats.length]),
    ) as FeatureVector;
    out.set(report.jobId, [...(out.get(report.jobId) ?? []), { features: mean, rating: r.score }]);
  }
  return out;
}

async function fitScope(
  em: Em,
  scope: string,
  rows: RatedFeatures[],
  now: Date,
): Promise<CalibrationOutcome> {
  const defaults =
    rows.length >= 3
      ? agreement(
          rows.map((r) => combine(r.features, DEFAULT_WEIGHTS)),
          rows.map((r) => r.rating),
        )
      : null;
  if (rows.length < MIN_RATINGS_TO_FIT) {
    await em.nativeDelete(ScoringCalibration, { scope });
    return { scope, ratings: rows.length, fitted: false, defaults, calibrated: null };
  }
  const calibrated = crossValidate(rows, combine);
  const w = fitWeights(rows, scope);
  const row =
    (await em.findOne(ScoringCalibration, { scope })) ?? em.create(ScoringCalibration, { scope } as never);
  Object.assign(row, {
    weights: w.weights,
    intercept: w.intercept,
    ratings: rows.length,
    agreement: { defaults, calibrated },
    fittedAt: now,
  });
  await em.flush();
  return { scope, ratings: rows.length, fitted: true, defaults, calibrated };
}

/** Refits the global weights and each job's (or only `jobId`'s). */
export async function refitCalibration(
  em: Em,
  opts: { jobId?: number; now?: Date } = {},
): Promise<CalibrationOutcome[]> {
  const now = opts.now ?? new Date();
  const byJob = await ratedRows(em);
  const out: CalibrationOutcome[] = [];
  if (opts.jobId === undefined) out.push(await fitScope(em, 'global', [...byJob.values()].flat(), now));
  for (const [jobId, rows] of byJob)
    if (opts.jobId === undefined || opts.jobId === jobId)
      out.push(await fitScope(em, `job:${jobId}`, rows, now));
  if (opts.jobId !== undefined && !byJob.has(opts.jobId))
    out.push(await fitScope(em, `job:${opts.jobId}`, [], now));
  return out;
}

/** Reports of a job (unused ids are fine): kept for HR's agreement view. */
export async function calibrationStatus(em: Em) {
  const rows = await em.find(ScoringCalibration, {}, { orderBy: { scope: 'asc' } });
  const reports = await em.count(InterviewReport, {});
  return {
    reports,
    minRatings: MIN_RATINGS_TO_FIT,
    scopes: rows.map((r) => ({
      scope: r.scope,
      ratings: r.ratings,
      weights: r.weights,
      intercept: Number(r.intercept),
      agreement: r.agreement,
      fittedAt: r.fittedAt.toISOString(),
    })),
  };
}
