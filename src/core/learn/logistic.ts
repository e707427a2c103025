// L2-regularised logistic regression fitted by Newton's method (IRLS).
//
// Why this model: a few hundred review decisions are all the training data there is, the
// features are a handful of scores that are monotone in "how likely is this a false
// negative", and the output must be a probability a user can put a threshold on. A
// regularised linear model on standardised features is well understood, deterministic (no
// random initialisation, Newton converges to the unique optimum of a strictly convex loss)
// and cannot overfit 200 labels the way a tree ensemble would.
//
//   minimise  Σ_i [log(1 + e^{η_i}) − y_i η_i] + (λ/2)·‖w‖²,   η_i = b + w·x̃_i
//
// with x̃ the features standardised by the training mean and standard deviation; the
// intercept b is not penalised. With λ > 0 the optimum exists even for separable data.

export interface LogisticModel {
  /** Feature names, in column order. */
  features: string[];
  /** Standardisation: x̃_j = (x_j − mean_j) / scale_j (scale 1 for constant columns). */
  mean: number[];
  scale: number[];
  /** Weights on standardised features, and the intercept. */
  weights: number[];
  intercept: number;
  lambda: number;
  iterations: number;
}

export interface FitOptions {
  /** L2 penalty on standardised weights; default 1. */
  lambda?: number;
  maxIterations?: number;
  /** Stop when the largest Newton step is below this; default 1e-10. */
  tolerance?: number;
  /** Optional feature names (defaults f0, f1, ...). */
  features?: string[];
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Fits the model on rows `x` (n × d) with labels `y` ∈ {0, 1}. */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly number[], opts: FitOptions = {}): LogisticModel {
  const n = x.length;
  if (n === 0) throw new Error('fitLogistic: no rows');
  if (y.length !== n) throw new Error(`fitLogistic: ${n} rows but ${y.length} labels`);
  const d = x[0].length;
  for (const row of x) if (row.length !== d) throw new Error('fitLogistic: rows of different lengths');
  for (const v of y) if (v !== 0 && v !== 1) throw new Error(`fitLogistic: labels must be 0 or 1, got ${v}`);
  const lambda = opts.lambda ?? 1;
  if (!(lambda >= 0)) throw new Error('fitLogistic: lambda must be ≥ 0');
  const maxIter = opts.maxIterations ?? 100;
  const tol = opts.tolerance ?? 1e-10;

  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < d; j++) scale[j] += (row[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = scale[j] > 1e-24 ? Math.sqrt(scale[j]) : 1;
  const z = x.map((row) => row.map((v, j) => (v - mean[j]) / scale[j]));

  // θ = [b, w_1..w_d]; start at the base rate so the first step is small.
  const p0 = Math.min(Math.max(y.reduce((a, b) => a + b, 0) / n, 1e-6), 1 - 1e-6);
  const theta = new Array<number>(d + 1).fill(0);
  theta[0] = Math.log(p0 / (1 - p0));
  let it = 0;
  for (; it < maxIter; it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      let eta = theta[0];
      for (let j = 0; j < d; j++) eta += theta[j + 1] * z[i][j];
      const p = sigmoid(eta);
      const r = p - y[i];
      const w = p * (1 - p);
      const zi = [1, ...z[i]];
      for (let a = 0; a <= d; a++) {
        grad[a] += r * zi[a];
        for (let b = 0; b <= d; b++) hess[a][b] += w * zi[a] * zi[b];
      }
    }
    for (let j = 1; j <= d; j++) {
      grad[j] += lambda * theta[j];
      hess[j][j] += lambda;
    }
    hess[0][0] += 1e-9; // keeps the system solvable when every label is the same
    const step = solve(hess, grad);
    let maxStep = 0;
    for (let a = 0; a <= d; a++) {
      theta[a] -= step[a];
      maxStep = Math.max(maxStep, Math.abs(step[a]));
    }
    if (maxStep < tol) {
      it++;
      break;
    }
  }
  return {
    features: opts.features ?? Array.from({ length: d }, (_, j) => `f${j}`),
    mean,
    scale,
    weights: theta.slice(1),
    intercept: theta[0],
    lambda,
    iterations: it,
  };
}

/** Predicted probability of label 1 for one row of raw (unstandardised) features. */
export function predictLogistic(model: LogisticModel, row: readonly number[]): number {
  let eta = model.intercept;
  for (let j = 0; j < model.weights.length; j++) eta += model.weights[j] * ((row[j] - model.mean[j]) / model.scale[j]);
  return sigmoid(eta);
}

/** Solves A·x = b for a symmetric positive-definite A (Gaussian elimination, partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    if (Math.abs(d) < 1e-300) throw new Error('fitLogistic: singular system');
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / d;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * out[k];
    out[r] = s / m[r][r];
  }
  return out;
}
