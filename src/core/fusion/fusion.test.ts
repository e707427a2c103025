import { describe, expect, it } from 'vitest';
import { concatVectors, fuse, parseFusionMethod, type MemberList } from './index';

// A: scores 3, 2, 1 → mean 2, population std √(2/3) = 0.816497 → z: a 1.224745, b 0, c −1.224745 (floor −1.224745)
// B: scores 10, 6 → mean 8, std 2 → z: b 1, d −1 (floor −1)
const A: MemberList = { name: 'A', weight: 1, hits: [['a', 3], ['b', 2], ['c', 1]] };
const B: MemberList = { name: 'B', weight: 1, hits: [['b', 10], ['d', 6]] };
const Z = 1.5 / Math.sqrt(1.5); // 1.224745

const ids = (h: { docId: string }[]) => h.map((x) => x.docId);

describe('fuse', () => {
  it('soft-z: weighted z-scores, a missing candidate gets the member floor', () => {
    const f = fuse([A, B], 'soft-z');
    // a: 1.224745 + floor_B (−1) = 0.224745; b: 0 + 1 = 1; c: −1.224745 − 1; d: floor_A − 1 (tie with c: first seen wins)
    expect(ids(f)).toEqual(['b', 'a', 'c', 'd']);
    expect(f[0].score).toBeCloseTo(1, 12);
    expect(f[1].score).toBeCloseTo(Z - 1, 12);
    expect(f[2].score).toBeCloseTo(-Z - 1, 12);
    expect(f[3].score).toBeCloseTo(-Z - 1, 12);
    expect(f[1].members).toEqual({ A: { rank: 1, score: 3 }, B: { rank: null, score: null } });
    // weights 2, 1: a = 2·1.224745 − 1 = 1.449490 beats b = 2·0 + 1
    const w = fuse([{ ...A, weight: 2 }, B], 'soft-z');
    expect(ids(w).slice(0, 2)).toEqual(['a', 'b']);
    expect(w[0].score).toBeCloseTo(2 * Z - 1, 12);
  });

  it('soft-z: a list of equal scores has std 1 (no division by zero)', () => {
    const f = fuse([{ name: 'C', weight: 1, hits: [['x', 0.5], ['y', 0.5]] }], 'soft-z');
    expect(f.map((h) => h.score)).toEqual([0, 0]);
  });

  it('soft-minmax: per-member min-max to [0, 1], missing → 0', () => {
    const f = fuse([A, B], 'soft-minmax');
    // A: a 1, b .5, c 0; B: b 1, d 0 → a 1, b 1.5, c 0, d 0
    expect(f.map((h) => [h.docId, h.score])).toEqual([['b', 1.5], ['a', 1], ['c', 0], ['d', 0]]);
  });

  it('rrf: Σ w / (60 + rank), missing → 0', () => {
    const f = fuse([A, B], 'rrf');
    // a 1/61 = .016393; b 1/62 + 1/61 = .032522; c 1/63 = .015873; d 1/62 = .016129
    expect(ids(f)).toEqual(['b', 'a', 'd', 'c']);
    expect(f[0].score).toBeCloseTo(1 / 62 + 1 / 61, 15);
    expect(f[3].score).toBeCloseTo(1 / 63, 15);
    expect(fuse([A, B], 'rrf', { rrfK: 0 })[0].score).toBeCloseTo(1 / 2 + 1, 15);
  });

  it('max: best weighted z over the members that list the document', () => {
    const f = fuse([A, B], 'max');
    // a 1.224745, b max(0, 1) = 1, d −1, c −1.224745
    expect(ids(f)).toEqual(['a', 'b', 'd', 'c']);
    expect(f[0].score).toBeCloseTo(Z, 12);
    expect(f[2].score).toBeCloseTo(-1, 12);
  });

  it('scores extra documents with the lists\' statistics without changing them', () => {
    // p: A 2.5 → z = 0.5 / 0.816497 = 0.612372; B 8 → z = 0. Others unchanged.
    const f = fuse([A, B], 'soft-z', { extra: [{ docId: 'p', scores: { A: 2.5, B: 8 } }] });
    const p = f.find((h) => h.docId === 'p')!;
    expect(p.score).toBeCloseTo(0.5 / Math.sqrt(2 / 3), 12);
    expect(p.members).toEqual({ A: { rank: null, score: 2.5 }, B: { rank: null, score: 8 } });
    expect(f.find((h) => h.docId === 'b')!.score).toBeCloseTo(1, 12);
    // only A known: B contributes its floor
    const q = fuse([A, B], 'soft-z', { extra: [{ docId: 'q', scores: { A: 2.5 } }] }).find((h) => h.docId === 'q')!;
    expect(q.score).toBeCloseTo(0.5 / Math.sqrt(2 / 3) - 1, 12);
    // rrf: 2.5 would be rank 2 in A (after a), 8 rank 2 in B (after b) → 2 / 62
    const r = fuse([A, B], 'rrf', { extra: [{ docId: 'p', scores: { A: 2.5, B: 8 } }] }).find((h) => h.docId === 'p')!;
    expect(r.score).toBeCloseTo(2 / 62, 15);
    // a listed document keeps its listed score even if an extra score is supplied
    const b = fuse([A, B], 'soft-z', { extra: [{ docId: 'b', scores: { A: 100 } }] }).find((h) => h.docId === 'b')!;
    expect(b.members.A).toEqual({ rank: 2, score: 2 });
  });

  it('rejects bad input clearly', () => {
    expect(() => fuse([A, A], 'soft-z')).toThrow(/"A" appears twice/);
    expect(() => parseFusionMethod('mean')).toThrow(/unknown fusion method "mean"; expected one of soft-z, soft-minmax, rrf, max/);
    expect(() => fuse([{ name: 'N', weight: 1, hits: [['x', NaN]] }], 'rrf')).toThrow(/non-finite score for "x"/);
  });
});

