import { describe, expect, it } from 'vitest';
import { createRng } from '../selection/random';
import {
  auc,
  aucStandardError,
  crossValidate,
  estimateShareByAudit,
  estimateShareByModel,
  fitCalibrator,
  fitLogistic,
  predictFalseNegative,
  predictLogistic,
  previewThreshold,
  quantile,
  reliabilityCurve,
  wilson,
  zFor,
} from '.';

/** An independent fit: plain gradient descent on the same penalised loss, on standardised features. */
function gradientDescent(x: number[][], y: number[], lambda: number, steps = 20000, lr = 0.05): number[] {
  const n = x.length, d = x[0].length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((a, r) => a + r[j], 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((a, r) => a + (r[j] - mean[j]) ** 2, 0) / n));
  const z = x.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  const th = new Array(d + 1).fill(0);
  for (let s = 0; s < steps; s++) {
    const g = new Array(d + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const eta = th[0] + z[i].reduce((a, v, j) => a + v * th[j + 1], 0);
      const r = 1 / (1 + Math.exp(-eta)) - y[i];
      g[0] += r;
      for (let j = 0; j < d; j++) g[j + 1] += r * z[i][j];
    }
    for (let j = 1; j <= d; j++) g[j] += lambda * th[j];
    for (let j = 0; j <= d; j++) th[j] -= (lr * g[j]) / n;
  }
  return th;
}

function noisyData(n: number, seed: number) {
  const rng = createRng(seed);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng() * 4 - 2, b = rng() * 4 - 2;
    const p = 1 / (1 + Math.exp(-(0.5 + 1.5 * a - 1 * b)));
    x.push([a, b]);
    y.push(rng() < p ? 1 : 0);
  }
  return { x, y };
}

describe('logistic regression', () => {
  it('reproduces the saturated model by hand: one binary feature, no penalty', () => {
    // x = 0: 1 of 4 positive; x = 1: 3 of 4 positive → the MLE predicts exactly 1/4 and 3/4.
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [0, 0, 0, 1, 0, 1, 1, 1];
    const m = fitLogistic(x, y, { lambda: 0 });
    expect(predictLogistic(m, [0])).toBeCloseTo(0.25, 8);
    expect(predictLogistic(m, [1])).toBeCloseTo(0.75, 8);
    // on the raw scale the log-odds difference is log(3) − log(1/3) = 2·log 3
    expect(m.weights[0] / m.scale[0]).toBeCloseTo(2 * Math.log(3), 6);
  });

  it('stays finite on separable data and ranks it perfectly (the penalty keeps the optimum finite)', () => {
    const x = [[-2], [-1], [-0.5], [0.5], [1], [2]];
    const y = [0, 0, 0, 1, 1, 1];
    const m = fitLogistic(x, y, { lambda: 1 });
    expect(Number.isFinite(m.weights[0])).toBe(true);
    const p = x.map((r) => predictLogistic(m, r));
    expect(auc(p, y)).toBe(1);
    expect(p[0]).toBeLessThan(0.5);
    expect(p[5]).toBeGreaterThan(0.5);
  });

  it('matches an independent gradient-descent fit on noisy data', () => {
    const { x, y } = noisyData(300, 7);
    const m = fitLogistic(x, y, { lambda: 2 });
    const gd = gradientDescent(x, y, 2);
    expect(m.intercept).toBeCloseTo(gd[0], 3);
    expect(m.weights[0]).toBeCloseTo(gd[1], 3);
    expect(m.weights[1]).toBeCloseTo(gd[2], 3);
    // and the signs of the generating model are recovered
    expect(m.weights[0]).toBeGreaterThan(0);
    expect(m.weights[1]).toBeLessThan(0);
  });

  it('rejects labels other than 0/1', () => {
    expect(() => fitLogistic([[1], [2]], [0, 2])).toThrow(/0 or 1/);
  });
});

describe('AUC', () => {
  it('equals the hand-computed Mann–Whitney value, ties counting one half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(auc([0.2, 0.9, 0.9, 0.1], [0, 1, 0, 1])).toBeCloseTo((1 + 0.5 + 0 + 0) / 4 + 0.25 * 0, 10);
    expect(auc([1, 2], [1, 1])).toBeNaN();
  });

  it('Hanley–McNeil standard error by hand: A = 0.8, 10 and 10', () => {
    // Q1 = 0.8/1.2, Q2 = 1.28/1.8; SE² = (0.16 + 9·0.026667 + 9·0.071111) / 100 = 0.0104
    expect(aucStandardError(0.8, 10, 10)).toBeCloseTo(Math.sqrt(0.0104), 6);
  });
});

describe('intervals', () => {
  it('z and Wilson intervals agree with published values', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 5);
    expect(zFor(0.9)).toBeCloseTo(1.644854, 5);
    const a = wilson(0, 10);
    expect(a.low).toBe(0);
    expect(a.high).toBeCloseTo(0.2775, 4);
    const b = wilson(5, 10);
    expect(b.low).toBeCloseTo(0.2366, 4);
    expect(b.high).toBeCloseTo(0.7634, 4);
  });

  it('quantile interpolates (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.9)).toBe(5);
  });
});

