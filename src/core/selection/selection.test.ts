import { describe, expect, it } from 'vitest';
import {
  absoluteCapKeep,
  absoluteMarginKeep,
  createRng,
  formatStrategy,
  inRange,
  isNearDuplicate,
  parseRange,
  parseStrategy,
  percPosKeep,
  queryRng,
  relativeMarginKeep,
  sampleUniformExcluding,
  selectNegatives,
  simansWeight,
  strategyKeeps,
  triangleKeep,
  weightedSampleWithoutReplacement,
  samplingProfile,
  simansProfile,
  meanSamplingProfile,
  SIMANS_DEFAULTS,
  type PoolCandidate,
  type Strategy,
} from './index';

describe('rules on hand-computed numbers', () => {
  it('percpos: neg ≤ 0.95 · pos for positive scores', () => {
    // pos 0.8 → threshold 0.76
    expect(percPosKeep(0.76, 0.8, 0.95)).toBe(true);
    expect(percPosKeep(0.7601, 0.8, 0.95)).toBe(false);
    // pos −0.4 → threshold −0.4 − 0.05·0.4 = −0.42 (stays below the positive)
    expect(percPosKeep(-0.4201, -0.4, 0.95)).toBe(true);
    expect(percPosKeep(-0.4199, -0.4, 0.95)).toBe(false);
  });
  it('absolute margin: neg ≤ pos − m', () => {
    expect(absoluteMarginKeep(0.75, 0.8, 0.05)).toBe(true); // 0.75 + 0.05 = 0.8, not > 0.8
    expect(absoluteMarginKeep(0.76, 0.8, 0.05)).toBe(false);
    expect(absoluteMarginKeep(2.5, 3, 0.5)).toBe(true);
  });
  it('relative margin: neg ≤ pos − |pos|·m', () => {
    expect(relativeMarginKeep(0.76, 0.8, 0.05)).toBe(true); // 0.8 − 0.04
    expect(relativeMarginKeep(0.77, 0.8, 0.05)).toBe(false);
    expect(relativeMarginKeep(-2.1, -2, 0.05)).toBe(true); // −2 − 0.1
    expect(relativeMarginKeep(-2.05, -2, 0.05)).toBe(false);
  });
  it('absolute cap: neg ≤ max', () => {
    expect(absoluteCapKeep(0.7, 0.7)).toBe(true);
    expect(absoluteCapKeep(0.71, 0.7)).toBe(false);
  });
  it('triangle (arXiv 2505.18366): keep iff sim(Q,D) > sim(Q,P) and sim(Q,D) > sim(P,D)', () => {
    // In distances d = 1 − sim: d(Q,D) 0.2 < d(Q,P) 0.3 and d(Q,D) 0.2 < d(P,D) 0.4 → keep
    expect(triangleKeep(0.8, 0.7, 0.6)).toBe(true);
    // D is more similar to the positive (0.9) than to the query (0.8): a paraphrase of P → drop
    expect(triangleKeep(0.8, 0.7, 0.9)).toBe(false);
    // D is less similar to the query than the positive is → not hard enough → drop
    expect(triangleKeep(0.6, 0.7, 0.5)).toBe(false);
    // strict on both sides
    expect(triangleKeep(0.7, 0.7, 0.5)).toBe(false);
    expect(triangleKeep(0.8, 0.7, 0.8)).toBe(false);
    // an exact copy of the positive's body (sim(P,D) = 1) can never pass
    expect(triangleKeep(0.99, 0.7, 1)).toBe(false);
  });
  it('simans weight: exp(−a·(neg − pos − b)²)', () => {
    expect(simansWeight(0.8, 0.8, 1, 0)).toBe(1);
    expect(simansWeight(0.3, 0.8, 1, 0)).toBeCloseTo(Math.exp(-0.25), 15); // 0.778801
    expect(simansWeight(1.3, 0.8, 1, 0)).toBeCloseTo(0.7788007830714049, 15);
    expect(simansWeight(0.3, 0.8, 10, 0)).toBeCloseTo(0.0820849986238988, 15); // exp(−2.5)
    expect(simansWeight(0.7, 0.8, 1, -0.1)).toBe(1); // peak moved 0.1 below the positive
  });
  it('near-duplicate above 0.98 cosine', () => {
    expect(isNearDuplicate(0.981)).toBe(true);
    expect(isNearDuplicate(0.98)).toBe(false);
    expect(isNearDuplicate(0.95, 0.9)).toBe(true);
  });
});

