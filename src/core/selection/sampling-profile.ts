// What a weighted sampler actually does to a pool: how much of the probability lands on the
// first candidates, against uniform sampling. SimANS's `a` only means something relative to
// the spread of the scores it is applied to, so the CLI logs this and the Mine page shows it.

import { simansWeight } from './rules';

export interface SamplingProfile {
  /** Candidates the sampler draws from. */
  poolSize: number;
  /** How many leading candidates (pool order = rank order) `topMass` sums over. */
  top: number;
  /** Probability that one draw lands among the first `top` candidates. */
  topMass: number;
  /** The same under uniform sampling: min(top, n) / n. */
  uniformTopMass: number;
  /** Effective number of candidates, 1 / Σ p² (n when uniform, 1 when all mass is on one). */
  effectivePool: number;
}

/** Profile of sampling one item with probability ∝ weights[i] (weights in pool order). */
export function samplingProfile(weights: readonly number[], top = 10): SamplingProfile {
  const n = weights.length;
  const total = weights.reduce((s, w) => s + w, 0);
  if (n === 0) return { poolSize: 0, top, topMass: 0, uniformTopMass: 0, effectivePool: 0 };
  // all-zero weights: the sampler falls back to index order (weightedSampleWithoutReplacement)
  const p = total > 0 ? weights.map((w) => w / total) : weights.map((_, i) => (i === 0 ? 1 : 0));
  let topMass = 0, sq = 0;
  p.forEach((x, i) => {
    if (i < top) topMass += x;
    sq += x * x;
  });
  return { poolSize: n, top, topMass, uniformTopMass: Math.min(top, n) / n, effectivePool: 1 / sq };
}

/** SimANS's sampling profile for one query: pool scores (rank order) against the positive's score. */
export function simansProfile(poolScores: readonly number[], positiveScore: number, a: number, b: number, top = 10): SamplingProfile {
  return samplingProfile(poolScores.map((s) => simansWeight(s, positiveScore, a, b)), top);
}

/** Mean of per-query profiles (queries with an empty pool left out); undefined when none is left. */
export function meanSamplingProfile(profiles: readonly SamplingProfile[]): SamplingProfile | undefined {
  const xs = profiles.filter((p) => p.poolSize > 0);
  if (!xs.length) return undefined;
  const mean = (f: (p: SamplingProfile) => number) => xs.reduce((s, p) => s + f(p), 0) / xs.length;
  return { poolSize: mean((p) => p.poolSize), top: xs[0].top, topMass: mean((p) => p.topMass), uniformTopMass: mean((p) => p.uniformTopMass), effectivePool: mean((p) => p.effectivePool) };
}

/** One line for logs: `top-10 mass 0.41 (uniform 0.10), effective pool 23 of 99`. */
export function describeSamplingProfile(p: SamplingProfile): string {
  return `top-${p.top} mass ${p.topMass.toFixed(3)} (uniform ${p.uniformTopMass.toFixed(3)}), effective pool ${p.effectivePool.toFixed(1)} of ${p.poolSize.toFixed(1)}`;
}
