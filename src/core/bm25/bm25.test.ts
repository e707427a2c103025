import { describe, expect, it } from 'vitest';
import { createRng } from '../selection';
import { Bm25Index, tokenize } from './index';

describe('tokenize', () => {
  it('lowercases and keeps runs of letters, digits and underscore', () => {
    expect(tokenize('The GNU C Library (glibc) v2.36; foo_bar-baz')).toEqual(['the', 'gnu', 'c', 'library', 'glibc', 'v2', '36', 'foo_bar', 'baz']);
  });
  it('matches Python re.findall(r"\\w+", t.lower()) on non-ASCII text', () => {
    // Expected lists produced by CPython 3 on the same strings.
    expect(tokenize('Ça déjà vu — naïve résumé')).toEqual(['ça', 'déjà', 'vu', 'naïve', 'résumé']);
    expect(tokenize('東京タワー、日本語テキスト')).toEqual(['東京タワー', '日本語テキスト']);
    expect(tokenize('½ x² Ⅻ 3.14 ß')).toEqual(['½', 'x²', 'ⅻ', '3', '14', 'ß']);
    // Combining marks are not \w in Python: decomposed "é" and Devanagari vowel signs split words.
    expect(tokenize('cafe\u0301 नमस्ते')).toEqual(['cafe', 'नमस', 'त']);
  });
  it('returns [] for text without word characters', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' -- !! ')).toEqual([]);
  });
});

describe('Bm25Index', () => {
  // N = 3, dl = [3, 2, 4], avgdl = 3, k1 = 0.9, b = 0.4.
  // norm(d) = k1·(1 − b + b·dl/avgdl): d1 0.9·(0.6+0.4) = 0.9; d2 0.9·(0.6+0.2667) = 0.78; d3 0.9·(0.6+0.5333) = 1.02.
  // idf(df=2) = ln(1 + 1.5/2.5) = ln 1.6 = 0.470004; idf(df=1) = ln(1 + 2.5/1.5) = 0.980829.
  const index = Bm25Index.build([
    { id: 'd1', text: 'The cat sat.' },
    { id: 'd2', text: 'the DOG' },
    { id: 'd3', text: 'cat cat dog bird' },
  ]);

  it('computes Lucene BM25 scores by hand', () => {
    expect(index.avgdl).toBe(3);
    const hits = index.search('cat', 10);
    expect(hits.map((h) => h[0])).toEqual(['d3', 'd1']);
    // d3: 0.470004 · 2 · 1.9 / (2 + 1.02) = 0.591395; d1: 0.470004 · 1 · 1.9 / (1 + 0.9) = 0.470004
    expect(hits[0][1]).toBeCloseTo(0.5913952950774156, 12);
    expect(hits[1][1]).toBeCloseTo(0.47000362924573563, 12);
  });

  it('de-duplicates query terms and sums over terms', () => {
    // {cat, dog}: d3 = 0.591395 + 0.470004·1.9/2.02 = 1.033478; d2 = 0.470004·1.9/1.78 = 0.501689
    const hits = index.search('cat dog dog', 10);
    expect(hits.map((h) => h[0])).toEqual(['d3', 'd2', 'd1']);
    expect(hits[0][1]).toBeCloseTo(1.0334779166451866, 12);
    expect(hits[1][1]).toBeCloseTo(0.5016892671724144, 12);
    expect(hits[2][1]).toBeCloseTo(0.47000362924573563, 12);
    expect(index.search('cat dog', 10)).toEqual(hits);
  });

  it('uses idf of rare terms, truncates to k and skips unknown words', () => {
    // bird: 0.980829 · 1.9 / (1 + 1.02) = 0.922562
    expect(index.search('BIRD fish', 5)).toEqual([['d3', expect.closeTo(0.9225621686743959, 12)]]);
    expect(index.search('fish', 5)).toEqual([]);
    expect(index.search('cat dog', 1).map((h) => h[0])).toEqual(['d3']);
    expect(index.search('cat', 0)).toEqual([]);
  });

  it('scores one document directly, equal to its search score', () => {
    expect(index.scoreDoc('cat dog', 'd2')).toBeCloseTo(0.5016892671724144, 12);
    expect(index.scoreDoc('bird', 'd1')).toBe(0);
    expect(() => index.scoreDoc('cat', 'nope')).toThrow(/unknown document id "nope"/);
  });

  it('breaks ties by corpus order and gives repeated searches the same answer', () => {
    const tie = Bm25Index.build([
      { id: 'b', text: 'x y' },
      { id: 'a', text: 'x y' },
      { id: 'c', text: 'x z' },
    ]);
    const first = tie.search('y', 3);
    expect(first.map((h) => h[0])).toEqual(['b', 'a']);
    expect(first[0][1]).toBe(first[1][1]);
    expect(tie.search('y', 3)).toEqual(first); // accumulator was reset
  });

  it('honours k1 and b', () => {
    // b = 0: no length normalisation; k1 = 0: tf saturates immediately → score = idf per term.
    const flat = Bm25Index.build([{ id: 'a', text: 'x x x x' }, { id: 'b', text: 'x y' }], { k1: 0, b: 0 });
    const idf = Math.log(1 + 0.5 / 2.5);
    expect(flat.search('x', 2)).toEqual([
      ['a', expect.closeTo(idf, 12)],
      ['b', expect.closeTo(idf, 12)],
    ]);
    expect(() => Bm25Index.build([], { b: 2 })).toThrow(/b must be a number in \[0, 1\]/);
  });

  it('rejects duplicate ids', () => {
    expect(() => Bm25Index.build([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }])).toThrow(/duplicate document id "a"/);
  });
});

describe('Bm25Index pruning', () => {
  it('returns exactly the exhaustive ranking on random corpora (Zipf-like words, small k)', () => {
    const rng = createRng(2024);
    // word w_i drawn with probability ∝ 1/(i+1): a few very frequent words, a long tail
    const vocab = Array.from({ length: 200 }, (_, i) => `w${i}`);
    const cum: number[] = [];
    vocab.reduce((acc, _, i) => (cum.push(acc + 1 / (i + 1)), acc + 1 / (i + 1)), 0);
    const word = () => {
      const x = rng() * cum[cum.length - 1];
      return vocab[cum.findIndex((c) => c >= x)];
    };
    const text = (n: number) => Array.from({ length: n }, word).join(' ');
    const docs = Array.from({ length: 400 }, (_, i) => ({ id: `d${i}`, text: text(3 + Math.floor(rng() * 30)) }));
    docs.push({ id: 'dup', text: docs[0].text }); // exact score ties
    const index = Bm25Index.build(docs);
    for (let q = 0; q < 300; q++) {
      const query = text(1 + Math.floor(rng() * 8));
      for (const k of [1, 3, 10, 50]) {
        const got = index.search(query, k);
        const want = index.searchExhaustive(query, k);
        expect(got.map((h) => h[0])).toEqual(want.map((h) => h[0]));
        got.forEach((h, i) => expect(h[1]).toBeCloseTo(want[i][1], 10));
      }
    }
  });
});