describe('parseStrategy / parseRange', () => {
  it('parses every strategy and round-trips', () => {
    const specs = ['topk', 'percpos:0.95', 'margin:0.05', 'relmargin:0.05', 'abs:0.7', 'triangle', 'simans:a=1:b=0'];
    for (const s of specs) expect(formatStrategy(parseStrategy(s))).toBe(s);
    // defaults for the cosine scale (see SIMANS_DEFAULTS)
    expect(parseStrategy('simans')).toEqual({ kind: 'simans', a: 100, b: 0 });
    expect(parseStrategy('simans:b=-0.1')).toEqual({ kind: 'simans', a: 100, b: -0.1 });
    expect(parseStrategy('abs:-1')).toEqual({ kind: 'abs', max: -1 });
  });
  it('rejects bad specs with clear messages', () => {
    expect(() => parseStrategy('best')).toThrow(/unknown strategy "best"; expected topk \| percpos:F/);
    expect(() => parseStrategy('percpos')).toThrow(/expected percpos:FRACTION/);
    expect(() => parseStrategy('percpos:1.5')).toThrow(/fraction must be in \(0, 1\]/);
    expect(() => parseStrategy('margin:x')).toThrow(/MARGIN must be a number, got "x"/);
    expect(() => parseStrategy('margin:-1')).toThrow(/margin must be ≥ 0/);
    expect(() => parseStrategy('topk:3')).toThrow(/topk takes no argument/);
    expect(() => parseStrategy('simans:c=1')).toThrow(/unknown simans option "c=1"/);
  });
  it('parses ranges and applies min < rank ≤ max', () => {
    const r = parseRange('10:100');
    expect(r).toEqual({ min: 10, max: 100 });
    expect([10, 11, 100, 101].map((k) => inRange(k, r))).toEqual([false, true, true, false]);
    expect(inRange(1, undefined)).toBe(true);
    expect(() => parseRange('5')).toThrow(/expected \[window:\|st:\]MIN:MAX/);
    expect(() => parseRange('flag:1:5')).toThrow(/expected \[window:\|st:\]MIN:MAX/);
    expect(() => parseRange('5:5')).toThrow(/MAX must be greater than MIN/);
  });
});

describe('selectNegatives', () => {
  const pool: PoolCandidate[] = [
    { docId: 'a', score: 0.9 },
    { docId: 'b', score: 0.78 },
    { docId: 'c', score: 0.75 },
    { docId: 'd', score: 0.6 },
    { docId: 'e', score: 0.2 },
  ];
  const ctx = { positive: { docId: 'p', score: 0.8 }, count: 2, rng: createRng(1) };

  it('filters keep the first N passing candidates in pool order', () => {
    expect(selectNegatives(pool, { kind: 'topk' }, ctx).map((c) => c.docId)).toEqual(['a', 'b']);
    // percpos 0.95 → ≤ 0.76: c, d
    expect(selectNegatives(pool, parseStrategy('percpos:0.95'), ctx).map((c) => c.docId)).toEqual(['c', 'd']);
    // margin 0.1 → ≤ 0.7: d, e
    expect(selectNegatives(pool, parseStrategy('margin:0.1'), ctx).map((c) => c.docId)).toEqual(['d', 'e']);
    // abs 0.77 → b is 0.78: c, d
    expect(selectNegatives(pool, parseStrategy('abs:0.77'), { ...ctx, count: Infinity }).map((c) => c.docId)).toEqual(['c', 'd', 'e']);
  });

  it('triangle uses query–document and positive–document similarities', () => {
    const qd: Record<string, number> = { p: 0.7, a: 0.9, b: 0.78, c: 0.75, d: 0.6, e: 0.2 };
    const pd: Record<string, number> = { a: 0.95, b: 0.7, c: 0.74, d: 0.5, e: 0.1 };
    const similarity = { qd: (id: string) => qd[id], pd: (_p: string, id: string) => pd[id] };
    // a: 0.9 > 0.7 but 0.9 ≤ pd 0.95 ✗ (paraphrase of P); b: 0.78 > 0.7 and > 0.7 ✓;
    // c: 0.75 > 0.7 and > 0.74 ✓; d: 0.6 ≤ 0.7 ✗; e ✗
    expect(selectNegatives(pool, { kind: 'triangle' }, { ...ctx, count: 10, similarity }).map((c) => c.docId)).toEqual(['b', 'c']);
    expect(() => selectNegatives(pool, { kind: 'triangle' }, ctx)).toThrow(/triangle needs/);
  });

  it('simans samples distinct candidates, favouring scores near the positive', () => {
    // a = 50: weights exp(−50·d²): b (d=−.02) .980, c (−.05) .882, a (.1) .607, d (−.2) .135, e (−.6) ≈ 1.5e−8
    const s: Strategy = { kind: 'simans', a: 50, b: 0 };
    const counts: Record<string, number> = {};
    const rng = createRng(7);
    for (let i = 0; i < 2000; i++) {
      const got = selectNegatives(pool, s, { ...ctx, count: 2, rng }).map((c) => c.docId);
      expect(new Set(got).size).toBe(2);
      for (const id of got) counts[id] = (counts[id] ?? 0) + 1;
    }
    expect(counts.b).toBeGreaterThan(counts.a);
    expect(counts.c).toBeGreaterThan(counts.d);
    expect(counts.e ?? 0).toBe(0);
    // same seed, same picks
    const one = selectNegatives(pool, s, { ...ctx, rng: createRng(3) });
    expect(selectNegatives(pool, s, { ...ctx, rng: createRng(3) })).toEqual(one);
  });

  it('property: every kept negative satisfies its rule (random pools)', () => {
    const rng = createRng(42);
    const strategies = ['percpos:0.9', 'margin:0.05', 'relmargin:0.1', 'abs:0.5'].map(parseStrategy);
    for (let trial = 0; trial < 300; trial++) {
      const pos = rng() * 2 - 1;
      const cands = Array.from({ length: 30 }, (_, i) => ({ docId: `d${i}`, score: rng() * 2 - 1 })).sort((x, y) => y.score - x.score);
      for (const st of strategies) {
        const kept = selectNegatives(cands, st, { positive: { docId: 'p', score: pos }, count: Infinity, rng });
        for (const c of kept) {
          if (st.kind === 'percpos') expect(c.score).toBeLessThanOrEqual(pos - (1 - st.fraction) * Math.abs(pos) + 1e-12);
          if (st.kind === 'margin') expect(c.score).toBeLessThanOrEqual(pos - st.margin);
          if (st.kind === 'relmargin') expect(c.score).toBeLessThanOrEqual(pos - st.margin * Math.abs(pos) + 1e-12);
          if (st.kind === 'abs') expect(c.score).toBeLessThanOrEqual(st.max);
          expect(c.score).toBeLessThanOrEqual(st.kind === 'abs' ? st.max : pos);
        }
        // nothing that passes was skipped
        const passing = cands.filter((c) => strategyKeeps(st, c, { positive: { docId: 'p', score: pos } }));
        expect(kept).toEqual(passing);
      }
    }
  });
});