describe('concatVectors (arXiv 2505.18366 ensemble)', () => {
  const unit = (v: number[]) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const dot = (a: Float32Array, i: number, b: Float32Array, j: number, dim: number) => {
    let s = 0;
    for (let k = 0; k < dim; k++) s += a[i * dim + k] * b[j * dim + k];
    return s;
  };
  it('the cosine of two concatenations is the weighted mean of the parts\' cosines', () => {
    const a1 = Float32Array.from([...unit([1, 2, 3]), ...unit([-1, 0, 2])]); // part 1: 2 rows × 3
    const a2 = Float32Array.from([...unit([0.5, -1]), ...unit([2, 1])]); // part 2: 2 rows × 2
    const c = concatVectors([{ vectors: a1, dim: 3, weight: 3 }, { vectors: a2, dim: 2, weight: 1 }], 2);
    expect(c.dim).toBe(5);
    const want = (3 * dot(a1, 0, a1, 1, 3) + 1 * dot(a2, 0, a2, 1, 2)) / 4;
    expect(dot(c.vectors, 0, c.vectors, 1, 5)).toBeCloseTo(want, 6);
    expect(dot(c.vectors, 0, c.vectors, 0, 5)).toBeCloseTo(1, 6); // still unit length
    // A weight of 0 drops a part's say entirely.
    const only1 = concatVectors([{ vectors: a1, dim: 3, weight: 1 }, { vectors: a2, dim: 2, weight: 0 }], 2);
    expect(dot(only1.vectors, 0, only1.vectors, 1, 5)).toBeCloseTo(dot(a1, 0, a1, 1, 3), 6);
  });
  it('rejects parts of the wrong size and weights that cannot scale', () => {
    const v = new Float32Array(6);
    expect(() => concatVectors([], 2)).toThrow('no parts');
    expect(() => concatVectors([{ vectors: v, dim: 2, weight: 1 }], 2)).toThrow('part 0 has 6 floats, expected 2 × 2');
    expect(() => concatVectors([{ vectors: v, dim: 3, weight: -1 }], 2)).toThrow('weights must be ≥ 0');
    expect(() => concatVectors([{ vectors: v, dim: 3, weight: 0 }], 2)).toThrow('every weight is 0');
  });
});
