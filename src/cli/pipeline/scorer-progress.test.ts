import { describe, expect, it } from 'vitest';
import { withScoreProgress } from './scorer-progress';

describe('withScoreProgress', () => {
  it('scores in slices, in order, and logs done/total, rate and ETA', async () => {
    let clock = 0;
    const inner = { key: 'k', score: async (p: Array<[string, string]>) => ((clock += 1000), Float32Array.from(p, ([q]) => Number(q))) };
    const lines: string[] = [];
    const s = withScoreProgress(inner, (l) => lines.push(l), { slice: 10, everyMs: 0, now: () => clock });
    const pairs = Array.from({ length: 25 }, (_, i): [string, string] => [String(i), 'd']);
    expect([...(await s.score(pairs))]).toEqual(pairs.map((_, i) => i));
    expect(lines).toEqual(['cross-encoder: 10/25 pairs, 10 pairs/s, ETA 2 s', 'cross-encoder: 20/25 pairs, 10 pairs/s, ETA 1 s']);
  });
});
