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

export const STRATEGY_SYNTAX = 'topk | percpos:F | margin:M | relmargin:M | abs:MAX | triangle | simans[:a=1][:b=0]';

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
      let a = 1, b = 0;
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

/** A fused-rank window: candidates with min < rank ≤ max are considered (skip the first `min`). */
export interface RankRange {
  min: number;
  max: number;
}

/** Parses `--range MIN:MAX` (sentence-transformers range_min / range_max). */
export function parseRange(spec: string): RankRange {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new Error(`range "${spec}": expected MIN:MAX with whole numbers, e.g. 10:100`);
  const min = Number(m[1]), max = Number(m[2]);
  if (max <= min) throw new Error(`range "${spec}": MAX must be greater than MIN`);
  return { min, max };
}

export function inRange(rank: number, range: RankRange | undefined): boolean {
  return !range || (rank > range.min && rank <= range.max);
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
  /** Seeded RNG (SimANS). */
  rng: () => number;
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
 * candidates removed). Filters keep the first `count` passing candidates in pool order;
 * SimANS samples `count` distinct candidates with its weights and returns them in pool order.
 */
export function selectNegatives<T extends PoolCandidate>(pool: readonly T[], strategy: Strategy, ctx: SelectContext): T[] {
  if (!(ctx.count >= 0)) throw new Error(`negatives count must be ≥ 0, got ${ctx.count}`);
  if (strategy.kind === 'simans') {
    const w = pool.map((c) => simansWeight(c.score, ctx.positive.score, strategy.a, strategy.b));
    const picked = weightedSampleWithoutReplacement(w, Math.min(ctx.count, pool.length), ctx.rng);
    return picked.sort((x, y) => x - y).map((i) => pool[i]);
  }
  const out: T[] = [];
  for (const c of pool) {
    if (out.length >= ctx.count) break;
    if (strategyKeeps(strategy, c, ctx)) out.push(c);
  }
  return out;
}
