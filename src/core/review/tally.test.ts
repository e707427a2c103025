import { describe, expect, it } from 'vitest';
import { RunTally } from './tally';
import { median } from './agreement';
import type { DecisionLabel } from '../types';

const LABELS: Array<DecisionLabel | undefined> = ['accept', 'reject', 'positive', 'skip', undefined];

/** What the counts must be: counted from scratch over the run's pairs. */
function brute(pairs: Set<string>, labels: Map<string, DecisionLabel>, ms: Map<string, number>) {
  const c = { accept: 0, reject: 0, positive: 0, skip: 0 };
  for (const k of pairs) {
    const l = labels.get(k);
    if (l) c[l]++;
  }
  return { total: pairs.size, reviewed: c.accept + c.reject + c.positive, ...c, medianMs: median([...ms.values()]) };
}

describe('RunTally', () => {
  it('after any sequence of changes, counting only the changed pairs equals counting everything again', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pairs = new Set(Array.from({ length: 200 }, (_, i) => `q${i % 20}\u0000d${i}`));
    const labels = new Map<string, DecisionLabel>();
    const ms = new Map<string, number>();
    const tally = new RunTally(pairs, (k) => labels.get(k), (k) => ms.get(k));
    tally.recount([]);
    for (let step = 0; step < 500; step++) {
      const touched: string[] = [];
      for (let j = 0, n = 1 + Math.floor(rand() * 4); j < n; j++) {
        // now and then a pair outside the run (another run's decision): never counted
        const k = rand() < 0.1 ? `other\u0000x${Math.floor(rand() * 5)}` : `q${Math.floor(rand() * 20)}\u0000d${Math.floor(rand() * 200)}`;
        const l = LABELS[Math.floor(rand() * LABELS.length)];
        if (l) labels.set(k, l);
        else labels.delete(k);
        if (rand() < 0.5) ms.set(k, Math.floor(rand() * 5000) - 100);
        else if (rand() < 0.3) ms.delete(k);
        touched.push(k);
      }
      const before = tally.counts();
      tally.update(touched);
      const after = tally.counts();
      const want = brute(pairs, labels, new Map([...ms].filter(([, v]) => v > 0)));
      expect(after).toEqual(want);
      // unchanged counts keep their identity (the top bar does not paint again)
      if (JSON.stringify(before) === JSON.stringify(after)) expect(after).toBe(before);
    }
    tally.recount([...labels.keys()]);
    expect(tally.counts()).toEqual(brute(pairs, labels, new Map([...ms].filter(([, v]) => v > 0))));
  });
});
