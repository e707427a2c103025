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
