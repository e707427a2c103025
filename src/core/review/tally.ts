// Review's progress counts for a run, kept up to date pair by pair. Counting again over
// every decision after each key press cost time that grows with the decisions stored (on
// the critical path of the next candidate's paint); a decision changes the counts of the
// pairs it touched only, so only those are counted again.
import type { DecisionLabel } from '../types';
import { medianOfSorted } from './agreement';

export interface ReviewCounts {
  /** Candidates (pairs) in the run. */
  total: number;
  /** Pairs with a label other than skip. */
  reviewed: number;
  accept: number;
  reject: number;
  positive: number;
  skip: number;
  /** Median milliseconds per decision of this reviewer in this run (NaN: none timed). */
  medianMs: number;
}

export class RunTally {
  private readonly labels = new Map<string, DecisionLabel>();
  private readonly msByPair = new Map<string, number>();
  /** The timed decisions' milliseconds, ascending (for the median). */
  private readonly msSorted: number[] = [];
  private readonly n = { accept: 0, reject: 0, positive: 0, skip: 0 };
  private snap: ReviewCounts | null = null;
  private last: ReviewCounts | null = null;

  /**
   * `pairs`: the run's pair keys; `labelOf`: the label that counts for a pair now;
   * `msOf`: this reviewer's time on the pair in this run (undefined or ≤ 0: untimed).
   */
  constructor(
    private readonly pairs: ReadonlySet<string>,
    private readonly labelOf: (pair: string) => DecisionLabel | undefined,
    private readonly msOf: (pair: string) => number | undefined,
  ) {}

  /** Counts from scratch over `pairs` that may have a label (every other pair has none). */
  recount(pairs: Iterable<string>): void {
    this.labels.clear();
    this.msByPair.clear();
    this.msSorted.length = 0;
    this.n.accept = this.n.reject = this.n.positive = this.n.skip = 0;
    this.update(pairs);
    this.snap = null;
  }

  /** Counts these pairs again (their labels or times may have changed). */
  update(pairs: Iterable<string>): void {
    for (const k of pairs) {
      const label = this.pairs.has(k) ? this.labelOf(k) : undefined;
      const old = this.labels.get(k);
      if (label !== old) {
        if (old !== undefined) this.n[old]--;
        if (label !== undefined) {
          this.n[label]++;
          this.labels.set(k, label);
        } else this.labels.delete(k);
        this.snap = null;
      }
      const raw = this.msOf(k);
      const ms = raw !== undefined && raw > 0 ? raw : undefined;
      const oldMs = this.msByPair.get(k);
      if (ms !== oldMs) {
        if (oldMs !== undefined) this.msSorted.splice(lowerBound(this.msSorted, oldMs), 1);
        if (ms !== undefined) {
          this.msSorted.splice(lowerBound(this.msSorted, ms), 0, ms);
          this.msByPair.set(k, ms);
        } else this.msByPair.delete(k);
        this.snap = null;
      }
    }
  }

  /** The counts now: the same object while they stay the same (React compares by identity). */
  counts(): ReviewCounts {
    if (this.snap) return this.snap;
    const next: ReviewCounts = {
      total: this.pairs.size,
      reviewed: this.n.accept + this.n.reject + this.n.positive,
      ...this.n,
      medianMs: medianOfSorted(this.msSorted),
    };
    const prev = this.last;
    const same = prev !== null && (Object.keys(next) as Array<keyof ReviewCounts>).every((k) => Object.is(prev[k], next[k]));
    this.snap = this.last = same ? prev : next;
    return this.snap;
  }
}

/** First index whose value is ≥ x (the array is ascending). */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
