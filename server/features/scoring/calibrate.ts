/**
 * Calibration: fit the feature weights to the company's own interviewer ratings, and measure
 * agreement. Ratings are on the interviewers' 1-5 scale; the model predicts 0-100 (rating 1 ->
 * 0, 5 -> 100). The fit is ridge regression with non-negative weights (coordinate descent), so
 * a calibrated scorer keeps the guarantee that adding relevant content never lowers a score.
 * Plain TypeScript, no numeric library: eight features and a few hundred rows.
 */
import { FEATURE_NAMES, type FeatureVector, type ScoringWeights } from './types';

/** Fewer ratings than this for a scope: keep the defaults (or the broader scope's weights). */
export const MIN_RATINGS_TO_FIT = 20;

/** Maps a 1-5 rating to the 0-100 scale. */
export const ratingTo100 = (r: number) => ((r - 1) / 4) * 100;
/** Maps a 0-100 score to the 1-5 band interviewers use (20-point bands). */
export const scoreToBand = (s: number) => Math.max(1, Math.min(5, 1 + Math.floor(s / 20)));

/** Pearson correlation; NaN when either side has no variance. */
export function pearson(x: number[], y: number[]): number {
  const n = x.length;
  if (n < 2 || n !== y.length) return Number.NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/**
 * Quadratic weighted kappa between two integer ratings on `min..max` (1-5 by default):
 * 1 = perfect agreement, 0 = chance, negative = worse than chance.
 */
export function quadraticWeightedKappa(a: number[], b: number[], min = 1, max = 5): number {
  const k = max - min + 1;
  const n = a.length;
  if (!n || n !== b.length) return Number.NaN;
  const obs = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const ha = new Array<number>(k).fill(0);
  const hb = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const x = Math.round(a[i]) - min;
    const y = Math.round(b[i]) - min;
    obs[x][y]++;
    ha[x]++;
    hb[y]++;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const w = (i - j) ** 2 / (k - 1) ** 2;
      num += w * obs[i][j];
      den += w * ((ha[i] * hb[j]) / n);
    }
  return den ? 1 - num / den : 1;
}

/** One training row: an answer's features and the human rating (1-5). */
export interface RatedFeatures {
  features: FeatureVector;
  rating: number;
}

/**
 * Fits non-negative ridge regression `rating100 ≈ intercept + 100·Σ w·f` by coordinate descent
 * (features are already in [0, 1], so no scaling is needed; the intercept is not penalised).
 */
export function fitWeights(rows: RatedFeatures[], scope: string, lambda = 0.05): ScoringWeights {
  const names = FEATURE_NAMES;
  const X = rows.map((r) => names.map((k) => r.features[k]));
  const y = rows.map((r) => ratingTo100(r.rating) / 100);
  const n = rows.length;
  const w = new Array<number>(names.length).fill(0);
  let b = y.reduce((s, v) => s + v, 0) / n;
  const resid = y.map((v) => v - b);
  for (let iter = 0; iter < 300; iter++) {
    let change = 0;
    for (let j = 0; j < names.length; j++) {
      let rho = 0;
      let z = 0;
      for (let i = 0; i < n; i++) {
        rho += X[i][j] * (resid[i] + X[i][j] * w[j]);
        z += X[i][j] ** 2;
      }
      const next = Math.max(0, rho / (z + lambda * n));
      const d = next - w[j];
      if (d) for (let i = 0; i < n; i++) resid[i] -= X[i][j] * d;
      change = Math.max(change, Math.abs(d));
      w[j] = next;
    }
    const shift = resid.reduce((s, v) => s + v, 0) / n;
    b += shift;
    for (let i = 0; i < n; i++) resid[i] -= shift;
    if (change < 1e-7 && Math.abs(shift) < 1e-9) break;
  }
  return {
    weights: Object.fromEntries(names.map((k, j) => [k, w[j]])) as FeatureVector,
    intercept: b * 100,
    source: `calibrated:${scope}`,
  };
}

/** Agreement of predicted 0-100 scores with 1-5 ratings. */
export interface Agreement {
  n: number;
  pearson: number;
  qwk: number;
}

/** Pearson (score vs rating) and QWK (score band vs rating). */
export function agreement(scores: number[], ratings: number[]): Agreement {
  return {
    n: scores.length,
    pearson: pearson(scores, ratings),
    qwk: quadraticWeightedKappa(scores.map(scoreToBand), ratings),
  };
}

/**
 * k-fold cross-validated agreement of the calibrated model: each rating is predicted by weights
 * fitted without it (held-out), so the number is honest about unseen answers.
 */
export function crossValidate(
  rows: RatedFeatures[],
  predict: (f: FeatureVector, w: ScoringWeights) => number,
  folds = 5,
  lambda = 0.05,
): Agreement {
  const preds: number[] = [];
  const truth: number[] = [];
  for (let k = 0; k < folds; k++) {
    const train = rows.filter((_, i) => i % folds !== k);
    const test = rows.filter((_, i) => i % folds === k);
    if (!test.length || train.length < 2) continue;
    const w = fitWeights(train, 'cv', lambda);
    for (const r of test) {
      preds.push(predict(r.features, w));
      truth.push(r.rating);
    }
  }
  return agreement(preds, truth);
}
