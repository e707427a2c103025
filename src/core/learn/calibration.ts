// Calibration from review decisions: the probability that an unreviewed candidate is a false
// negative, fitted on the candidates a reviewer already judged, with a held-out check.
//
// Labels: a reviewed candidate is a false negative (1) when the reviewer rejected it as a
// negative or promoted it to a positive, and a true negative (0) when accepted.
// Missing feature values (a member that did not list the candidate, no cross-encoder score)
// are imputed with the training mean of that column, and a 0/1 "missing" column is added for
// every feature that had any missing value in training, so absence itself can carry weight.

import { auc, aucStandardError } from './auc';
import { wilson, zFor, type Interval } from './interval';
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic';
import { createRng } from '../selection/random';

export interface LabelledRow {
  /** Raw feature values in `features` order; NaN where unknown. */
  x: readonly number[];
  /** 1 = false negative (rejected or promoted), 0 = true negative (accepted). */
  y: 0 | 1;
}

export interface Calibrator {
  features: string[];
  /** Training mean per raw feature (imputation value). */
  impute: number[];
  /** Raw feature indices that get a missing-indicator column. */
  indicators: number[];
  model: LogisticModel;
}

export interface ReliabilityBin {
  /** Bin bounds on the predicted probability. */
  low: number;
  high: number;
  count: number;
  meanPredicted: number;
  observed: number;
  /** Wilson 95% interval of the observed rate. */
  observedLow: number;
  observedHigh: number;
}

export interface CrossValidation {
  folds: number;
  /** Out-of-fold predictions, in row order. */
  predictions: number[];
  /** AUC of the out-of-fold predictions with a Hanley–McNeil 95% interval. */
  auc: Interval;
  /** Brier score of the out-of-fold predictions (mean squared error; lower is better). */
  brier: number;
  reliability: ReliabilityBin[];
}

export interface CalibrateOptions {
  lambda?: number;
  folds?: number;
  seed?: number;
  bins?: number;
}

function expand(cal: Pick<Calibrator, 'impute' | 'indicators'>, x: readonly number[]): number[] {
  const out = x.map((v, j) => (Number.isFinite(v) ? v : cal.impute[j]));
  for (const j of cal.indicators) out.push(Number.isFinite(x[j]) ? 0 : 1);
  return out;
}

/** Fits the calibrator on every labelled row. */
export function fitCalibrator(features: string[], rows: readonly LabelledRow[], opts: Pick<CalibrateOptions, 'lambda'> = {}): Calibrator {
  if (rows.length === 0) throw new Error('calibration needs at least one reviewed candidate');
  const d = features.length;
  const impute = new Array<number>(d).fill(0);
  const indicators: number[] = [];
  for (let j = 0; j < d; j++) {
    let s = 0, n = 0, missing = false;
    for (const r of rows) {
      if (Number.isFinite(r.x[j])) {
        s += r.x[j];
        n++;
      } else missing = true;
    }
    impute[j] = n ? s / n : 0;
    if (missing) indicators.push(j);
  }
  const partial = { impute, indicators };
  const names = [...features, ...indicators.map((j) => `${features[j]} missing`)];
  const model = fitLogistic(rows.map((r) => expand(partial, r.x)), rows.map((r) => r.y), { lambda: opts.lambda, features: names });
  return { features, impute, indicators, model };
}

/** Probability that a candidate with raw features `x` is a false negative. */
export function predictFalseNegative(cal: Calibrator, x: readonly number[]): number {
  return predictLogistic(cal.model, expand(cal, x));
}

/**
 * k-fold cross-validation (folds stratified by label, seeded): each row is predicted by a
 * model that never saw it. Its AUC, Brier score and reliability curve are what the page
 * reports as the calibration's quality.
 */
export function crossValidate(features: string[], rows: readonly LabelledRow[], opts: CalibrateOptions = {}): CrossValidation {
  const k = Math.max(2, Math.min(opts.folds ?? 5, rows.length));
  const rng = createRng(opts.seed ?? 1);
  const fold = new Array<number>(rows.length);
  for (const label of [0, 1]) {
    const idx = rows.map((r, i) => (r.y === label ? i : -1)).filter((i) => i >= 0);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    idx.forEach((row, n) => (fold[row] = n % k));
  }
  const predictions = new Array<number>(rows.length).fill(NaN);
  for (let f = 0; f < k; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    if (train.length === 0) continue;
    const cal = fitCalibrator(features, train, opts);
    rows.forEach((r, i) => {
      if (fold[i] === f) predictions[i] = predictFalseNegative(cal, r.x);
    });
  }
  const labels = rows.map((r) => r.y);
  const a = auc(predictions, labels);
  const n1 = labels.filter((y) => y === 1).length;
  const se = aucStandardError(a, n1, labels.length - n1);
  const z = zFor(0.95);
  const brier = predictions.reduce((s, p, i) => s + (p - labels[i]) ** 2, 0) / rows.length;
  return {
    folds: k,
    predictions,
    auc: { estimate: a, low: Math.max(0, a - z * se), high: Math.min(1, a + z * se) },
    brier,
    reliability: reliabilityCurve(predictions, labels, opts.bins ?? 10),
  };
}

/** Equal-width bins of predicted probability: mean prediction vs observed rate (empty bins omitted). */
export function reliabilityCurve(predictions: readonly number[], labels: readonly number[], bins = 10): ReliabilityBin[] {
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const low = b / bins, high = (b + 1) / bins;
    let count = 0, sumP = 0, pos = 0;
    predictions.forEach((p, i) => {
      if (p >= low && (p < high || (b === bins - 1 && p <= high))) {
        count++;
        sumP += p;
        pos += labels[i];
      }
    });
    if (!count) continue;
    const w = wilson(pos, count);
    out.push({ low, high, count, meanPredicted: sumP / count, observed: pos / count, observedLow: w.low, observedHigh: w.high });
  }
  return out;
}
