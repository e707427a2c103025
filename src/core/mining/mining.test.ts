import { describe, expect, it } from 'vitest';
import { parseDenoise } from '../denoise';
import type { MemberList } from '../fusion';
import { qrelsFromList } from '../metrics';
import { createRng, parseRange, parseStrategy } from '../selection';
import { denoisePool, evaluateEnsemble, mineQuery, type MineQueryInput } from './index';

// A (a dense model, cosine): p .9, a .85, b .8, c .5        B (BM25): a 12, d 10, p 8, b 4
// RRF (k = 60): a 1/62+1/61 = .032522 | p 1/61+1/63 = .032266 | b 1/63+1/64 = .031498 | d 1/62 = .016129 | c 1/64 = .015625
// fused ranks: a 1, p 2, b 3, d 4, c 5
const A: MemberList = { name: 'A', weight: 1, hits: [['p', 0.9], ['a', 0.85], ['b', 0.8], ['c', 0.5]] };
const B: MemberList = { name: 'B', weight: 1, hits: [['a', 12], ['d', 10], ['p', 8], ['b', 4]] };
const base = (over: Partial<MineQueryInput> = {}): MineQueryInput => ({
  queryId: 'q',
  positives: [{ docId: 'p' }],
  memberLists: [A, B],
  fusion: 'rrf',
  strategy: parseStrategy('topk'),
  negatives: 2,
  rng: createRng(1),
  ...over,
});
const ids = (r: { negatives: { docId: string }[] }) => r.negatives.map((n) => n.docId);

