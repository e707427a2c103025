// Iterative rounds: what a new run brings compared with an earlier one.
import type { DecisionLabel } from '../types';
import { pairKey } from './queue';

export interface RunComparison {
  /** Candidates of the new run. */
  total: number;
  /** Candidates of the new run that the earlier run did not propose. */
  newCandidates: number;
  /** Candidates that both runs proposed. */
  kept: number;
  /** Candidates of the earlier run that the new run dropped. */
  dropped: number;
  /** Pairs rejected earlier (not a good negative) that the new run still ranks at or above `highRank`. */
  rejectedStillHigh: number;
  /** Pairs promoted to positive earlier that the new run still proposes as negatives. */
  positivesStillProposed: number;
}

/**
 * Compares two runs' candidate lists. `labelOf` gives the decision on a pair made in
 * any earlier round (decisions belong to the pair, not the run). A rejection is "still
 * high" when the new run ranks the pair at fused rank ≤ highRank.
 */
export function compareRuns(
  earlier: ReadonlyArray<{ queryId: string; docId: string }>,
  later: ReadonlyArray<{ queryId: string; docId: string; rank: number }>,
  labelOf: (queryId: string, docId: string) => DecisionLabel | undefined,
  highRank = 10,
): RunComparison {
  const before = new Set(earlier.map((c) => pairKey(c.queryId, c.docId)));
  const after = new Set<string>();
  let newCandidates = 0;
  let rejectedStillHigh = 0;
  let positivesStillProposed = 0;
  for (const c of later) {
    const k = pairKey(c.queryId, c.docId);
    after.add(k);
    if (!before.has(k)) newCandidates++;
    const label = labelOf(c.queryId, c.docId);
    if (label === 'reject' && c.rank <= highRank) rejectedStillHigh++;
    if (label === 'positive') positivesStillProposed++;
  }
  let dropped = 0;
  for (const k of before) if (!after.has(k)) dropped++;
  return {
    total: later.length,
    newCandidates,
    kept: later.length - newCandidates,
    dropped,
    rejectedStillHigh,
    positivesStillProposed,
  };
}

export interface NegativeOverlap {
  /** Queries that both runs have candidates for. */
  sharedQueries: number;
  /** Mean over shared queries of |A ∩ B| / |A ∪ B| of the two runs' candidate sets. */
  meanJaccard: number;
  /** Shared queries whose candidate sets are identical. */
  identical: number;
  /** Per shared query, its Jaccard index. */
  perQuery: Map<string, number>;
}

/**
 * How far two runs agree on which negatives to propose: per query, the Jaccard index of their
 * candidate sets (order ignored), over the queries both runs mined.
 */
export function negativeOverlap(
  a: ReadonlyArray<{ queryId: string; docId: string }>,
  b: ReadonlyArray<{ queryId: string; docId: string }>,
): NegativeOverlap {
  const group = (xs: ReadonlyArray<{ queryId: string; docId: string }>) => {
    const m = new Map<string, Set<string>>();
    for (const x of xs) (m.get(x.queryId) ?? m.set(x.queryId, new Set()).get(x.queryId)!).add(x.docId);
    return m;
  };
  const ga = group(a), gb = group(b);
  const perQuery = new Map<string, number>();
  let identical = 0;
  for (const [q, sa] of ga) {
    const sb = gb.get(q);
    if (!sb) continue;
    let inter = 0;
    for (const d of sa) if (sb.has(d)) inter++;
    const j = inter / (sa.size + sb.size - inter);
    perQuery.set(q, j);
    if (inter === sa.size && inter === sb.size) identical++;
  }
  const n = perQuery.size;
  return { sharedQueries: n, meanJaccard: n ? [...perQuery.values()].reduce((s, v) => s + v, 0) / n : NaN, identical, perQuery };
}
