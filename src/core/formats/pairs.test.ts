import { describe, expect, it } from 'vitest';
import { chunksOf } from './lines.ts';
import { detectColumns, importTrainingFile } from './pairs.ts';
import { textId } from './ids.ts';

describe('textId', () => {
  it('is stable and shared by identical texts, different for different texts', () => {
    expect(textId('d', 'hello')).toBe(textId('d', 'hello'));
    expect(textId('d', 'hello')).not.toBe(textId('d', 'hello '));
    expect(textId('q', 'hello')).toMatch(/^q-[0-9a-f]{16}$/);
    // 20k distinct short texts, no collision
    const ids = new Set(Array.from({ length: 20000 }, (_, i) => textId('d', `text ${i}`)));
    expect(ids.size).toBe(20000);
  });
});

describe('detectColumns', () => {
  it('finds the usual column pairs', () => {
    expect(detectColumns(['anchor', 'positive', 'negative'])).toEqual({ query: 'anchor', positive: 'positive' });
    expect(detectColumns(['id', 'Query', 'Positive'])).toEqual({ query: 'Query', positive: 'Positive' });
    expect(detectColumns(['question', 'answer'])).toEqual({ query: 'question', positive: 'answer' });
    expect(detectColumns(['a', 'b'])).toBeUndefined();
  });
});

describe('importTrainingFile', () => {
  it('imports CSV pairs with picked columns, shared ids and issues for bad rows', async () => {
    const csv = 'id,title,body\n1,"How to x?","Do y, then z"\n2,"How to x?","Another answer"\n3,,"no query"\n4,"short"\n';
    const b = await importTrainingFile(chunksOf(csv, 5), { file: 'pairs.csv', format: 'csv', queryColumn: 'title', positiveColumn: 'body' });
    expect(b.queries).toEqual([{ id: textId('q', 'How to x?'), text: 'How to x?' }]);
    expect(b.docs.map((d) => d.text)).toEqual(['Do y, then z', 'Another answer']);
    expect(b.qrels).toEqual([
      { queryId: textId('q', 'How to x?'), docId: textId('d', 'Do y, then z'), score: 1 },
      { queryId: textId('q', 'How to x?'), docId: textId('d', 'Another answer'), score: 1 },
    ]);
    expect(b.issues).toEqual([
      { file: 'pairs.csv', line: 4, reason: '"title" must be a non-empty string' },
      { file: 'pairs.csv', line: 5, reason: 'expected 3 columns (as the header), found 2' },
    ]);
  });

  it('reports a picked column that is not in the header', async () => {
    const b = await importTrainingFile(chunksOf('a,b\nx,y\n'), { file: 'p.csv', format: 'csv', queryColumn: 'q', positiveColumn: 'b' });
    expect(b.issues).toEqual([{ file: 'p.csv', line: 1, reason: 'no column "q" in header (a, b)' }]);
  });

  it('imports TSV with detected question/answer columns', async () => {
    const b = await importTrainingFile(chunksOf('question\tanswer\nwhat?\tthat\n'), { file: 'p.tsv', format: 'tsv' });
    expect(b.qrels.length).toBe(1);
    expect(b.docs[0].text).toBe('that');
  });

  it('keeps FlagEmbedding negatives as candidates with their scores and prompts', async () => {
    const jsonl = [
      JSON.stringify({ query: 'q1', pos: ['p1'], neg: ['n1', 'n2'], pos_scores: [3.5], neg_scores: [1.25, -0.5], prompt: 'Represent: ' }),
      JSON.stringify({ query: 'q2', pos: ['p2', 'p1'], neg: ['n1'] }),
      JSON.stringify({ query: 'q3', pos: [], neg: ['n1'] }),
      JSON.stringify({ query: 'q4', pos: ['p4'], neg: ['n4'], neg_scores: [1, 2] }),
    ].join('\n');
    const b = await importTrainingFile(chunksOf(jsonl), { file: 'flag.jsonl', format: 'jsonl' });
    const q1 = textId('q', 'q1');
    expect(b.candidates.filter((c) => c.queryId === q1)).toEqual([
      { queryId: q1, docId: textId('d', 'n1'), score: 1.25 },
      { queryId: q1, docId: textId('d', 'n2'), score: -0.5 },
    ]);
    expect(b.positiveScores).toEqual([{ queryId: q1, docId: textId('d', 'p1'), score: 3.5 }]);
    expect(b.prompts).toEqual({ [q1]: 'Represent: ' });
    // p1 and n1 are shared by two queries but stored once
    expect(b.docs.map((d) => d.text).sort()).toEqual(['n1', 'n2', 'n4', 'p1', 'p2', 'p4']);
    expect(b.qrels.length).toBe(4);
    expect(b.issues.map((i) => [i.line, i.reason])).toEqual([
      [3, '"pos" must be a non-empty list of non-empty strings'],
      [4, '"neg_scores" must be a list of 1 numbers (one per neg entry); scores ignored'],
    ]);
  });

  it('imports sentence-transformers triplets and n-tuples; a negative equal to a positive is not a candidate', async () => {
    const jsonl = [
      JSON.stringify({ anchor: 'a', positive: 'p', negative: 'n1' }),
      JSON.stringify({ anchor: 'a', positive: 'p', negative: 'n2' }),
      JSON.stringify({ anchor: 'b', positive: 'pb', negative_1: 'x', negative_2: 'pb', negative_10: 'z' }),
      '{"anchor": "c"}',
    ].join('\n');
    const b = await importTrainingFile(chunksOf(jsonl), { file: 'st.jsonl', format: 'jsonl' });
    expect(b.queries.length).toBe(2);
    expect(b.candidates.map((c) => b.docs.find((d) => d.id === c.docId)!.text)).toEqual(['n1', 'n2', 'x', 'z']);
    expect(b.issues).toEqual([{ file: 'st.jsonl', line: 4, reason: 'cannot tell query and positive apart (fields: anchor); expected anchor/positive, query/positive or question/answer, or pick the columns' }]);
  });
});
