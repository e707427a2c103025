import { describe, expect, it } from 'vitest';
import { bertTemplates, buildPair, buildSingle, lengthBatches, longestFirstLengths } from './bert-inputs';

const { single, pair } = bertTemplates(2, 3);

describe('buildSingle', () => {
  it('keeps the final [SEP] when truncating (maxLen counts the specials)', () => {
    expect(buildSingle([10, 11, 12, 13, 14], 5, single).inputIds).toEqual([2, 10, 11, 12, 3]);
    expect(buildSingle([10, 11], 5, single)).toEqual({ inputIds: [2, 10, 11, 3], tokenTypeIds: [0, 0, 0, 0] });
    expect(buildSingle([], 2, single).inputIds).toEqual([2, 3]);
  });
});

describe('longestFirstLengths (Rust tokenizers semantics)', () => {
  it('keeps the shorter text whole when the longer still gets at least as much', () => {
    expect(longestFirstLengths(5, 300, 189)).toEqual([5, 184]);
    expect(longestFirstLengths(300, 5, 189)).toEqual([184, 5]);
  });
  it('halves when both are long, the odd token to the longer one', () => {
    expect(longestFirstLengths(100, 120, 11)).toEqual([5, 6]);
    expect(longestFirstLengths(120, 100, 11)).toEqual([6, 5]);
    expect(longestFirstLengths(100, 100, 11)).toEqual([5, 6]);
    expect(longestFirstLengths(8, 100, 12)).toEqual([6, 6]);
  });
  it('leaves short pairs alone', () => {
    expect(longestFirstLengths(3, 4, 7)).toEqual([3, 4]);
  });
});

describe('buildPair', () => {
  it('builds [CLS] q [SEP] d [SEP] with segment ids and keeps both [SEP]s', () => {
    expect(buildPair([10, 11], [20, 21, 22, 23, 24], 8, pair)).toEqual({
      inputIds: [2, 10, 11, 3, 20, 21, 22, 3],
      tokenTypeIds: [0, 0, 0, 0, 1, 1, 1, 1],
    });
  });
});

describe('lengthBatches', () => {
  it('sorts by length, caps items and padded tokens, and covers every index once', () => {
    const lengths = [5, 100, 7, 90, 6, 95];
    const batches = lengthBatches(lengths, 2);
    expect(batches).toEqual([[1, 5], [3, 2], [4, 0]]);
    const capped = lengthBatches(lengths, 10, 400);
    expect(capped).toEqual([[1, 5, 3, 2], [4, 0]]);
    expect(capped.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
