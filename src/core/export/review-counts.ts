// What review did to a run's candidates: counts per resolved label (Evaluate page, dataset card).
import type { DecisionLabel } from '../types';

export interface ReviewCounts {
  /** Before review: what the miner proposed. */
  candidates: number;
  flagged: number;
  /** After review (resolved label per pair, over this run's candidates). */
  accepted: number;
  rejected: number;
  promoted: number;
  skipped: number;
  unreviewed: number;
}

export function reviewCounts(
  candidates: ReadonlyArray<{ queryId: string; docId: string; flags: readonly string[] }>,
  resolved: ReadonlyMap<string, ReadonlyMap<string, DecisionLabel>>,
): ReviewCounts {
  const c: ReviewCounts = { candidates: candidates.length, flagged: 0, accepted: 0, rejected: 0, promoted: 0, skipped: 0, unreviewed: 0 };
  for (const cand of candidates) {
    if (cand.flags.length > 0) c.flagged++;
    const label = resolved.get(cand.queryId)?.get(cand.docId);
    if (label === 'accept') c.accepted++;
    else if (label === 'reject') c.rejected++;
    else if (label === 'positive') c.promoted++;
    else if (label === 'skip') c.skipped++;
    else c.unreviewed++;
  }
  return c;
}
