// How many false negatives an export would contain: two estimates that fail differently.
//
// 1. Model-based: the mean predicted false-negative probability over the unreviewed
//    candidates that would be exported. Its interval adds two variances: the model's own
//    uncertainty (refits on bootstrap resamples of the reviewed rows) and the sampling
//    variance of the outcomes themselves (Σ p(1−p) / n², each candidate a Bernoulli draw).
//    It is only as good as the calibration: if reviewers judged an unusual subset, the
//    model may be wrong in ways its interval does not show.
// 2. Audit: the share of false negatives among candidates a reviewer judged in the audit
//    order (drawn uniformly from the same pool), with a Wilson interval. Unbiased whatever
//    the model does, but wide unless many were audited.

import { createRng } from '../selection/random';
import { fitCalibrator, predictFalseNegative, type LabelledRow } from './calibration';
import { wilson, zFor, type Interval } from './interval';

export interface ShareEstimate extends Interval {
  /** Candidates the estimate is about. */
  n: number;
  /** Expected number of false negatives among them. */
  expected: number;
}

export interface ModelEstimateOptions {
  lambda?: number;
  /** Bootstrap refits for the model's uncertainty; default 100. */
  bootstrap?: number;
  seed?: number;
  level?: number;
}

/** Model-based estimate of the false-negative share among `unreviewed` (raw feature rows). */
export function estimateShareByModel(
  features: string[],
  reviewed: readonly LabelledRow[],
  unreviewed: readonly (readonly number[])[],
  opts: ModelEstimateOptions = {},
): ShareEstimate {
  const n = unreviewed.length;
  if (n === 0) return { estimate: NaN, low: 0, high: 1, n: 0, expected: 0 };
  const cal = fitCalibrator(features, reviewed, opts);
  const p = unreviewed.map((x) => predictFalseNegative(cal, x));
  const mean = p.reduce((a, b) => a + b, 0) / n;
  const sampling = p.reduce((a, q) => a + q * (1 - q), 0) / (n * n);

  const rng = createRng(opts.seed ?? 1);
  const b = opts.bootstrap ?? 100;
  const means: number[] = [];
  for (let r = 0; r < b; r++) {
    const sample = Array.from({ length: reviewed.length }, () => reviewed[Math.floor(rng() * reviewed.length)]);
    if (!sample.some((s) => s.y === 1) || !sample.some((s) => s.y === 0)) continue;
    const c = fitCalibrator(features, sample, opts);
    means.push(unreviewed.reduce((a, x) => a + predictFalseNegative(c, x), 0) / n);
  }
  const mMean = means.length ? means.reduce((a, v) => a + v, 0) / means.length : mean;
  const modelVar = means.length > 1 ? means.reduce((a, v) => a + (v - mMean) ** 2, 0) / (means.length - 1) : 0;
  const half = zFor(opts.level ?? 0.95) * Math.sqrt(modelVar + sampling);
  return { estimate: mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half), n, expected: mean * n };
}

/** Audit estimate: `falseNegatives` of `audited` uniformly drawn candidates were false negatives. */
export function estimateShareByAudit(falseNegatives: number, audited: number, population: number, level = 0.95): ShareEstimate {
  const w = wilson(falseNegatives, audited, level);
  return { ...w, n: population, expected: w.estimate * population };
}

export interface ThresholdPreview {
  threshold: number;
  /** Unreviewed candidates whose predicted probability is above the threshold (excluded or sent to review). */
  excluded: number;
  kept: number;
  /** Expected false negatives among those kept, and their expected share. */
  expectedFalseNegativesKept: number;
  expectedShareKept: number;
  /** Expected false negatives removed (true catches) among the excluded. */
  expectedFalseNegativesExcluded: number;
}

/** What applying `threshold` to the predicted probabilities would change, before export. */
export function previewThreshold(predicted: readonly number[], threshold: number): ThresholdPreview {
  let excluded = 0, fnKept = 0, fnExcl = 0;
  for (const p of predicted) {
    if (p > threshold) {
      excluded++;
      fnExcl += p;
    } else fnKept += p;
  }
  const kept = predicted.length - excluded;
  return {
    threshold,
    excluded,
    kept,
    expectedFalseNegativesKept: fnKept,
    expectedShareKept: kept ? fnKept / kept : 0,
    expectedFalseNegativesExcluded: fnExcl,
  };
}
