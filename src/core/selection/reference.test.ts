// Reference tests: each selection strategy against an INDEPENDENT, straightforward
// re-implementation of the method it cites, on fixed score matrices (hand-computed small cases
// and a seeded random one). The references below are written from the cited code/paper, not from
// Quarry's code, and run through Quarry's real per-query engine (mineQuery).
//
//   sentence-transformers  UKPLab/sentence-transformers sentence_transformers/util/hard_negatives.py
//                          `mine_hard_negatives`: range_min, range_max, absolute_margin,
//                          relative_margin, max_score, sampling_strategy top | random
//   FlagEmbedding          FlagOpen/FlagEmbedding scripts/hn_mine.py `find_knn_neg`:
//                          range_for_sampling window, random.sample, padding from the corpus
//   NV-Retriever           arXiv 2407.15831 TopK-PercPos: neg ≤ percentage · pos, top k
//   Triangle               arXiv 2505.18366: d(Q,D) < d(Q,P) and d(Q,D) < d(P,D), d = 1 − cos
//   SimANS                 arXiv 2210.11773 / microsoft/SimXNS SimANS/README.md:
//                          p_i ∝ exp(−a·(s(q,d_i) − s(q,d+) − b)²)
import { describe, expect, it } from 'vitest';
import { mineQuery, type MineQueryInput } from '../mining';
import { createRng, parseRange, parseStrategy, simansProfile, type Sampling, type Strategy } from './index';

// ---------------------------------------------------------------- Quarry, one query, one scale
interface Case {
  /** score of every corpus document (index = document), e.g. cosine(query, doc) */
  scores: number[];
  positives: number[];
}
const id = (i: number) => `d${i}`;
const idx = (s: string) => Number(s.slice(1));

function quarry(c: Case, o: { strategy: Strategy; range?: string; sampling?: Sampling; pad?: boolean; negatives: number; seed?: number; similarity?: MineQueryInput['similarity']; depth?: number }): number[] {
  // the member's top list: the whole corpus unless `depth` cuts it (as a retriever's top-k does)
  const hits = c.scores.map((s, i): [string, number] => [id(i), s]).sort((a, b) => b[1] - a[1]).slice(0, o.depth ?? Infinity);
  const r = mineQuery({
    queryId: 'q',
    positives: c.positives.map((p) => ({ docId: id(p), memberScores: { A: c.scores[p] } })),
    memberLists: [{ name: 'A', weight: 1, hits }],
    fusion: 'soft-z', // one member: the fused order is the score order
    scoreSource: 'A',
    strategy: o.strategy,
    range: o.range ? parseRange(o.range) : undefined,
    sampling: o.sampling,
    pad: o.pad,
    corpusIds: c.scores.map((_, i) => id(i)),
    negatives: o.negatives,
    rng: createRng(o.seed ?? 1),
    similarity: o.similarity,
  });
  return r.negatives.map((n) => idx(n.docId));
}

// ---------------------------------------------------------------- references
const byScoreDesc = (scores: number[]) => scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);

interface StOptions {
  rangeMin?: number;
  rangeMax: number;
  /** ST: the largest number of positives of any query in the dataset */
  maxPositives: number;
  absoluteMargin?: number;
  relativeMargin?: number;
  maxScore?: number;
  numNegatives: number;
}
/**
 * sentence-transformers mine_hard_negatives for one query, following the code step by step.
 * Returns the candidates `sampling_strategy="top"` takes, and the set `"random"` samples from.
 */
