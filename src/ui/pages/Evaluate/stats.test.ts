import { describe, expect, it } from 'vitest';
import type { DecisionLabel } from '../../../core/types';
import { firstPositiveRank, rankBucket, rankDistribution, reviewCounts, sharedHistogram } from './stats';

describe('sharedHistogram', () => {
  it('bins both series over their common range, the maximum in the last bin', () => {
    // range 0..1 in 4 bins of 0.25: [0,.25) [.25,.5) [.5,.75) [.75,1]
    const h = sharedHistogram([0.9, 1.0, 0.6], [0, 0.1, 0.3, 0.5], 4);
    expect(h.map((b) => [b.positives, b.negatives])).toEqual([
      [0, 2],
      [0, 1],
      [1, 1],
      [2, 0],
    ]);
    expect(h[0].x0).toBe(0);
    expect(h[3].x1).toBe(1);
    expect(h[1].label).toBe('0.38');
  });
  it('handles empty input, one value and non-finite values', () => {
    expect(sharedHistogram([], [])).toEqual([]);
    const one = sharedHistogram([2, 2], [NaN, 2], 10);
    expect(one).toHaveLength(1);
    expect([one[0].positives, one[0].negatives]).toEqual([2, 1]);
  });
});

describe('ranks', () => {
  it('finds the first positive and buckets ranks', () => {
    expect(firstPositiveRank([['a', 3], ['p', 2], ['q', 1]], ['q', 'p'])).toBe(2);
    expect(firstPositiveRank([['a', 3]], new Set(['p']))).toBeNull();
    expect([1, 4, 5, 6, 10, 11, 50, 51, 100, 101].map(rankBucket)).toEqual(['1', '4–5', '4–5', '6–10', '6–10', '11–20', '21–50', '51–100', '51–100', '>100']);
    expect(rankBucket(null)).toBe('not found');
    const rows = rankDistribution({ bm25: [1, 1, 7, null], dense: [2] });
    expect(rows.find((r) => r.bucket === '1')).toEqual({ bucket: '1', bm25: 2, dense: 0 });
    expect(rows.find((r) => r.bucket === 'not found')).toEqual({ bucket: 'not found', bm25: 1, dense: 0 });
    expect(rows.find((r) => r.bucket === '6–10')?.bm25).toBe(1);
  });
});

describe('reviewCounts', () => {
  it('counts resolved labels over the run candidates only', () => {
    const cands = [
      { queryId: 'q', docId: 'a', flags: [] },
      { queryId: 'q', docId: 'b', flags: ['suspected-false-negative'] },
      { queryId: 'q', docId: 'c', flags: [] },
      { queryId: 'r', docId: 'a', flags: [] },
      { queryId: 'r', docId: 'd', flags: ['near-duplicate'] },
    ];
    const resolved = new Map<string, Map<string, DecisionLabel>>([
      ['q', new Map<string, DecisionLabel>([['a', 'accept'], ['b', 'positive'], ['zz', 'reject']])],
      ['r', new Map<string, DecisionLabel>([['a', 'reject'], ['d', 'skip']])],
    ]);
    expect(reviewCounts(cands, resolved)).toEqual({ candidates: 5, flagged: 2, accepted: 1, rejected: 1, promoted: 1, skipped: 1, unreviewed: 1 });
  });
});
