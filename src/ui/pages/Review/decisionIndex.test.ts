import { describe, expect, it } from 'vitest';
import { LiveDecisionIndex } from './decisionIndex';
import { pairKey } from '../../../core/review/queue';
import type { DecisionRecord } from '../../../db/schema';
import type { DecisionLabel } from '../../../core/types';

const d = (queryId: string, docId: string, reviewer: string, label: DecisionLabel, at = 1): DecisionRecord => ({ projectId: 'p', queryId, docId, reviewer, label, at, runId: 'r' });
const key = (x: DecisionRecord) => [x.projectId, x.queryId, x.docId, x.reviewer] as [string, string, string, string];

describe('LiveDecisionIndex', () => {
  it('splits mine from the others, applies changes and removals, and re-splits when the reviewer changes', () => {
    const ix = new LiveDecisionIndex('ann');
    ix.apply({ kind: 'reset', rows: [d('q1', 'a', 'ann', 'accept'), d('q1', 'a', 'bob', 'reject'), d('q1', 'b', 'cy', 'skip'), d('q1', 'a', 'al', 'accept')] });
    let s = ix.snapshot();
    expect(s.mine.get(pairKey('q1', 'a'))?.label).toBe('accept');
    expect(s.others.get(pairKey('q1', 'a'))?.map((x) => x.reviewer)).toEqual(['al', 'bob']);
    expect(s.all.map((x) => `${x.docId}/${x.reviewer}`)).toEqual(['a/al', 'a/ann', 'a/bob', 'b/cy']);

    // bob changes his label, ann's decision is undone, cy decides a new pair
    const before = s.others.get(pairKey('q1', 'a'));
    const bob = d('q1', 'a', 'bob', 'accept', 2);
    expect(
      ix.apply({
        kind: 'changes',
        pairs: [
          { key: key(bob), record: bob },
          { key: ['p', 'q1', 'a', 'ann'], record: undefined },
          { key: ['p', 'q2', 'c', 'cy'], record: d('q2', 'c', 'cy', 'positive') },
        ],
      }),
    ).toBe(true);
    const next = ix.snapshot();
    expect(next).not.toBe(s); // a new object: React sees the change
    s = next;
    expect(s.mine.has(pairKey('q1', 'a'))).toBe(false);
    expect(s.others.get(pairKey('q1', 'a'))?.map((x) => `${x.reviewer}:${x.label}`)).toEqual(['al:accept', 'bob:accept']);
    expect(s.others.get(pairKey('q1', 'a'))).not.toBe(before); // rows compare it by identity
    expect(s.all).toHaveLength(4);
    expect(s.all).toBe(s.all); // computed once per snapshot

    // the same record delivered again (an echo of a write already applied): nothing changes
    expect(ix.apply({ kind: 'changes', pairs: [{ key: key(bob), record: { ...bob } }] })).toBe(false);
    expect(ix.snapshot()).toBe(s);

    expect(ix.setReviewer('bob')).toBe(true);
    s = ix.snapshot();
    expect(s.mine.get(pairKey('q1', 'a'))?.label).toBe('accept');
    expect(s.others.get(pairKey('q1', 'a'))?.map((x) => x.reviewer)).toEqual(['al']);
    expect(s.mine.has(pairKey('q2', 'c'))).toBe(false);
    expect(s.others.get(pairKey('q2', 'c'))?.[0].label).toBe('positive');
    expect(ix.setReviewer('bob')).toBe(false);
  });
});