function stReference(c: Case, o: StOptions): { top: number[]; randomSupport: number[] } {
  // scores, indices = torch.topk(scores, k=range_max + max_positives)
  const indices = byScoreDesc(c.scores).slice(0, o.rangeMax + o.maxPositives);
  const scores = indices.map((i) => c.scores[i]);
  const positiveScores = c.positives.map((p) => c.scores[p]);
  // scores[positive_mask] = -inf
  indices.forEach((i, k) => {
    if (c.positives.includes(i)) scores[k] = -Infinity;
  });
  // the _minimum_ positive score is used for the margins
  const minPos = Math.min(...positiveScores);
  if (o.absoluteMargin !== undefined) scores.forEach((s, k) => { if (s + o.absoluteMargin! > minPos) scores[k] = -Infinity; });
  if (o.relativeMargin !== undefined) scores.forEach((s, k) => { if (s > minPos * (1 - o.relativeMargin!)) scores[k] = -Infinity; });
  if (o.maxScore !== undefined) scores.forEach((s, k) => { if (s > o.maxScore!) scores[k] = -Infinity; });
  // negative_scores, local_indices = torch.topk(scores, k=range_max); then [:, range_min:]
  const local = scores.map((_, k) => k).sort((a, b) => (scores[a] === scores[b] ? a - b : scores[b] > scores[a] ? 1 : -1)).slice(0, o.rangeMax).slice(o.rangeMin ?? 0);
  const negScores = local.map((k) => scores[k]);
  const negIdx = local.map((k) => indices[k]);
  // "top": [:, :num_negatives]; rows' -inf entries are dropped by the writers
  const top = negIdx.slice(0, o.numNegatives).filter((_, k) => negScores[k] !== -Infinity);
  // "random": num_options = size − #inf, clamped to ≥ num_negatives; random.sample(range(num_options))
  const numOptions = Math.max(negIdx.length - negScores.filter((s) => s === -Infinity).length, o.numNegatives);
  const randomSupport = negIdx.slice(0, numOptions).filter((_, k) => negScores[k] !== -Infinity);
  return { top, randomSupport };
}

/** FlagEmbedding find_knn_neg for one query: the filtered window, and whether it is sampled or padded. */
function flagReference(c: Case, range: [number, number], negativeNumber: number): { window: number[]; sampled: boolean; pad: number } {
  const inxs = byScoreDesc(c.scores).slice(range[0], range[1]); // all_inxs[i][sample_range[0]:sample_range[1]]
  const filtered = inxs.filter((i) => !c.positives.includes(i)); // corpus[inx] not in data['pos']
  return { window: filtered, sampled: filtered.length > negativeNumber, pad: Math.max(0, negativeNumber - filtered.length) };
}

/** NV-Retriever TopK-PercPos: the top k candidates whose score is at most `perc` of the positive's. */
function percPosReference(c: Case, perc: number, k: number): number[] {
  const pos = Math.min(...c.positives.map((p) => c.scores[p]));
  return byScoreDesc(c.scores).filter((i) => !c.positives.includes(i) && c.scores[i] <= perc * pos).slice(0, k);
}

/** Triangle rule in the paper's distances (d = 1 − cos), top k of the survivors by score. */
function triangleReference(c: Case, q: number[], docs: number[][], k: number): number[] {
  const d = (a: number[], b: number[]) => 1 - dot(a, b);
  const p = c.positives.reduce((a, b) => (c.scores[b] < c.scores[a] ? b : a)); // the hardest positive
  return byScoreDesc(c.scores).filter((i) => !c.positives.includes(i) && d(q, docs[i]) < d(q, docs[p]) && d(q, docs[i]) < d(docs[p], docs[i])).slice(0, k);
}

/** SimANS sampling probabilities, the README formula. */
function simansReference(scores: number[], pos: number, a: number, b: number): number[] {
  const w = scores.map((s) => Math.exp(-a * (s - pos - b) ** 2));
  const z = w.reduce((x, y) => x + y, 0);
  return w.map((x) => x / z);
}

// ---------------------------------------------------------------- fixtures
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
function unit(rng: () => number, dim: number): number[] {
  const v = Array.from({ length: dim }, () => rng() * 2 - 1);
  const n = Math.sqrt(dot(v, v));
  return v.map((x) => x / n);
}

// Hand case: 10 documents, scores by hand, positive d3 (0.80).
//   rank: d0 .95, d1 .90, d2 .85, d3 .80 (pos), d4 .78, d5 .76, d6 .70, d7 .60, d8 .50, d9 .40
const HAND: Case = { scores: [0.95, 0.9, 0.85, 0.8, 0.78, 0.76, 0.7, 0.6, 0.5, 0.4], positives: [3] };

// Seeded random matrix: 15 queries × 120 documents, two positives per query (so ST's dataset-wide
// max_positives equals every query's count), cosines from random unit vectors in 6 dimensions.
const RNG = createRng(2026);
const DOCS = Array.from({ length: 120 }, () => unit(RNG, 6));
const QUERIES = Array.from({ length: 15 }, () => {
  const q = unit(RNG, 6);
  const scores = DOCS.map((d) => dot(q, d));
  // positives drawn among the top 30 (a judged document usually ranks high)
  const top = byScoreDesc(scores).slice(0, 30);
  const a = top[Math.floor(RNG() * 30)];
  let b = top[Math.floor(RNG() * 30)];
  while (b === a) b = top[Math.floor(RNG() * 30)];
  return { q, c: { scores, positives: [a, b] } as Case };
});

