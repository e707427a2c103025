// Selection strategies as named on the CLI (`--strategy`), and the per-query selection that
// applies one of them to an ordered candidate pool.

import {
  absoluteCapKeep,
  absoluteMarginKeep,
  percPosKeep,
  relativeMarginKeep,
  simansWeight,
  triangleKeep,
} from './rules';
import { weightedSampleWithoutReplacement } from './random';

export type Strategy =
  | { kind: 'topk' }
  | { kind: 'percpos'; fraction: number }
  | { kind: 'margin'; margin: number }
  | { kind: 'relmargin'; margin: number }
  | { kind: 'abs'; max: number }
  | { kind: 'triangle' }
  | { kind: 'simans'; a: number; b: number };

/** How negatives are taken from the candidates that pass the filters (see SelectContext.sampling). */
export type Sampling = 'top' | 'random';
export const SAMPLINGS: readonly Sampling[] = ['top', 'random'];

/**
 * SimANS defaults for the COSINE scale (Quarry's default score source: the first dense member).
 * The official sampler uses a = 0.5 (SimXNS Rocketqa_v3Dataset `tau`) on raw dot products of
 * unnormalised encoders, where positive–negative gaps are several units. Cosine gaps among the
 * top 100 are a few tenths, where a = 0.5 (or 1) is uniform: exp(−1·0.3²) = 0.91. With a = 100
 * the weight is 0.78 at a gap of 0.05, e^−1 = 0.37 at 0.1 and 0.018 at 0.2: negatives within
 * ±0.1 cosine of the positive are the likely ones, as the paper intends (≈ 0.5 · 14², i.e. the
 * official value with dot products ~14× the cosine spread). On unnormalised scales (fused
 * z-sums, BM25, cross-encoder logits) pass a=0.5. See samplingProfile for the effect.
 */
export const SIMANS_DEFAULTS = { a: 100, b: 0 } as const;

export const STRATEGY_SYNTAX = 'topk | percpos:F | margin:M | relmargin:M | abs:MAX | triangle | simans[:a=100][:b=0]';

const num = (spec: string, s: string | undefined, what: string): number => {
  const v = s === undefined || s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(v)) throw new Error(`strategy "${spec}": ${what} must be a number, got "${s ?? ''}"`);
  return v;
};

/** Parses a `--strategy` value; throws an Error naming the problem and the accepted syntax. */
export function parseStrategy(spec: string): Strategy {
  const [name, ...args] = spec.trim().split(':');
  const noArgs = () => {
    if (args.length) throw new Error(`strategy "${spec}": ${name} takes no argument`);
  };
  const one = (what: string) => {
    if (args.length !== 1) throw new Error(`strategy "${spec}": expected ${name}:${what} (one number)`);
    return num(spec, args[0], what);
  };
  switch (name) {
    case 'topk':
      noArgs();
      return { kind: 'topk' };
    case 'percpos': {
      const fraction = one('FRACTION');
      if (!(fraction > 0 && fraction <= 1)) throw new Error(`strategy "${spec}": percpos fraction must be in (0, 1], e.g. percpos:0.95`);
      return { kind: 'percpos', fraction };
    }
    case 'margin': {
      const margin = one('MARGIN');
      if (margin < 0) throw new Error(`strategy "${spec}": margin must be ≥ 0, e.g. margin:0.05`);
      return { kind: 'margin', margin };
    }
    case 'relmargin': {
      const margin = one('MARGIN');
      if (!(margin >= 0 && margin < 1)) throw new Error(`strategy "${spec}": relmargin must be in [0, 1), e.g. relmargin:0.05`);
      return { kind: 'relmargin', margin };
    }
    case 'abs':
      return { kind: 'abs', max: one('MAX') };
    case 'triangle':
      noArgs();
      return { kind: 'triangle' };
    case 'simans': {
      let a: number = SIMANS_DEFAULTS.a, b: number = SIMANS_DEFAULTS.b;
      for (const arg of args) {
        const m = /^(a|b)=(.*)$/.exec(arg);
        if (!m) throw new Error(`strategy "${spec}": unknown simans option "${arg}"; expected a=NUMBER or b=NUMBER`);
        if (m[1] === 'a') a = num(spec, m[2], 'a');
        else b = num(spec, m[2], 'b');
      }
      if (a < 0) throw new Error(`strategy "${spec}": simans a must be ≥ 0`);
      return { kind: 'simans', a, b };
    }
    default:
      throw new Error(`unknown strategy "${spec}"; expected ${STRATEGY_SYNTAX}`);
  }
}

