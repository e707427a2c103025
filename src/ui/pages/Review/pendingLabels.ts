// Labels this tab has stored that liveQuery has not delivered yet. They count at once, so a
// key pressed right after a decision sees it; an entry goes as soon as the database shows
// the same label, or a label written after ours (the same reviewer in another tab): the
// stored decision is then what the page shows, never our stale one.
import type { DecisionLabel } from '../../../core/types';

interface Entry {
  reviewer: string;
  pair: string;
  label: DecisionLabel | null;
  /** When our write happened (the decision's `at`). */
  at: number;
}

/** What the database holds for a pair of the reviewer (undefined: no decision). */
export type StoredLabel = (pair: string) => { label: DecisionLabel; at: number } | undefined;

export class PendingLabels {
  private readonly entries = new Map<string, Entry>();

  private static key(reviewer: string, pair: string): string {
    return `${reviewer}\u0001${pair}`;
  }

  /** Records a label this tab stored (null: it removed the decision). */
  wrote(reviewer: string, pair: string, label: DecisionLabel | null, at: number): void {
    this.entries.set(PendingLabels.key(reviewer, pair), { reviewer, pair, label, at });
  }

  has(reviewer: string, pair: string): boolean {
    return this.entries.has(PendingLabels.key(reviewer, pair));
  }

  /** The pending label (null: pending removal); undefined when nothing is pending. */
  get(reviewer: string, pair: string): DecisionLabel | null | undefined {
    return this.entries.get(PendingLabels.key(reviewer, pair))?.label;
  }

  /** The reviewer's pending pairs and labels. */
  *of(reviewer: string): Iterable<[string, DecisionLabel | null]> {
    for (const e of this.entries.values()) if (e.reviewer === reviewer) yield [e.pair, e.label];
  }

  /**
   * Drops what the database has caught up with, for `reviewer` (other reviewers' entries go
   * too: the page now shows someone else). Returns whether anything was dropped.
   */
  reconcile(reviewer: string, stored: StoredLabel): boolean {
    let changed = false;
    for (const [k, e] of this.entries) {
      const now = e.reviewer === reviewer ? stored(e.pair) : undefined;
      const caughtUp = e.reviewer !== reviewer || (now?.label ?? null) === e.label || (now !== undefined && now.at > e.at);
      if (caughtUp) {
        this.entries.delete(k);
        changed = true;
      }
    }
    return changed;
  }

  /** Forgets a pair (its write failed or was refused): the stored label shows again. */
  forget(reviewer: string, pair: string): void {
    this.entries.delete(PendingLabels.key(reviewer, pair));
  }
}
