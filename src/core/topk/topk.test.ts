import { describe, expect, it } from 'vitest';
import { createRng } from '../selection';
import { dot, exactTopK, topKHits, TopKAccumulator, TopKHeap } from './index';
import { getSimdKernel } from './simd-kernel';

function randomVectors(n: number, dim: number, rng: () => number): Float32Array {
  const v = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const x = rng() * 2 - 1;
      v[r * dim + j] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) v[r * dim + j] /= norm;
  }
  return v;
}

/** Reference: score everything, stable sort (ties keep lower index first). */
function naive(q: Float32Array, nq: number, d: Float32Array, nd: number, dim: number, k: number) {
  const out: Array<Array<[number, number]>> = [];
  for (let i = 0; i < nq; i++) {
    const row: Array<[number, number]> = [];
    for (let j = 0; j < nd; j++) {
      let s = 0;
      for (let t = 0; t < dim; t++) s += q[i * dim + t] * d[j * dim + t];
      row.push([j, s]);
    }
    row.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    out.push(row.slice(0, k));
  }
  return out;
}

describe('exactTopK', () => {
  it('matches a naive full sort on random data (odd sizes, several block sizes)', () => {
    const rng = createRng(1);
    const dim = 37, nq = 11, nd = 503, k = 20; // nq not a multiple of 4, dim not of 4
    const Q = randomVectors(nq, dim, rng), D = randomVectors(nd, dim, rng);
    const ref = naive(Q, nq, D, nd, dim, k);
    for (const [blockSize, simd] of [[1, true], [7, true], [64, true], [10_000, true], [7, false], [64, false]] as const) {
      const r = exactTopK(Q, nq, D, nd, dim, k, { blockSize, simd });
      expect(r.k).toBe(k);
      for (let i = 0; i < nq; i++) {
        for (let j = 0; j < k; j++) {
          expect(r.indices[i * k + j]).toBe(ref[i][j][0]);
          expect(r.scores[i * k + j]).toBeCloseTo(ref[i][j][1], 5);
        }
      }
    }
  });

  it('breaks ties by the lower document index and clamps k to nd', () => {
    // docs 0 and 2 are identical; query equals them
    const D = new Float32Array([1, 0, 0, 1, 1, 0, 0.6, 0.8]);
    const Q = new Float32Array([1, 0]);
    const r = exactTopK(Q, 1, D, 4, 2, 10);
    expect(r.k).toBe(4);
    const scalar = exactTopK(Q, 1, D, 4, 2, 10, { simd: false });
    expect([...scalar.indices]).toEqual([...r.indices]);
    expect([...r.indices]).toEqual([0, 2, 3, 1]);
    expect([...r.scores]).toEqual([1, 1, expect.closeTo(0.6, 6), 0]);
    expect(topKHits(r, ['a', 'b', 'c', 'd'], 0)).toEqual([['a', 1], ['c', 1], ['d', expect.closeTo(0.6, 6)], ['b', 0]]);
    expect(() => topKHits(r, ['a'], 0)).toThrow(/document index 2 has no id/);
    expect(() => topKHits(r, ['a'], 1)).toThrow(/query row 1 out of range/);
  });

  it('has a WebAssembly SIMD kernel in Node', () => {
    expect(getSimdKernel()).not.toBeNull();
  });

  it('leaves NaN rows out instead of reporting document 0', () => {
    const D = new Float32Array([1, 0, NaN, NaN, 0, 1]);
    for (const simd of [true, false]) {
      const r = exactTopK(new Float32Array([NaN, NaN, 1, 0]), 2, D, 3, 2, 3, { simd });
      expect([...r.indices]).toEqual([-1, -1, -1, 0, 2, -1]);
      expect(topKHits(r, ['a', 'b', 'c'], 0)).toEqual([]);
      expect(topKHits(r, ['a', 'b', 'c'], 1)).toEqual([['a', 1], ['c', 0]]);
    }
  });

  it('handles empty inputs and validates sizes', () => {
    expect(exactTopK(new Float32Array(0), 0, new Float32Array(4), 2, 2, 5).indices.length).toBe(0);
    expect(exactTopK(new Float32Array(2), 1, new Float32Array(0), 0, 2, 5).k).toBe(0);
    expect(() => exactTopK(new Float32Array(3), 2, new Float32Array(4), 2, 2, 1)).toThrow(/queries holds 3 floats, expected nq × dim = 4/);
  });

  it('dot handles lengths that are not multiples of four', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6, 7]);
    expect(dot(a, 0, a, 0, 7)).toBe(140);
    expect(dot(a, 1, a, 0, 3)).toBe(2 * 1 + 3 * 2 + 4 * 3);
  });
});

describe('TopKAccumulator', () => {
  it('documents added in shuffled parts with their corpus indices give exactly exactTopK over all of them (SIMD and scalar)', () => {
    const rng = createRng(7);
    const dim = 20;
    const nq = 9;
    const nd = 533;
    const q = randomVectors(nq, dim, rng);
    const d = randomVectors(nd, dim, rng);
    // duplicate rows make ties that only the index can break
    d.set(d.subarray(3 * dim, 4 * dim), 400 * dim);
    const order = Array.from({ length: nd }, (_, i) => i).sort(() => rng() - 0.5);
    for (const simd of [true, false]) {
      const want = exactTopK(q, nq, d, nd, dim, 17, { simd });
      const acc = new TopKAccumulator(q, nq, dim, 17, { simd, blockSize: 64 });
      for (let at = 0; at < nd; ) {
        const n = Math.min(nd - at, 1 + Math.floor(rng() * 90));
        const part = new Float32Array(n * dim);
        const index = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          index[i] = order[at + i];
          part.set(d.subarray(index[i] * dim, (index[i] + 1) * dim), i * dim);
        }
        acc.add(part, n, index);
        at += n;
      }
      const got = acc.result();
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
      expect(() => acc.add(d, 1)).toThrow(/after result/);
    }
  });
});

describe('TopKHeap', () => {
  it('keeps the k best with deterministic ties and drains best first', () => {
    const h = new TopKHeap(3);
    [[0.5, 4], [0.9, 1], [0.5, 2], [0.1, 0], [0.7, 3], [0.5, 0]].forEach(([s, i]) => h.push(s, i));
    const idx = new Int32Array(3), sc = new Float64Array(3);
    expect(h.drainSorted(idx, sc)).toBe(3);
    expect([...idx]).toEqual([1, 3, 0]);
    expect([...sc]).toEqual([0.9, 0.7, 0.5]);
    expect(h.size).toBe(0);
  });
});
