import { describe, expect, it } from 'vitest';
import { wordKey, wordOverlap, type OverlapSpan } from './overlap';

const marked = (spans: OverlapSpan[], mark: string) => spans.filter((s) => s.mark === mark).map((s) => s.text);
const joined = (spans: OverlapSpan[]) => spans.map((s) => s.text).join('');

describe('wordOverlap', () => {
  it("keeps the candidate's own text in its order, marking shared and new words", () => {
    const o = wordOverlap('GNU compiler collection for C', 'GNU compiler documentation for C');
    expect(joined(o.candidate)).toBe('GNU compiler documentation for C');
    expect(o.candidate).toEqual([
      { text: 'GNU compiler', mark: 'shared' },
      { text: ' ', mark: null },
      { text: 'documentation', mark: 'new' },
      { text: ' for ', mark: null },
      { text: 'C', mark: 'shared' },
    ]);
    // The positive beside it: its shared words marked, its own words plain.
    expect(joined(o.positive)).toBe('GNU compiler collection for C');
    expect(marked(o.positive, 'shared')).toEqual(['GNU compiler', 'C']);
    expect(marked(o.positive, 'new')).toEqual([]);
    expect(o.counts).toEqual({ shared: 3, new: 1, missing: 1 });
  });

  it('compares words whatever their place: a reordered candidate is all shared, none struck out', () => {
    const o = wordOverlap('library for zlib compression', 'compression library (zlib)');
    expect(joined(o.candidate)).toBe('compression library (zlib)');
    expect(o.candidate.every((s) => s.mark !== 'new')).toBe(true);
    expect(o.counts).toEqual({ shared: 3, new: 0, missing: 0 });
  });

  it('ignores case, punctuation and Unicode width/composition', () => {
    expect(wordKey('ＧＮＵ')).toBe('gnu');
    expect(wordKey('Cafe\u0301')).toBe(wordKey('Café'));
    const cand = '  Hello, WORLD! (ＧＮＵ) café-tools end.';
    const o = wordOverlap('hello world gnu cafe\u0301 tools', cand);
    expect(joined(o.candidate)).toBe(cand);
    expect(marked(o.candidate, 'new')).toEqual(['end']);
    expect(marked(o.candidate, 'shared')).toEqual(['Hello, WORLD! (ＧＮＵ) café-tools']);
  });

  it('function words are neither shared nor new; they join the mark of the words around them', () => {
    const o = wordOverlap('the tool', 'a new tool of the other kind');
    expect(o.candidate).toEqual([
      { text: 'a ', mark: null },
      { text: 'new', mark: 'new' },
      { text: ' ', mark: null },
      { text: 'tool', mark: 'shared' },
      { text: ' of the ', mark: null },
      { text: 'other kind', mark: 'new' },
    ]);
    expect(o.counts).toEqual({ shared: 1, new: 3, missing: 0 });
    // Between two new words, a function word is part of the new run.
    expect(marked(wordOverlap('x', 'foo of bar').candidate, 'new')).toEqual(['foo of bar']);
  });

  it('counts distinct words; identical and disjoint texts', () => {
    expect(wordOverlap('a b b', 'b b b').counts).toEqual({ shared: 1, new: 0, missing: 0 });
    const same = wordOverlap('zlib data compression', 'zlib data compression');
    expect(same.candidate).toEqual([{ text: 'zlib data compression', mark: 'shared' }]);
    const apart = wordOverlap('xterm emulator', 'postgres server');
    expect(apart.candidate).toEqual([{ text: 'postgres server', mark: 'new' }]);
    expect(apart.positive).toEqual([{ text: 'xterm emulator', mark: null }]);
    expect(apart.counts).toEqual({ shared: 0, new: 2, missing: 2 });
    expect(wordOverlap('', 'alone').counts).toEqual({ shared: 0, new: 1, missing: 0 });
  });

  it('a window of the positive limits its spans, not what counts as shared', () => {
    const positive = 'alpha beta gamma delta epsilon';
    const o = wordOverlap(positive, 'alpha epsilon zeta', 'latin', { start: 6, end: 16 });
    expect(joined(o.positive)).toBe('beta gamma');
    expect(marked(o.candidate, 'shared')).toEqual(['alpha epsilon']);
    expect(o.counts).toEqual({ shared: 2, new: 1, missing: 3 });
    // A window that cuts a word keeps only its part.
    expect(joined(wordOverlap(positive, 'beta', 'latin', { start: 8, end: 12 }).positive)).toBe('ta g');
  });

  it('Japanese: segmenter words and cjk-bigram characters', () => {
    const o = wordOverlap('画像の表示ツール', '画像の編集ツール', 'segmenter');
    expect(joined(o.candidate)).toBe('画像の編集ツール');
    expect(marked(o.candidate, 'new')).toEqual(['編集']);
    expect(marked(o.candidate, 'shared')).toEqual(['画像', 'ツール']);
    expect(marked(o.positive, 'shared')).toEqual(['画像', 'ツール']);
    // latin sees one unsegmented "word" each: nothing shared
    expect(wordOverlap('画像の表示ツール', '画像の編集ツール').counts).toEqual({ shared: 0, new: 1, missing: 1 });
    // cjk-bigram: a character is shared when a bigram it belongs to is
    const b = wordOverlap('検索ツール', '全文検索', 'cjk-bigram');
    expect(marked(b.candidate, 'shared')).toEqual(['検索']);
    expect(marked(b.candidate, 'new')).toEqual(['全文']);
  });

  it('is linear: two texts of 60,000 words each compare in well under a second', () => {
    const words = (n: number, mod: number, salt: string) => Array.from({ length: n }, (_, i) => `${salt}${(i * 7919) % mod}`).join(' ');
    const positive = words(60_000, 5_000, 'w') + ' onlypositive';
    const candidate = words(60_000, 10_000, 'w') + ' onlycandidate';
    const t0 = performance.now();
    const o = wordOverlap(positive, candidate);
    const ms = performance.now() - t0;
    // w0..w4999 are in both, w5000..w9999 and onlycandidate only in the candidate.
    expect(o.counts).toEqual({ shared: 5_000, new: 5_001, missing: 1 });
    expect(joined(o.candidate)).toBe(candidate);
    // An alignment (LCS) of 60,000 × 60,000 words would fill 3.6e9 cells: many seconds, gigabytes.
    expect(ms).toBeLessThan(1_500);
  });
});
