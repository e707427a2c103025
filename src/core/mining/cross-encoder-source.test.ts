// scoreSource 'cross-encoder': the selection rules compare cross-encoder logits, as
// sentence-transformers' mine_hard_negatives applies absolute_margin / relative_margin /
// max_score after rescoring every candidate of its range with the cross_encoder.
import { describe, expect, it } from 'vitest';
import { parseDenoise } from '../denoise';
import type { MemberList } from '../fusion';
import { createRng, parseRange, parseStrategy } from '../selection';
import { CROSS_ENCODER_SOURCE, crossEncoderNeeds, mineQuery, mineWithCrossEncoder, type MineQueryInput } from './index';

// Same fixture as mining.test.ts. RRF fused ranks: a 1, p 2, b 3, d 4, c 5 (p the positive).
const A: MemberList = { name: 'A', weight: 1, hits: [['p', 0.9], ['a', 0.85], ['b', 0.8], ['c', 0.5]] };
const B: MemberList = { name: 'B', weight: 1, hits: [['a', 12], ['d', 10], ['p', 8], ['b', 4]] };
// cross-encoder logits (negative ones included: the rules must hold on this unbounded scale)
const LOGITS = new Map([['p', 2], ['a', 3], ['b', 1], ['d', -1], ['c', 0.5]]);
const none = parseDenoise('none');
const base = (over: Partial<MineQueryInput> = {}): MineQueryInput => ({
  queryId: 'q',
  positives: [{ docId: 'p' }],
  memberLists: [A, B],
  fusion: 'rrf',
  strategy: parseStrategy('topk'),
  scoreSource: CROSS_ENCODER_SOURCE,
  negatives: 2,
  rng: createRng(1),
  ce: { rule: none, scores: LOGITS },
  ...over,
});
const ids = (r: { negatives: { docId: string }[] }) => r.negatives.map((n) => n.docId);

describe('score source cross-encoder', () => {
  it('margins and max_score compare logits against the positive\'s logit', () => {
    // margin 0.5: keep ≤ 2 − 0.5 = 1.5 → a (3) out; b 1, d −1, c 0.5 in fused order
    const m = mineQuery(base({ strategy: parseStrategy('margin:0.5') }));
    expect(ids(m)).toEqual(['b', 'd']);
    expect(m.negatives.map((n) => n.strategyScore)).toEqual([1, -1]);
    expect(m.dropped).toContainEqual({ docId: 'a', reason: 'strategy' });
    // relmargin 0.6: keep ≤ 2·0.4 = 0.8 → d, c
    expect(ids(mineQuery(base({ strategy: parseStrategy('relmargin:0.6') })))).toEqual(['d', 'c']);
    // max_score 0: only d
    expect(ids(mineQuery(base({ strategy: parseStrategy('abs:0') })))).toEqual(['d']);
    // the same rule on member A's cosines (positive .9) is another selection: nothing is ≤ 0.4
    expect(ids(mineQuery(base({ strategy: parseStrategy('margin:0.5'), scoreSource: 'A', ce: undefined })))).toEqual([]);
  });

  it('every candidate the range considers is scored before a rule runs (ST rescoring), and a reranker is required', () => {
    const empty = new Map<string, number>();
    expect(crossEncoderNeeds(base({ ce: { rule: none, scores: empty } })).sort()).toEqual(['a', 'b', 'c', 'd', 'p']);
    // window 0:3 considers ranks 1..3 (a, p, b) only
    expect(crossEncoderNeeds(base({ range: parseRange('0:3'), ce: { rule: none, scores: empty } })).sort()).toEqual(['a', 'b', 'p']);
    expect(() => mineQuery(base({ ce: { rule: none, scores: new Map([['p', 2]]) } }))).toThrow(/needs cross-encoder scores of 4 more/);
    expect(() => mineQuery(base({ ce: undefined }))).toThrow(/scoreSource "cross-encoder" needs a reranker/);
  });

  it('mineWithCrossEncoder scores what is needed and selects on logits', async () => {
    const asked: string[] = [];
    const out = await mineWithCrossEncoder(
      [{ ...base({ strategy: parseStrategy('margin:0.5') }), ce: undefined, newRng: () => createRng(1) }].map(({ rng: _r, ce: _c, ...q }) => q),
      none,
      async (pairs) => pairs.map((p) => (asked.push(p.docId), LOGITS.get(p.docId)!)),
    );
    expect(ids(out.results[0])).toEqual(['b', 'd']);
    expect(asked.sort()).toEqual(['a', 'b', 'c', 'd', 'p']);
  });
});