describe('calibration from decisions', () => {
  it('imputes missing features and gives the missing indicator its own weight', () => {
    // a candidate without a cross-encoder score is, in this data, always a false negative
    const rows = [
      { x: [0.1, NaN], y: 1 as const },
      { x: [0.2, NaN], y: 1 as const },
      { x: [0.15, 1], y: 0 as const },
      { x: [0.12, 2], y: 0 as const },
      { x: [0.18, 1.5], y: 0 as const },
      { x: [0.11, NaN], y: 1 as const },
    ];
    const cal = fitCalibrator(['cos', 'ce'], rows);
    expect(cal.indicators).toEqual([1]);
    expect(cal.model.features).toEqual(['cos', 'ce', 'ce missing']);
    expect(predictFalseNegative(cal, [0.15, NaN])).toBeGreaterThan(0.5);
    expect(predictFalseNegative(cal, [0.15, 1.5])).toBeLessThan(0.5);
  });

  it('cross-validation never predicts a row with a model that saw it, and is deterministic', () => {
    const { x, y } = noisyData(200, 3);
    const rows = x.map((r, i) => ({ x: r, y: y[i] as 0 | 1 }));
    const cv = crossValidate(['a', 'b'], rows, { folds: 5, seed: 9 });
    const again = crossValidate(['a', 'b'], rows, { folds: 5, seed: 9 });
    expect(cv.predictions).toEqual(again.predictions);
    // out-of-fold predictions differ from in-sample ones
    const full = fitCalibrator(['a', 'b'], rows);
    expect(cv.predictions.some((p, i) => Math.abs(p - predictFalseNegative(full, rows[i].x)) > 1e-6)).toBe(true);
    // the generating model has a true AUC near 0.85 on this design; the interval is sane
    expect(cv.auc.estimate).toBeGreaterThan(0.75);
    expect(cv.auc.low).toBeLessThan(cv.auc.estimate);
    expect(cv.auc.high).toBeGreaterThan(cv.auc.estimate);
    expect(cv.reliability.reduce((a, b) => a + b.count, 0)).toBe(200);
  });

  it('reliability curve by hand', () => {
    const bins = reliabilityCurve([0.05, 0.08, 0.95, 0.91, 1], [0, 1, 1, 1, 0], 10);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toMatchObject({ low: 0, high: 0.1, count: 2, observed: 0.5 });
    expect(bins[0].meanPredicted).toBeCloseTo(0.065, 10);
    expect(bins[1]).toMatchObject({ low: 0.9, count: 3 });
    expect(bins[1].observed).toBeCloseTo(2 / 3, 10);
  });
});

describe('false-negative share of the export', () => {
  it('covers the true share when the model is right (10 seeds, 95% interval)', () => {
    let covered = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const { x, y } = noisyData(1200, seed * 101);
      const reviewed = x.slice(0, 200).map((r, i) => ({ x: r, y: y[i] as 0 | 1 }));
      const rest = x.slice(200);
      const truth = y.slice(200).reduce((a, b) => a + b, 0) / rest.length;
      const e = estimateShareByModel(['a', 'b'], reviewed, rest, { bootstrap: 40, seed });
      expect(e.n).toBe(1000);
      expect(e.expected).toBeCloseTo(e.estimate * 1000, 8);
      if (truth >= e.low && truth <= e.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(9);
  });

  it('audit estimate is a Wilson interval scaled to the population', () => {
    const e = estimateShareByAudit(5, 10, 400);
    expect(e.low).toBeCloseTo(0.2366, 4);
    expect(e.expected).toBe(200);
  });

  it('threshold preview by hand', () => {
    const p = previewThreshold([0.1, 0.2, 0.7, 0.9], 0.5);
    expect(p.excluded).toBe(2);
    expect(p.kept).toBe(2);
    expect(p.expectedFalseNegativesKept).toBeCloseTo(0.3, 12);
    expect(p.expectedShareKept).toBeCloseTo(0.15, 12);
    expect(p.expectedFalseNegativesExcluded).toBeCloseTo(1.6, 12);
  });
});

describe('candidate features', () => {
  it('maps stored candidate facts to columns, NaN where unknown', async () => {
    const { featureSpace } = await import('./features');
    const fs = featureSpace(['bm25', 'static'], 100);
    expect(fs.names).toEqual(['log fused rank', 'fused score', 'cross-encoder logit', 'logit minus positive logit', 'cosine to positive', 'bm25 score', 'bm25 log rank', 'static score', 'static log rank', 'member disagreement']);
    const v = fs.vector({ fusedRank: 4, fusedScore: 1.5, ce: null, cePositive: 2, simToPositive: 0.8, members: { bm25: { rank: 1, score: 12 }, static: { rank: null, score: 0.4 } } });
    expect(v[0]).toBeCloseTo(Math.log(4), 12);
    expect(v[2]).toBeNaN();
    expect(v[3]).toBeNaN();
    expect(v.slice(5, 8)).toEqual([12, 0, 0.4]);
    expect(v[8]).toBeNaN();
    // log ranks 0 and log(101): population std = log(101)/2
    expect(v[9]).toBeCloseTo(Math.log(101) / 2, 12);
    expect(fs.vector({ fusedRank: 1, fusedScore: 0, ce: 1.5, cePositive: 4, members: {} })[3]).toBe(-2.5);
  });
});
