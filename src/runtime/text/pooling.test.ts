// Pooling on hand-made token vectors: each sentence-transformers mode, over real tokens only.
import { describe, expect, it } from 'vitest';
import { poolInto } from './pooling';

// One sequence of 3 positions (the last is padding), dim 2.
const hidden = new Float32Array([3, 4, 1, -2, 100, 100]);
const mask = [1, 1, 0];
const pool = (mode: 'mean' | 'cls' | 'max' | 'lasttoken', normalize = false) => {
  const out = new Float32Array(2);
  poolInto(hidden, mask, 1, 3, 2, mode, out, [0], normalize);
  return Array.from(out);
};

describe('poolInto', () => {
  it('mean, cls, max and last token ignore padding', () => {
    expect(pool('mean')).toEqual([2, 1]);
    expect(pool('cls')).toEqual([3, 4]);
    expect(pool('max')).toEqual([3, 4]);
    expect(pool('lasttoken')).toEqual([1, -2]);
  });

  it('normalises to unit length only when asked', () => {
    expect(pool('cls', true).map((x) => +x.toFixed(6))).toEqual([0.6, 0.8]);
    expect(pool('cls', false)).toEqual([3, 4]);
  });
});
