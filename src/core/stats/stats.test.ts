import { describe, expect, it } from 'vitest';
import { countWords, nearestRank, summarize } from './percentiles.ts';
import { StatsAccumulator, formatStatsTable } from './stats.ts';

describe('percentiles', () => {
  it('uses the nearest-rank method (hand-computed)', () => {
    const v = [15, 20, 35, 40, 50]; // n = 5
    // p50: rank ceil(2.5) = 3 -> 35; p90: ceil(4.5) = 5 -> 50; p20: ceil(1) = 1 -> 15
    expect(nearestRank(v, 50)).toBe(35);
    expect(nearestRank(v, 90)).toBe(50);
    expect(nearestRank(v, 20)).toBe(15);
    const s = summarize([50, 15, 40, 20, 35]);
    expect(s).toEqual({ count: 5, mean: 32, p50: 35, p90: 50, p99: 50, max: 50 });
    const hundred = summarize(Array.from({ length: 100 }, (_, i) => i + 1));
    expect([hundred.p50, hundred.p90, hundred.p99, hundred.max]).toEqual([50, 90, 99, 100]);
    expect(summarize([])).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('counts whitespace-separated words, including non-ASCII spaces', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one  two\tthree\nfour ')).toBe(4);
    expect(countWords('a\u00a0b\u3000c')).toBe(3);
    expect(countWords('日本語')).toBe(1);
  });
});

describe('StatsAccumulator', () => {
  it('counts docs, queries, queries with qrels and positives per query per split', () => {
    const acc = new StatsAccumulator();
    acc.addDoc({ id: 'a', title: 'A', text: 'one two' }); // "A: one two" = 3 words, 10 chars
    acc.addDoc({ id: 'b', title: '', text: 'x' }); //         1 word, 1 char
    acc.addDoc({ id: 'c', title: 'C', text: '' }); //         "C: " 1 word, 3 chars, empty text
    acc.addQuery({ id: 'q1', text: 'hello world' });
    acc.addQuery({ id: 'q2', text: 'hi' });
    acc.addQrel('dev', { queryId: 'q1', docId: 'a', score: 1 });
    acc.addQrel('dev', { queryId: 'q1', docId: 'b', score: 2 });
    acc.addQrel('dev', { queryId: 'q2', docId: 'c', score: 0 });
    acc.addSplit('test');
    const s = acc.finish();
    expect(s.documents).toBe(3);
    expect(s.queries).toBe(2);
    expect(s.emptyDocuments).toBe(1);
    expect(s.docWords).toMatchObject({ p50: 1, max: 3, mean: 5 / 3 });
    expect(s.docChars).toMatchObject({ p50: 3, max: 10 }); // sorted 1, 3, 10
    expect(s.splits.dev).toMatchObject({ qrels: 3, queries: 2, queriesWithPositives: 1, positives: 2, positivesHistogram: { '2': 1 } });
    expect(s.splits.dev.positivesPerQuery).toMatchObject({ mean: 2, max: 2 });
    expect(s.splits.test).toMatchObject({ qrels: 0, queries: 0 });
    const table = formatStatsTable(s);
    expect(table).toMatch(/documents\s+3\n/);
    expect(table).toMatch(/dev\s+3\s+2\s+1\s+2/);
  });
});
