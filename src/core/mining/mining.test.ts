import { describe, expect, it } from 'vitest';
import { parseDenoise } from '../denoise';
import type { MemberList } from '../fusion';
import { qrelsFromList } from '../metrics';
import { createRng, parseRange, parseStrategy } from '../selection';
import { crossEncoderNeeds, evaluateEnsemble, mineQuery, mineWithCrossEncoder, type MineQueryInput, type PairToScore } from './index';

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

  it('margin on a member scale: without exact scores, missing documents get the member floor as upper bound', () => {
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
    const r = mineQuery(base({ negatives: 10, docOf: (id) => ({ text: texts[id] }), similarity }));
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
  });

  it('duplicate rule: normalised BODIES (whitespace, case) of any title; random picks too', () => {
    // d is p's body re-wrapped and re-cased under another title; x and y (outside the lists)
    // are copies as well, so no random pick may be one of them.
    const docs: Record<string, { title: string; text: string }> = {
      p: { title: 'foo', text: 'Frobnicates  the\nwidgets.' },
      d: { title: 'foo-data', text: ' frobnicates the widgets. ' },
      a: { title: 'foo', text: 'Something else' },
      b: { title: 'bar', text: 'y' },
      c: { title: 'baz', text: '' },
      x: { title: 'x', text: 'FROBNICATES THE WIDGETS.' },
      y: { title: 'y', text: 'frobnicates the\twidgets.' },
      z: { title: 'z', text: 'z' },
      w: { title: 'w', text: 'w' },
    };
    const docOf = (id: string) => docs[id];
    const r = mineQuery(base({ negatives: 10, docOf }));
    expect(ids(r)).toEqual(['a', 'b', 'c']); // a shares p's title, not its body: a negative
    expect(r.dropped).toContainEqual({ docId: 'd', reason: 'duplicate-of-positive' });
    for (let seed = 0; seed < 20; seed++) {
      const withRandom = mineQuery(base({ negatives: 0, randomNegatives: 2, corpusIds: Object.keys(docs), docOf, rng: createRng(seed) }));
      expect(ids(withRandom).sort()).toEqual(['w', 'z']);
    }
  });

  it('a candidate outside the score-source member list gets its exact score, not the list floor', () => {
    // margin:0.1 on A keeps ≤ .8; d is BM25-only: its exact A cosine .88 must drop it (floor .5 would keep it)
    const exact: Record<string, number> = { d: 0.88 };
    const r = mineQuery(base({ strategy: parseStrategy('margin:0.1'), scoreSource: 'A', negatives: 5, memberScore: (m, id) => (m === 'A' ? exact[id] : undefined) }));
    expect(ids(r)).toEqual(['b', 'c']);
    expect(r.dropped).toContainEqual({ docId: 'd', reason: 'strategy' });
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

describe('cross-encoder loop', () => {
  // 30 candidates in one member list, positive p first; the cross-encoder calls every third
  // candidate a false negative (sigmoid(5) > .95 · sigmoid(3)).
  const docs = Array.from({ length: 30 }, (_, i) => `d${String(i).padStart(2, '0')}`);
  const list: MemberList = { name: 'A', weight: 1, hits: [['p', 1], ...docs.map((d, i): [string, number] => [d, 0.9 - i * 0.01])] };
  const logit = (id: string) => (id === 'p' ? 3 : id.startsWith('r') ? -1 : Number(id.slice(1)) % 3 === 0 ? 5 : -2);
  const query = (over: Partial<MineQueryInput> = {}) => ({
    ...base({ memberLists: [list], fusion: 'max', negatives: 6, ...over }),
    newRng: () => createRng(7),
  });
  const scorer = (asked: PairToScore[][]) => async (pairs: PairToScore[]) => {
    asked.push(pairs);
    return pairs.map((p) => logit(p.docId));
  };

  it('scores down the pool until N candidates pass; every negative was scored; same result as scoring everything', async () => {
    const rule = parseDenoise('rel:0.95', 'drop');
    const asked: PairToScore[][] = [];
    const out = await mineWithCrossEncoder([query()], rule, scorer(asked));
    const r = out.results[0];
    expect(ids(r)).toEqual(['d01', 'd02', 'd04', 'd05', 'd07', 'd08']);
    for (const n of r.negatives) expect(n.ce).toBe(logit(n.docId));
    expect(r.positives[0].ce).toBe(3);
    expect(r.dropped.filter((d) => d.reason === 'suspected-false-negative').map((d) => d.docId)).toEqual(['d00', 'd03', 'd06']);
    // fewer pairs than the pool, in a few rounds
    expect(out.pairs).toBeLessThan(31);
    expect(out.rounds).toBeLessThanOrEqual(3);
    const all = new Map([['p', 3], ...docs.map((d): [string, number] => [d, logit(d)])]);
    expect(ids(mineQuery({ ...base({ memberLists: [list], fusion: 'max', negatives: 6 }), ce: { rule, scores: all } }))).toEqual(ids(r));
  });

  it('mineQuery refuses to select unscored candidates; the flag action scores exactly the first N', async () => {
    const rule = parseDenoise('rel:0.95', 'flag');
    const partial = new Map([['p', 3], ['d00', 5]]);
    const input = { ...base({ memberLists: [list], fusion: 'max', negatives: 6 }), ce: { rule, scores: partial } };
    expect(crossEncoderNeeds(input)).toEqual(['d01', 'd02', 'd03', 'd04', 'd05']);
    expect(() => mineQuery(input)).toThrow(/needs cross-encoder scores of 5 more document/);
    const asked: PairToScore[][] = [];
    const r = (await mineWithCrossEncoder([query()], rule, scorer(asked))).results[0];
    expect(ids(r)).toEqual(docs.slice(0, 6));
    expect(r.negatives[0].flags).toEqual(['suspected-false-negative']);
    expect(asked.flat().map((p) => p.docId)).toEqual(['p', ...docs.slice(0, 6)]);
  });

  it('random negatives are scored and judged too; SimANS scores its whole pool', async () => {
    const corpusIds = [...docs, 'p', 'r1', 'r2', 'r3'];
    const rule = parseDenoise('rel:0.95', 'drop');
    const out = await mineWithCrossEncoder([query({ randomNegatives: 2, corpusIds, range: parseRange('0:5') })], rule, scorer([]));
    const r = out.results[0];
    const random = r.negatives.filter((n) => n.flags.includes('random'));
    expect(random).toHaveLength(2);
    for (const n of r.negatives) expect(n.ce).toBe(logit(n.docId));
    const simans = await mineWithCrossEncoder([query({ strategy: parseStrategy('simans'), negatives: 3 })], rule, scorer([]));
    expect(simans.pairs).toBe(31);
    for (const n of simans.results[0].negatives) expect(n.ce).toBe(logit(n.docId));
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
