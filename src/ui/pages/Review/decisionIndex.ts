// The project's decisions as Review looks them up: this reviewer's by pair, the others'
// by pair. Kept up to date change by change (see followDecisions in src/db/decisionFeed.ts):
// a decision costs work for the pairs it touched, not for every decision stored.
import type { DecisionRecord } from '../../../db/schema';
import type { DecisionUpdate } from '../../../db/decisionFeed';
import { pairKey } from '../../../core/review/queue';

export interface DecisionIndex {
  /** This reviewer's decisions by pairKey. */
  mine: ReadonlyMap<string, DecisionRecord>;
  /** Other reviewers' decisions by pairKey. */
  others: ReadonlyMap<string, DecisionRecord[]>;
  /** Every decision of the project, in (query, document, reviewer) order. */
  readonly all: DecisionRecord[];
}

const fullKey = (d: { queryId: string; docId: string; reviewer: string }) => `${pairKey(d.queryId, d.docId)}\u0001${d.reviewer}`;
const byKeyOrder = (a: DecisionRecord, b: DecisionRecord) => (a.queryId < b.queryId ? -1 : a.queryId > b.queryId ? 1 : a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0);

export class LiveDecisionIndex {
  private readonly records = new Map<string, DecisionRecord>();
  private readonly mine = new Map<string, DecisionRecord>();
  private readonly others = new Map<string, DecisionRecord[]>();
  private reviewer: string;
  private snap: DecisionIndex | null = null;

  constructor(reviewer: string) {
    this.reviewer = reviewer;
  }

  /** Applies what the feed delivered; returns whether anything changed. */
  apply(u: DecisionUpdate): boolean {
    if (u.kind === 'reset') {
      this.records.clear();
      for (const d of u.rows) this.records.set(fullKey(d), d);
      this.rebuild();
      return true;
    }
    let changed = false;
    for (const { key, record } of u.pairs) {
      const [, queryId, docId, reviewer] = key;
      const k = fullKey({ queryId, docId, reviewer });
      const old = this.records.get(k);
      if (old === record || (old && record && old.label === record.label && old.at === record.at && old.ms === record.ms && old.runId === record.runId)) continue;
      if (old) this.remove(old);
      if (record) {
        this.records.set(k, record);
        this.add(record);
      } else this.records.delete(k);
      changed = true;
    }
    if (changed) this.snap = null;
    return changed;
  }

  /** Whose decisions count as "mine" (the page's reviewer). */
  setReviewer(reviewer: string): boolean {
    if (reviewer === this.reviewer) return false;
    this.reviewer = reviewer;
    this.rebuild();
    return true;
  }

  /** The index as of now: a new object after every change (React compares by identity). */
  snapshot(): DecisionIndex {
    if (this.snap) return this.snap;
    const records = this.records;
    let all: DecisionRecord[] | null = null;
    this.snap = {
      mine: this.mine,
      others: this.others,
      get all() {
        all ??= [...records.values()].sort(byKeyOrder);
        return all;
      },
    };
    return this.snap;
  }

  private rebuild(): void {
    this.mine.clear();
    this.others.clear();
    for (const d of this.records.values()) this.add(d);
    this.snap = null;
  }

  private add(d: DecisionRecord): void {
    const k = pairKey(d.queryId, d.docId);
    if (d.reviewer === this.reviewer) this.mine.set(k, d);
    else {
      const l = this.others.get(k);
      // A new array: rows compare `others` by identity to know whether to paint again.
      this.others.set(k, l ? [...l, d].sort(byKeyOrder) : [d]);
    }
  }

  private remove(d: DecisionRecord): void {
    const k = pairKey(d.queryId, d.docId);
    if (d.reviewer === this.reviewer) {
      if (this.mine.get(k) === d) this.mine.delete(k);
      return;
    }
    const l = this.others.get(k)?.filter((x) => x !== d);
    if (l?.length) this.others.set(k, l);
    else this.others.delete(k);
  }
}
