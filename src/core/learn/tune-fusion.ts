// Fusion weights fitted on a labelled split: coordinate search over member weights, for each
// fusion method, maximising mean nDCG@10 (the ensemble's `quarry eval` metric).
//
// Every fusion method in core/fusion is, per query, a function of the weights applied to
// per-member terms that do not depend on the weights (soft-z: z-scores and floors; soft-minmax:
// min-max values; rrf: k + rank; max: the centred score and std). We compute those terms once
// per query and member, then re-score the union of candidates for each trial weight vector with
// exactly the arithmetic of `fuse` (same expressions, same member order), so a fitted run scores
// bit for bit what `quarry eval --fusion M --weights W` reports (tested against evaluateEnsemble).

import { FUSION_METHODS, memberStats, type MemberList } from '../fusion';
import { queryMetrics, type Qrels } from '../metrics';
import type { FusionMethod, Hit } from '../types';

interface QueryTerms {
  queryId: string;
  docIds: string[];
  /** terms[m][d]: first term per member and document (NaN = not listed by that member). */
  a: Float64Array[];
  /** second term (max: the member's std). */
  b: Float64Array[];
  judged: ReadonlyMap<string, number>;
}

export interface TuneOptions {
  /** Methods to search; default all four. */
  methods?: readonly FusionMethod[];
  /** Candidate values for each weight; default 0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4. */
  grid?: readonly number[];
  /** Coordinate-search passes over the members; default 4 (stops early when nothing improves). */
  rounds?: number;
  rrfK?: number;
}

export interface TuneResult {
  fusion: FusionMethod;
  weights: number[];
  /** nDCG@10 of the fitted method and weights on the fitting split. */
  fitted: number;
  /** nDCG@10 with every weight 1, per method searched. */
  equal: Record<string, number>;
  /** Weight vectors evaluated (for the log). */
  evaluations: number;
}

export const DEFAULT_WEIGHT_GRID: readonly number[] = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

/** Precomputes the weight-independent terms of `method` for every query with relevant qrels. */
function prepare(lists: ReadonlyMap<string, readonly MemberList[]>, qrels: Qrels, method: FusionMethod, rrfK: number): QueryTerms[] {
  const out: QueryTerms[] = [];
  for (const [queryId, judged] of qrels) {
    if (![...judged.values()].some((g) => g > 0)) continue;
    const members = lists.get(queryId) ?? [];
    const order: string[] = [];
    const index = new Map<string, number>();
    for (const m of members) for (const [id] of m.hits) if (!index.has(id)) { index.set(id, order.length); order.push(id); }
    const a: Float64Array[] = [], b: Float64Array[] = [];
    for (const m of members) {
      // the statistics `fuse` computes, so the terms below are its own
      const { mean, std, min, max, floorZ, pos: first } = memberStats(m);
      const ta = new Float64Array(order.length).fill(NaN), tb = new Float64Array(order.length).fill(NaN);
      order.forEach((id, d) => {
        const i = first.get(id);
        const score = i === undefined ? null : m.hits[i][1];
        switch (method) {
          case 'soft-z': ta[d] = score === null ? floorZ : (score - mean) / std; break;
          case 'soft-minmax': if (score !== null) ta[d] = max > min ? (score - min) / (max - min) : 1; break;
          case 'rrf': if (i !== undefined) ta[d] = rrfK + (i + 1); break;
          case 'max': if (score !== null) { ta[d] = score - mean; tb[d] = std; } break;
        }
      });
      a.push(ta);
      b.push(tb);
    }
    out.push({ queryId, docIds: order, a, b, judged });
  }
  return out;
}

function scoreQuery(q: QueryTerms, method: FusionMethod, weights: readonly number[]): Hit[] {
  const hits: Hit[] = new Array(q.docIds.length);
  for (let d = 0; d < q.docIds.length; d++) {
    let total = method === 'max' ? -Infinity : 0;
    for (let m = 0; m < q.a.length; m++) {
      const t = q.a[m][d], w = weights[m];
      if (method === 'soft-z') total += w * t;
      else if (Number.isNaN(t)) continue;
      else if (method === 'soft-minmax') total += w * t;
      else if (method === 'rrf') total += w / t;
      else total = Math.max(total, (w * t) / q.b[m][d]);
    }
    hits[d] = [q.docIds[d], total];
  }
  return hits;
}

function meanNdcg(queries: readonly QueryTerms[], method: FusionMethod, weights: readonly number[]): number {
  if (!queries.length) return 0;
  let s = 0;
  for (const q of queries) s += queryMetrics(scoreQuery(q, method, weights), q.judged)['ndcg@10'];
  return s / queries.length;
}

/** Mean nDCG@10 of `method` with `weights` (one per member, in list order). */
export function ensembleNdcg(lists: ReadonlyMap<string, readonly MemberList[]>, qrels: Qrels, method: FusionMethod, weights: readonly number[], rrfK = 60): number {
  return meanNdcg(prepare(lists, qrels, method, rrfK), method, weights);
}

/**
 * Fits one weight per member (list order) and a fusion method. Starts from equal weights and
 * moves one member's weight at a time to the grid value with the best nDCG@10, keeping the
 * current value on ties, until a full pass changes nothing. At least one weight stays > 0.
 */
export function tuneFusion(lists: ReadonlyMap<string, readonly MemberList[]>, qrels: Qrels, opts: TuneOptions = {}): TuneResult {
  const methods = opts.methods ?? FUSION_METHODS;
  const grid = opts.grid ?? DEFAULT_WEIGHT_GRID;
  const rounds = opts.rounds ?? 4;
  const rrfK = opts.rrfK ?? 60;
  const first = lists.values().next().value as readonly MemberList[] | undefined;
  const m = first?.length ?? 0;
  if (m === 0) throw new Error('tune: no members');
  let best: TuneResult | undefined;
  const equal: Record<string, number> = {};
  let evaluations = 0;
  for (const method of methods) {
    const queries = prepare(lists, qrels, method, rrfK);
    const weights = new Array<number>(m).fill(1);
    let score = meanNdcg(queries, method, weights);
    evaluations++;
    equal[method] = score;
    for (let r = 0; r < rounds; r++) {
      let changed = false;
      for (let j = 0; j < m; j++) {
        const keep = weights[j];
        let bestW = keep, bestS = score;
        for (const w of grid) {
          if (w === keep) continue;
          weights[j] = w;
          if (!weights.some((x) => x > 0)) continue;
          const s = meanNdcg(queries, method, weights);
          evaluations++;
          if (s > bestS + 1e-12) { bestS = s; bestW = w; }
        }
        weights[j] = bestW;
        if (bestW !== keep) { score = bestS; changed = true; }
      }
      if (!changed) break;
    }
    if (!best || score > best.fitted + 1e-12) best = { fusion: method, weights: [...weights], fitted: score, equal, evaluations: 0 };
  }
  return { ...best!, equal, evaluations };
}