/** Canonical text of a strategy (inverse of parseStrategy), for run records and file names. */
export function formatStrategy(s: Strategy): string {
  switch (s.kind) {
    case 'topk':
    case 'triangle':
      return s.kind;
    case 'percpos':
      return `percpos:${s.fraction}`;
    case 'margin':
    case 'relmargin':
      return `${s.kind}:${s.margin}`;
    case 'abs':
      return `abs:${s.max}`;
    case 'simans':
      return `simans:a=${s.a}:b=${s.b}`;
  }
}

/** A candidate in the pool: its score on the strategy's scale. */
export interface PoolCandidate {
  docId: string;
  score: number;
}

export interface SelectContext {
  /** The hardest positive (lowest score) on the same scale as the candidates. */
  positive: { docId: string; score: number };
  /** How many negatives to return (Infinity for all that pass). */
  count: number;
  /** Seeded RNG (SimANS, random sampling). */
  rng: () => number;
  /**
   * How the `count` negatives are taken from the candidates that pass the filter: 'top' (default)
   * the first ones in pool order (sentence-transformers sampling_strategy="top"); 'random' a
   * uniform sample without replacement (ST sampling_strategy="random"; FlagEmbedding hn_mine.py
   * `random.sample` inside its window), returned in pool order. SimANS has its own weights.
   */
  sampling?: Sampling;
  /** Cosine similarity of the positive and a document, and of the query and a document (triangle). */
  similarity?: {
    qd(docId: string): number | undefined;
    pd(posId: string, docId: string): number | undefined;
  };
}

/**
 * Whether the filter part of `strategy` keeps one candidate (topk and simans keep everything:
 * simans acts through sampling). Triangle needs `ctx.similarity`; a candidate whose similarities
 * are unknown is not kept (we cannot show the rule holds).
 */
export function strategyKeeps(strategy: Strategy, cand: PoolCandidate, ctx: Pick<SelectContext, 'positive' | 'similarity'>): boolean {
  const pos = ctx.positive.score;
  switch (strategy.kind) {
    case 'topk':
    case 'simans':
      return true;
    case 'percpos':
      return percPosKeep(cand.score, pos, strategy.fraction);
    case 'margin':
      return absoluteMarginKeep(cand.score, pos, strategy.margin);
    case 'relmargin':
      return relativeMarginKeep(cand.score, pos, strategy.margin);
    case 'abs':
      return absoluteCapKeep(cand.score, strategy.max);
    case 'triangle': {
      const sim = ctx.similarity;
      if (!sim) throw new Error('strategy triangle needs document–positive similarities (dense vectors)');
      const qd = sim.qd(cand.docId), qp = sim.qd(ctx.positive.docId), pd = sim.pd(ctx.positive.docId, cand.docId);
      if (qd === undefined || qp === undefined || pd === undefined) return false;
      return triangleKeep(qd, qp, pd);
    }
  }
}

/**
 * Applies `strategy` to a pool already in fused order (positives, duplicates and out-of-range
 * candidates removed). Filters keep the first `count` passing candidates in pool order
 * (sampling 'top') or a uniform sample of them (sampling 'random'); SimANS samples `count`
 * distinct candidates with its weights. Samples are returned in pool order.
 */
export function selectNegatives<T extends PoolCandidate>(pool: readonly T[], strategy: Strategy, ctx: SelectContext): T[] {
  if (!(ctx.count >= 0)) throw new Error(`negatives count must be ≥ 0, got ${ctx.count}`);
  if (strategy.kind === 'simans') {
    const w = pool.map((c) => simansWeight(c.score, ctx.positive.score, strategy.a, strategy.b));
    const picked = weightedSampleWithoutReplacement(w, Math.min(ctx.count, pool.length), ctx.rng);
    return picked.sort((x, y) => x - y).map((i) => pool[i]);
  }
  const out: T[] = [];
  if (ctx.sampling === 'random') {
    const passing = pool.filter((c) => strategyKeeps(strategy, c, ctx));
    // equal weights: Efraimidis–Spirakis reduces to a uniform sample without replacement
    const picked = weightedSampleWithoutReplacement(passing.map(() => 1), Math.min(ctx.count, passing.length), ctx.rng);
    return picked.sort((x, y) => x - y).map((i) => passing[i]);
  }
  for (const c of pool) {
    if (out.length >= ctx.count) break;
    if (strategyKeeps(strategy, c, ctx)) out.push(c);
  }
  return out;
}
