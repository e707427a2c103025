// Several reviewers on the same pairs: agreement and the list of conflicts.
import type { DecisionLabel } from '../types';
import { cohenKappa, type KappaResult } from './kappa';
import { pairKey } from './queue';

export interface ReviewerDecision {
  queryId: string;
  docId: string;
  reviewer: string;
  label: DecisionLabel;
}

export interface Conflict {
  queryId: string;
  docId: string;
  a: DecisionLabel;
  b: DecisionLabel;
}

/**
 * Agreement between reviewers `a` and `b` over the pairs both of them decided
 * (skips do not count as a judgement), and the pairs where they differ, in
 * (query, doc) order.
 */
export function agreement(decisions: readonly ReviewerDecision[], a: string, b: string): KappaResult & { conflicts: Conflict[] } {
  const ofA = new Map<string, ReviewerDecision>();
  const ofB = new Map<string, DecisionLabel>();
  for (const d of decisions) {
    if (d.label === 'skip') continue;
    if (d.reviewer === a) ofA.set(pairKey(d.queryId, d.docId), d);
    else if (d.reviewer === b) ofB.set(pairKey(d.queryId, d.docId), d.label);
  }
  const pairs: Array<[DecisionLabel, DecisionLabel]> = [];
  const conflicts: Conflict[] = [];
  for (const [k, da] of ofA) {
    const lb = ofB.get(k);
    if (lb === undefined) continue;
    pairs.push([da.label, lb]);
    if (da.label !== lb) conflicts.push({ queryId: da.queryId, docId: da.docId, a: da.label, b: lb });
  }
  conflicts.sort((x, y) => (x.queryId < y.queryId ? -1 : x.queryId > y.queryId ? 1 : x.docId < y.docId ? -1 : x.docId > y.docId ? 1 : 0));
  return { ...cohenKappa(pairs), conflicts };
}

/** Reviewer names that appear in the decisions, most active first. */
export function reviewers(decisions: readonly { reviewer: string }[]): string[] {
  const n = new Map<string, number>();
  for (const d of decisions) n.set(d.reviewer, (n.get(d.reviewer) ?? 0) + 1);
  return [...n].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([r]) => r);
}

/** Median of the positive numbers, or NaN when there are none (time per decision). */
export function median(values: readonly number[]): number {
  return medianOfSorted(values.filter((x) => x > 0).sort((x, y) => x - y));
}

/** Median of numbers already in ascending order, or NaN when there are none. */
export function medianOfSorted(v: readonly number[]): number {
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