describe('mineQuery', () => {
  it('topk: first N fused candidates, positives excluded, with ranks and member scores', () => {
    const r = mineQuery(base());
    expect(ids(r)).toEqual(['a', 'b']);
    expect(r.negatives[0]).toMatchObject({ fusedRank: 1, members: { A: { rank: 2, score: 0.85 }, B: { rank: 1, score: 12 } }, flags: [] });
    expect(r.negatives[0].fusedScore).toBeCloseTo(1 / 62 + 1 / 61, 15);
    expect(r.negatives[1].fusedRank).toBe(3);
    expect(r.positives[0]).toMatchObject({ docId: 'p', fusedRank: 2 });
    expect(r.pool).toEqual(['a', 'b', 'd', 'c']);
    expect(r.dropped).toEqual([{ docId: 'd', reason: 'not-sampled' }, { docId: 'c', reason: 'not-sampled' }]);
  });

  it('margin on a member scale: missing documents get the member floor as upper bound', () => {
    // keep ≤ .9 − .1 = .8: a (.85) dropped; b .8, d (not in A → floor .5), c .5 pass
    const r = mineQuery(base({ strategy: parseStrategy('margin:0.1'), scoreSource: 'A' }));
    expect(ids(r)).toEqual(['b', 'd']);
    expect(r.negatives.map((n) => n.strategyScore)).toEqual([0.8, 0.5]);
    expect(r.dropped).toContainEqual({ docId: 'a', reason: 'strategy' });
    expect(() => mineQuery(base({ scoreSource: 'C' }))).toThrow(/scoreSource "C" is not a member \(A, B\)/);
  });

  it('range skips the first MIN fused ranks (positives counted) and stops at MAX', () => {
    expect(ids(mineQuery(base({ range: parseRange('2:5') })))).toEqual(['b', 'd']);
    expect(ids(mineQuery(base({ range: parseRange('0:1'), negatives: 5 })))).toEqual(['a']);
  });

  it('range st:MIN:MAX (sentence-transformers) skips MIN after positives and filters; window counts positives', () => {
    // fused ranks a 1, p 2, b 3, d 4, c 5. st:1:3 considers ranks ≤ 3 + 1 positive = a, p, b, d;
    // without p: a, b, d; skip 1 → b, d. window 1:3 = ranks 2..3 = p, b → b.
    expect(ids(mineQuery(base({ range: parseRange('st:1:3'), negatives: 5 })))).toEqual(['b', 'd']);
    expect(ids(mineQuery(base({ range: parseRange('window:1:3'), negatives: 5 })))).toEqual(['b']);
    expect(ids(mineQuery(base({ range: parseRange('1:3'), negatives: 5 })))).toEqual(['b']);
    // with margin:0.1 on A (keep ≤ .8): a fails, so the passing list is b, d and st skips b
    const margin = { strategy: parseStrategy('margin:0.1'), scoreSource: 'A', negatives: 5 };
    const st = mineQuery(base({ ...margin, range: parseRange('st:1:3') }));
    expect(ids(st)).toEqual(['d']);
    expect(st.dropped).toContainEqual({ docId: 'b', reason: 'out-of-range' });
    expect(st.dropped).toContainEqual({ docId: 'c', reason: 'out-of-range' });
    expect(ids(mineQuery(base({ ...margin, range: parseRange('window:1:3') })))).toEqual(['b']);
  });

  it('sampling random: a seeded uniform sample of the passing candidates, in pool order', () => {
    const counts: Record<string, number> = {};
    const rng = createRng(5);
    for (let i = 0; i < 3000; i++) {
      const got = ids(mineQuery(base({ sampling: 'random', rng })));
      expect(got).toHaveLength(2);
      expect(['a', 'b', 'd', 'c'].filter((x) => got.includes(x))).toEqual(got); // pool order
      for (const x of got) counts[x] = (counts[x] ?? 0) + 1;
    }
    // each of the 4 candidates is in a 2-of-4 sample with probability 1/2
    for (const x of ['a', 'b', 'c', 'd']) expect(Math.abs(counts[x] / 3000 - 0.5)).toBeLessThan(0.04);
    expect(ids(mineQuery(base({ sampling: 'random', rng: createRng(9) })))).toEqual(ids(mineQuery(base({ sampling: 'random', rng: createRng(9) }))));
  });

  it('pad fills up to N with random corpus documents (FlagEmbedding), never a candidate or positive', () => {
    const corpusIds = ['a', 'b', 'c', 'd', 'p', 'x', 'y', 'z'];
    // window 0:2 = a, p → only a; pad 2 more from x, y, z
    const r = mineQuery(base({ range: parseRange('0:2'), negatives: 3, pad: true, corpusIds, rng: createRng(2) }));
    expect(ids(r)[0]).toBe('a');
    expect(r.negatives).toHaveLength(3);
    for (const n of r.negatives.slice(1)) {
      expect(['x', 'y', 'z']).toContain(n.docId);
      expect(n.flags).toEqual(['random']);
    }
    expect(mineQuery(base({ range: parseRange('0:2'), negatives: 3, corpusIds }))).toMatchObject({ negatives: [{ docId: 'a' }] });
    expect(() => mineQuery(base({ negatives: 9, pad: true }))).toThrow(/needs corpusIds/);
  });

  it('margins use the hardest (lowest-scoring) positive, and no positive is a negative', () => {
    // positives p (.9) and b (.8): hardest b → keep ≤ .7: a ✗; d (.5) and c (.5) pass
    const r = mineQuery(base({ positives: [{ docId: 'p' }, { docId: 'b' }], strategy: parseStrategy('margin:0.1'), scoreSource: 'A' }));
    expect(r.hardestPositive).toBe('b');
    expect(ids(r)).toEqual(['d', 'c']);
  });

  it('drops exact text duplicates of a positive and flags near-duplicates', () => {
    const texts: Record<string, string> = { p: 'same text', d: 'same text', a: 'x', b: 'y', c: 'z' };
    const similarity = { qd: () => undefined, pd: (_p: string, id: string) => (id === 'b' ? 0.99 : 0.5) };
    const r = mineQuery(base({ negatives: 10, textOf: (id) => texts[id], similarity }));
    expect(ids(r)).toEqual(['a', 'b', 'c']);
    expect(r.dropped).toContainEqual({ docId: 'd', reason: 'duplicate-of-positive' });
    expect(r.negatives[1].flags).toEqual(['near-duplicate']);
  });

  it('cross-encoder rule drops or flags suspected false negatives (hardest positive)', () => {
    // sigmoid(2) = .8808 → rel:0.9 threshold .7927; a: sigmoid(3) = .9526 suspect; b: sigmoid(−1) = .2689 fine
    const scores = new Map([['a', 3], ['b', -1], ['p', 2], ['d', -4], ['c', -5]]);
    const drop = mineQuery(base({ ce: { rule: parseDenoise('rel:0.9', 'drop'), scores } }));
    expect(ids(drop)).toEqual(['b', 'd']);
    expect(drop.negatives[0].ce).toBe(-1);
    expect(drop.positives[0].ce).toBe(2);
    expect(drop.dropped).toContainEqual({ docId: 'a', reason: 'suspected-false-negative' });
    const flag = mineQuery(base({ ce: { rule: parseDenoise('rel:0.9', 'flag'), scores } }));
    expect(ids(flag)).toEqual(['a', 'b']);
    expect(flag.negatives[0].flags).toEqual(['suspected-false-negative']);
    expect(denoisePool(base())).toEqual({ candidates: ['a', 'b', 'd', 'c'], positives: ['p'] });
    expect(denoisePool(base(), 2).candidates).toEqual(['a', 'b']);
  });

  it('adds seeded random negatives from outside the candidates and positives', () => {
    const corpusIds = ['a', 'b', 'c', 'd', 'p', 'x', 'y', 'z'];
    const r = mineQuery(base({ randomNegatives: 2, corpusIds, rng: createRng(3) }));
    expect(r.negatives).toHaveLength(4);
    const random = r.negatives.slice(2);
    for (const n of random) {
      expect(['x', 'y', 'z']).toContain(n.docId);
      expect(n).toMatchObject({ fusedRank: null, fusedScore: null, flags: ['random'] });
    }
    expect(ids(mineQuery(base({ randomNegatives: 2, corpusIds, rng: createRng(3) })))).toEqual(ids(r));
    expect(() => mineQuery(base({ randomNegatives: 1 }))).toThrow(/randomNegatives needs corpusIds/);
  });

  it('scores a positive outside the top lists with its known member scores', () => {
    // z: A .95 → would-be rank 1 (1/61); B 9 → rank 3 after a 12, d 10 (1/63)
    const r = mineQuery(base({ positives: [{ docId: 'z', memberScores: { A: 0.95, B: 9 } }], negatives: 10 }));
    expect(r.positives[0].fusedScore).toBeCloseTo(1 / 61 + 1 / 63, 15);
    expect(r.positives[0].members).toEqual({ A: { rank: null, score: 0.95 }, B: { rank: null, score: 9 } });
    expect(ids(r)).toEqual(['a', 'p', 'b', 'd', 'c']);
    expect(() => mineQuery(base({ positives: [] }))).toThrow(/query "q" has no positive/);
  });

  it('property: on random inputs every negative obeys the rule and no positive slips through', () => {
    const rng = createRng(11);
    for (let t = 0; t < 200; t++) {
      const docs = Array.from({ length: 40 }, (_, i) => `d${i}`);
      const list = (name: string): MemberList => ({
        name,
        weight: 1,
        hits: docs.filter(() => rng() < 0.6).map((id): [string, number] => [id, rng()]).sort((x, y) => y[1] - x[1]),
      });
      const lists = [list('A'), list('B')];
      const positives = [{ docId: docs[Math.floor(rng() * 40)] }, { docId: docs[Math.floor(rng() * 40)] }];
      const r = mineQuery({
        queryId: 'q', positives, memberLists: lists, fusion: 'soft-z', strategy: parseStrategy('relmargin:0.05'),
        negatives: 5, rng, randomNegatives: 2, corpusIds: [...docs, 'r1', 'r2', 'r3'],
      });
      const posScores = r.positives.map((p) => p.strategyScore!);
      const hard = Math.min(...posScores);
      expect(r.negatives.filter((n) => !n.flags.includes('random')).length).toBeLessThanOrEqual(5);
      for (const n of r.negatives) {
        expect(positives.map((p) => p.docId)).not.toContain(n.docId);
        if (n.strategyScore !== null) expect(n.strategyScore).toBeLessThanOrEqual(hard - 0.05 * Math.abs(hard) + 1e-12);
      }
    }
  });
});

describe('evaluateEnsemble', () => {
  it('evaluates members and their fusion', () => {
    // q1: relevant b. A ranks b 3rd (nDCG 1/log2 4 = .5), B ranks it 4th (1/log2 5 = .430677);
    // RRF: a 1st, p 2nd, b 3rd → .5
    const qrels = qrelsFromList([{ queryId: 'q1', docId: 'b', score: 1 }]);
    const e = evaluateEnsemble(new Map([['q1', [A, B]]]), qrels, 'rrf');
    expect(e.queries).toBe(1);
    expect(e.members.A['ndcg@10']).toBeCloseTo(0.5, 12);
    expect(e.members.B['ndcg@10']).toBeCloseTo(1 / Math.log2(5), 12);
    expect(e.ensemble['ndcg@10']).toBeCloseTo(0.5, 12);
    expect(e.ensemble['mrr@10']).toBeCloseTo(1 / 3, 12);
  });
});