/** Frequencies with which each id is picked over many seeds. */
function frequencies(run: (seed: number) => number[], trials: number): Map<number, number> {
  const f = new Map<number, number>();
  for (let s = 1; s <= trials; s++) for (const i of run(s)) f.set(i, (f.get(i) ?? 0) + 1 / trials);
  return f;
}

// ---------------------------------------------------------------- sentence-transformers
describe('sentence-transformers mine_hard_negatives (range st:, margins, max_score, sampling)', () => {
  it('hand case: range_min counts after positives and filters; range_max bounds the candidates', () => {
    // no filter, st:2:6 → candidates d0 d1 d2 [d3 pos] d4 d5 d6 (6 + 1 positive); skip 2 → d2 d4 d5 d6
    expect(stReference(HAND, { rangeMin: 2, rangeMax: 6, maxPositives: 1, numNegatives: 3 }).top).toEqual([2, 4, 5]);
    expect(quarry(HAND, { strategy: parseStrategy('topk'), range: 'st:2:6', negatives: 3 })).toEqual([2, 4, 5]);
    // absolute_margin 0.03 (keep ≤ .77): d0..d2, d4 removed → d5 d6 (within the first 7); skip 2 → none
    expect(stReference(HAND, { rangeMin: 2, rangeMax: 6, maxPositives: 1, absoluteMargin: 0.03, numNegatives: 3 }).top).toEqual([]);
    expect(quarry(HAND, { strategy: parseStrategy('margin:0.03'), range: 'st:2:6', negatives: 3 })).toEqual([]);
    // with range_min 1: d6
    expect(stReference(HAND, { rangeMin: 1, rangeMax: 6, maxPositives: 1, absoluteMargin: 0.03, numNegatives: 3 }).top).toEqual([6]);
    expect(quarry(HAND, { strategy: parseStrategy('margin:0.03'), range: 'st:1:6', negatives: 3 })).toEqual([6]);
    // FlagEmbedding's window would have counted the positive and skipped before the filter
    expect(quarry(HAND, { strategy: parseStrategy('margin:0.03'), range: 'window:1:6', negatives: 3 })).toEqual([5]);
    // relative_margin 0.05 (keep ≤ .76) and max_score .7, range 0:100
    expect(quarry(HAND, { strategy: parseStrategy('relmargin:0.05'), range: 'st:0:100', negatives: 3 })).toEqual([5, 6, 7]);
    expect(stReference(HAND, { rangeMax: 100, maxPositives: 1, relativeMargin: 0.05, numNegatives: 3 }).top).toEqual([5, 6, 7]);
    expect(quarry(HAND, { strategy: parseStrategy('abs:0.7'), range: 'st:0:100', negatives: 3 })).toEqual([6, 7, 8]);
    expect(stReference(HAND, { rangeMax: 100, maxPositives: 1, maxScore: 0.7, numNegatives: 3 }).top).toEqual([6, 7, 8]);
  });

  it('seeded random matrix: top sampling gives the same negatives for every filter and range', () => {
    const settings: Array<[string, Partial<StOptions>]> = [
      ['topk', {}],
      ['margin:0', { absoluteMargin: 0 }],
      ['margin:0.05', { absoluteMargin: 0.05 }],
      ['relmargin:0.05', { relativeMargin: 0.05 }],
      ['relmargin:0.2', { relativeMargin: 0.2 }],
      ['abs:0.5', { maxScore: 0.5 }],
    ];
    let compared = 0;
    for (const { c } of QUERIES) {
      // relative margins: ST's literal pos·(1 − m) equals Quarry's only for a positive score ≥ 0
      const posOk = Math.min(...c.positives.map((p) => c.scores[p])) >= 0;
      for (const [spec, filter] of settings) {
        if (filter.relativeMargin !== undefined && !posOk) continue;
        for (const [min, max] of [[0, 20], [3, 30], [10, 60], [0, 118]]) {
          for (const n of [1, 4, 10]) {
            const want = stReference(c, { rangeMin: min, rangeMax: max, maxPositives: 2, numNegatives: n, ...filter }).top;
            expect(quarry(c, { strategy: parseStrategy(spec), range: `st:${min}:${max}`, negatives: n }), `${spec} st:${min}:${max} n=${n}`).toEqual(want);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(900);
  });

  it('seeded random matrix: random sampling draws uniformly from the same set', () => {
    for (const { c } of QUERIES.slice(0, 4)) {
      for (const [spec, filter] of [['topk', {}], ['margin:0.05', { absoluteMargin: 0.05 }]] as const) {
        const support = stReference(c, { rangeMin: 2, rangeMax: 25, maxPositives: 2, numNegatives: 4, ...filter }).randomSupport;
        const trials = 1500;
        const f = frequencies((seed) => quarry(c, { strategy: parseStrategy(spec), range: 'st:2:25', sampling: 'random', negatives: 4, seed }), trials);
        expect([...f.keys()].every((i) => support.includes(i)), spec).toBe(true);
        const p = Math.min(1, 4 / support.length); // each member of the support is in a uniform 4-sample with this probability
        for (const i of support) expect(Math.abs((f.get(i) ?? 0) - p), `${spec} d${i}`).toBeLessThan(0.06);
      }
    }
  });

  it('relative margin below zero: Quarry stays below the positive where ST literally would not', () => {
    // pos −2, m 0.05: ST drops neg > −2·0.95 = −1.9, so −1.95 (above the positive) passes there;
    // Quarry keeps neg ≤ −2 − 0.1 = −2.1 (documented deviation, for logits and z-sums)
    const neg: Case = { scores: [-1.95, -2.05, -2.2, -2], positives: [3] };
    expect(stReference(neg, { rangeMax: 10, maxPositives: 1, relativeMargin: 0.05, numNegatives: 3 }).top).toEqual([0, 1, 2]);
    expect(quarry(neg, { strategy: parseStrategy('relmargin:0.05'), range: 'st:0:10', negatives: 3 })).toEqual([2]);
  });
});

// ---------------------------------------------------------------- FlagEmbedding
describe('FlagEmbedding hn_mine.py (range window:, uniform sampling, padding)', () => {
  it('hand case: the window counts the positive; fewer than N are padded from the corpus', () => {
    // range_for_sampling 2-6 → ranks 3..6 = d2, d3 (pos), d4, d5 → d2 d4 d5
    expect(flagReference(HAND, [2, 6], 3)).toEqual({ window: [2, 4, 5], sampled: false, pad: 0 });
    expect(quarry(HAND, { strategy: parseStrategy('topk'), range: 'window:2:6', sampling: 'random', negatives: 3 })).toEqual([2, 4, 5]);
    // N = 5: two more from the corpus, never a positive. FlagEmbedding samples the whole corpus
    // minus the positives (it can return a windowed or filtered candidate); Quarry draws outside
    // the retrieved lists, so here (a top-7 list) from d7, d8, d9.
    const ref = flagReference(HAND, [2, 6], 5);
    expect(ref.pad).toBe(2);
    const seen = new Set<number>();
    for (let seed = 1; seed < 40; seed++) {
      const got = quarry(HAND, { strategy: parseStrategy('topk'), range: 'window:2:6', sampling: 'random', pad: true, negatives: 5, seed, depth: 7 });
      expect(got.slice(0, 3)).toEqual(ref.window);
      expect(got).toHaveLength(5);
      expect(new Set(got).size).toBe(5);
      for (const i of got.slice(3)) {
        expect([7, 8, 9]).toContain(i);
        seen.add(i);
      }
    }
    expect([...seen].sort()).toEqual([7, 8, 9]);
  });

  it('seeded random matrix: uniform samples of the filtered window; same window with any filter', () => {
    for (const { c } of QUERIES.slice(0, 5)) {
      const ref = flagReference(c, [10, 40], 5);
      expect(ref.sampled).toBe(true);
      const trials = 1500;
      const f = frequencies((seed) => quarry(c, { strategy: parseStrategy('topk'), range: 'window:10:40', sampling: 'random', negatives: 5, seed }), trials);
      expect([...f.keys()].sort((a, b) => a - b)).toEqual([...ref.window].sort((a, b) => a - b));
      for (const i of ref.window) expect(Math.abs((f.get(i) ?? 0) - 5 / ref.window.length), `d${i}`).toBeLessThan(0.05);
      // with a filter (FlagEmbedding has none): the same window, then the rule
      const pos = Math.min(...c.positives.map((p) => c.scores[p]));
      const kept = ref.window.filter((i) => c.scores[i] <= pos - 0.05);
      const all = quarry(c, { strategy: parseStrategy('margin:0.05'), range: 'window:10:40', sampling: 'random', negatives: 1000 });
      expect(all.sort((a, b) => a - b)).toEqual([...kept].sort((a, b) => a - b));
    }
  });
});

// ---------------------------------------------------------------- NV-Retriever, triangle, SimANS
describe('TopK-PercPos, triangle and SimANS', () => {
  it('TopK-PercPos: hand case and the seeded matrix', () => {
    // 0.95 · 0.8 = 0.76: d5 (.76), d6, d7
    expect(percPosReference(HAND, 0.95, 3)).toEqual([5, 6, 7]);
    expect(quarry(HAND, { strategy: parseStrategy('percpos:0.95'), negatives: 3 })).toEqual([5, 6, 7]);
    for (const { c } of QUERIES) {
      if (Math.min(...c.positives.map((p) => c.scores[p])) < 0) continue; // the paper's cosine setting
      for (const f of [0.95, 0.8]) for (const k of [1, 5, 20]) expect(quarry(c, { strategy: parseStrategy(`percpos:${f}`), negatives: k })).toEqual(percPosReference(c, f, k));
    }
  });

  it('triangle: hand case in distances and the seeded matrix', () => {
    // Q, P, D as explicit cosines: sim(Q,P) .7; D1 sim(Q,D) .8, sim(P,D) .6 → d .2 < .3 and .2 < .4 keep;
    // D2 sim(Q,D) .8, sim(P,D) .9 → d(P,D) .1 < d(Q,D) .2: drop (paraphrase of P); D3 sim(Q,D) .6: drop
    const qd: Record<string, number> = { d0: 0.8, d1: 0.8, d2: 0.6, d3: 0.7 };
    const pd: Record<string, number> = { d0: 0.6, d1: 0.9, d2: 0.5 };
    const c: Case = { scores: [0.8, 0.8, 0.6, 0.7], positives: [3] };
    const similarity = { qd: (d: string) => qd[d], pd: (_p: string, d: string) => pd[d] };
    expect(quarry(c, { strategy: parseStrategy('triangle'), negatives: 5, similarity })).toEqual([0]);
    for (const { q, c: rc } of QUERIES) {
      const sim = { qd: (d: string) => dot(q, DOCS[idx(d)]), pd: (p: string, d: string) => dot(DOCS[idx(p)], DOCS[idx(d)]) };
      for (const k of [3, 50]) expect(quarry(rc, { strategy: parseStrategy('triangle'), negatives: k, similarity: sim })).toEqual(triangleReference(rc, q, DOCS, k));
    }
  });

  it('SimANS: single draws follow the README distribution; the profile sums the same probabilities', () => {
    const { c } = QUERIES[0];
    const pos = Math.min(...c.positives.map((p) => c.scores[p]));
    const pool = byScoreDesc(c.scores).filter((i) => !c.positives.includes(i)).slice(0, 40);
    const sub: Case = { scores: c.scores, positives: c.positives };
    for (const [a, b] of [[100, 0], [30, -0.1], [0.5, 0]]) {
      const p = simansReference(pool.map((i) => c.scores[i]), pos, a, b);
      // window:0:42 = the 40 best non-positives plus the two positives
      const f = frequencies((seed) => quarry(sub, { strategy: { kind: 'simans', a, b }, range: 'window:0:42', negatives: 1, seed }), 4000);
      pool.forEach((i, k) => expect(Math.abs((f.get(i) ?? 0) - p[k]), `a=${a} b=${b} d${i}`).toBeLessThan(0.025));
      const prof = simansProfile(pool.map((i) => c.scores[i]), pos, a, b);
      expect(prof.topMass).toBeCloseTo(p.slice(0, 10).reduce((x, y) => x + y, 0), 12);
      expect(prof.effectivePool).toBeCloseTo(1 / p.reduce((x, y) => x + y * y, 0), 9);
    }
  });
});
