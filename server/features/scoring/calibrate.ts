/**
 * Agreement measures between the scorer's 0-100 scores and people's 1-5 ratings (Pearson and
 * quadratic weighted kappa). Ratings are on the interviewers' 1-5 scale; rating 1 -> 0, 5 -> 100.
 * The model fitted on ratings lives in learned.ts.
 */

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