describe('randomness', () => {
  it('is reproducible from the seed and per query', () => {
    const a = createRng(123), b = createRng(123);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(queryRng(1, 'q1')()).toBe(queryRng(1, 'q1')());
    expect(queryRng(1, 'q1')()).not.toBe(queryRng(1, 'q2')());
  });

  it('weighted sampling without replacement follows the weights', () => {
    // P(first pick = index 0) = 3 / (3 + 1) = 0.75
    const rng = createRng(9);
    let first0 = 0;
    for (let i = 0; i < 4000; i++) if (weightedSampleWithoutReplacement([3, 1], 1, rng)[0] === 0) first0++;
    expect(first0 / 4000).toBeGreaterThan(0.72);
    expect(first0 / 4000).toBeLessThan(0.78);
    // zero weights come last, and never twice
    expect(weightedSampleWithoutReplacement([0, 1, 0], 3, rng)).toEqual([1, 0, 2]);
    expect(() => weightedSampleWithoutReplacement([1, -1], 1, rng)).toThrow(/weight 1 is -1/);
  });

  it('uniform sampling excludes ids and never repeats', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `d${i}`);
    const exclude = new Set(ids.slice(0, 45)); // forces the dense fallback
    const got = sampleUniformExcluding(ids, exclude, 10, createRng(5));
    expect(got.sort()).toEqual(['d45', 'd46', 'd47', 'd48', 'd49']);
    const some = sampleUniformExcluding(ids, new Set(['d0']), 20, createRng(6));
    expect(new Set(some).size).toBe(20);
    expect(some).not.toContain('d0');
  });
});

describe('SimANS on the cosine scale', () => {
  it('samplingProfile: top mass, uniform mass and effective pool size by hand', () => {
    // p = [.75, .25, 0, 0]: top-1 mass .75 vs uniform .25; 1 / (.5625 + .0625) = 1.6
    expect(samplingProfile([3, 1, 0, 0], 1)).toEqual({ poolSize: 4, top: 1, topMass: 0.75, uniformTopMass: 0.25, effectivePool: 1.6 });
    expect(samplingProfile([2, 2, 2], 10)).toMatchObject({ topMass: 1, uniformTopMass: 1, effectivePool: 3 });
    expect(samplingProfile([], 10).poolSize).toBe(0);
    expect(meanSamplingProfile([samplingProfile([1, 1], 1), samplingProfile([3, 1], 1), samplingProfile([], 1)])).toMatchObject({ poolSize: 2, topMass: 0.625 });
    expect(meanSamplingProfile([])).toBeUndefined();
  });

  it('the default a concentrates sampling near the positive where a = 1 is uniform', () => {
    // a typical top-100 cosine pool: 0.80 down to 0.503 in steps of 0.003, positive at 0.82
    const pool = Array.from({ length: 100 }, (_, i) => 0.8 - 0.003 * i);
    const old = simansProfile(pool, 0.82, 1, 0);
    expect(old.topMass / old.uniformTopMass).toBeLessThan(1.1); // the reported defect: uniform
    const def = simansProfile(pool, 0.82, SIMANS_DEFAULTS.a, SIMANS_DEFAULTS.b);
    expect(def.uniformTopMass).toBeCloseTo(0.1, 15);
    expect(def.topMass).toBeGreaterThan(0.3); // ≈ 0.39: four times uniform
    expect(def.effectivePool).toBeLessThan(40);
    // and it still samples: not a point mass on the closest candidate
    expect(def.effectivePool).toBeGreaterThan(10);
  });
});
