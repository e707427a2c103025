import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { InputIssue } from '../types.ts';
import { loadBeir, parseCorpus, parseQrels, parseQueries } from './beir.ts';
import { webGunzip } from './gzip.ts';
import { chunksOf } from './lines.ts';
import { StreamReadError } from './jsonl.ts';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('parseCorpus', () => {
  it('keeps valid rows and reports each bad line with its number and reason', async () => {
    const lines = [
      '{"_id": "a", "title": "A", "text": "alpha", "metadata": {"x": 1}}', // 1 ok, extra field ignored
      '{"_id": "b", "text": "beta"}', //                                      2 ok, no title
      '{"_id": "c", "title": "C", "text": "gamma"', //                        3 invalid JSON
      '{"title": "D", "text": "delta"}', //                                   4 missing _id
      '{"_id": "", "text": "eps"}', //                                        5 empty _id
      '{"_id": "f", "text": 42}', //                                          6 non-string text
      '{"_id": "a", "text": "again"}', //                                     7 duplicate
      '', //                                                                  8 blank: skipped silently
      '[1, 2]', //                                                            9 not an object
      '{"_id": 7, "text": "numeric id"}', //                                  10 ok, id "7"
      '{"_id": "g", "title": null, "text": ""}', //                           11 ok, empty text allowed
    ];
    const issues: InputIssue[] = [];
    const docs = await all(parseCorpus(chunksOf(lines.join('\n'), 7), { file: 'corpus.jsonl', issues }));
    expect(docs).toEqual([
      { id: 'a', title: 'A', text: 'alpha' },
      { id: 'b', title: '', text: 'beta' },
      { id: '7', title: '', text: 'numeric id' },
      { id: 'g', title: '', text: '' },
    ]);
    expect(issues.map((i) => [i.file, i.line])).toEqual([
      ['corpus.jsonl', 3],
      ['corpus.jsonl', 4],
      ['corpus.jsonl', 5],
      ['corpus.jsonl', 6],
      ['corpus.jsonl', 7],
      ['corpus.jsonl', 9],
    ]);
    expect(issues[0].reason).toMatch(/^invalid JSON/);
    expect(issues[1].reason).toBe('missing "_id"');
    expect(issues[2].reason).toBe('empty "_id"');
    expect(issues[3].reason).toBe('"text" must be a string, got a number');
    expect(issues[4].reason).toBe('duplicate _id "a" (first on line 1)');
    expect(issues[5].reason).toBe('expected a JSON object, got an array');
  });

  it('reports a line that is not UTF-8 and keeps its neighbours', async () => {
    const enc = new TextEncoder();
    const bytes = new Uint8Array([
      ...enc.encode('{"_id":"a","text":"x"}\n{"_id":"b","text":"'),
      0xc3, 0x28, // invalid 2-byte sequence
      ...enc.encode('"}\n{"_id":"c","text":"z"}\n'),
    ]);
    const issues: InputIssue[] = [];
    const docs = await all(parseCorpus(chunksOf(bytes, 5), { file: 'corpus.jsonl', issues }));
    expect(docs.map((d) => d.id)).toEqual(['a', 'c']);
    expect(issues).toEqual([{ file: 'corpus.jsonl', line: 2, reason: 'not UTF-8 (invalid byte sequence)' }]);
  });

  it('reads gzip through the decompress hook, and a truncated gzip is a StreamReadError, not a bad line', async () => {
    const text = Array.from({ length: 500 }, (_, i) => JSON.stringify({ _id: `d${i}`, text: `doc ${i}` })).join('\n');
    const gz = gzipSync(Buffer.from(text));
    const issues: InputIssue[] = [];
    const docs = await all(parseCorpus(chunksOf(gz, 333), { file: 'corpus.jsonl.gz', issues, decompress: webGunzip }));
    expect(docs.length).toBe(500);
    expect(issues).toEqual([]);

    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const issues2: InputIssue[] = [];
    const err = await all(parseCorpus(chunksOf(cut, 333), { file: 'corpus.jsonl.gz', issues: issues2, decompress: webGunzip })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamReadError);
    expect((err as StreamReadError).file).toBe('corpus.jsonl.gz');
    expect((err as StreamReadError).message).toMatch(/^corpus\.jsonl\.gz: could not read past line \d+, the file is incomplete or corrupt/);
    // The truncation is not counted as a bad line.
    expect(issues2.filter((i) => /read/.test(i.reason))).toEqual([]);
  });
});

describe('parseQueries', () => {
  it('requires text and reports duplicates', async () => {
    const issues: InputIssue[] = [];
    const qs = await all(
      parseQueries(chunksOf('{"_id":"q1","text":"one"}\n{"_id":"q2"}\n{"_id":"q1","text":"dup"}\r\n{"_id":"q3","text":"three"}'), {
        file: 'queries.jsonl',
        issues,
      }),
    );
    expect(qs).toEqual([
      { id: 'q1', text: 'one' },
      { id: 'q3', text: 'three' },
    ]);
    expect(issues).toEqual([
      { file: 'queries.jsonl', line: 2, reason: 'missing "text"' },
      { file: 'queries.jsonl', line: 3, reason: 'duplicate _id "q1" (first on line 1)' },
    ]);
  });
});

describe('parseQrels', () => {
  it('parses graded qrels with several positives and reports bad lines', async () => {
    const tsv = [
      'query-id\tcorpus-id\tscore', // 1 header
      'q1\td1\t1', //                   2
      'q1\td2\t2', //                   3 second positive, graded
      'q2\td1\t0', //                   4 zero is a valid grade
      'q2\td3', //                      5 two columns
      'q2\td3\t1.5', //                 6 non-integer
      'q9\td1\t1', //                   7 unknown query
      'q2\td9\t1', //                   8 unknown doc
      'q1\td1\t1', //                   9 duplicate pair
      'q2\td3\t1\textra', //            10 four columns
    ].join('\n');
    const issues: InputIssue[] = [];
    const rows = await all(
      parseQrels(chunksOf(tsv, 4), {
        file: 'qrels/dev.tsv',
        issues,
        queryIds: new Set(['q1', 'q2']),
        docIds: new Set(['d1', 'd2', 'd3']),
      }),
    );
    expect(rows).toEqual([
      { queryId: 'q1', docId: 'd1', score: 1 },
      { queryId: 'q1', docId: 'd2', score: 2 },
      { queryId: 'q2', docId: 'd1', score: 0 },
    ]);
    expect(issues.map((i) => i.line)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(issues[0].reason).toBe('expected 3 tab-separated columns (query-id, corpus-id, score), found 2');
    expect(issues[1].reason).toBe('score must be an integer, got "1.5"');
    expect(issues[2].reason).toBe('unknown query "q9" (not in queries)');
    expect(issues[3].reason).toBe('unknown document "d9" (not in corpus)');
    expect(issues[4].reason).toMatch(/duplicate judgement .* \(first on line 2\)/);
  });

  it('accepts a file without header and does not check ids when no sets are given', async () => {
    const issues: InputIssue[] = [];
    const rows = await all(parseQrels(chunksOf('q1\tdx\t1\n'), { file: 'q.tsv', issues }));
    expect(rows).toEqual([{ queryId: 'q1', docId: 'dx', score: 1 }]);
    expect(issues).toEqual([]);
  });

  it('flags a first line that is neither the header nor a judgement', async () => {
    const issues: InputIssue[] = [];
    const rows = await all(parseQrels(chunksOf('qid\tdocid\trel\nq1\td1\t1\n'), { file: 'q.tsv', issues }));
    expect(rows.length).toBe(1);
    expect(issues).toEqual([{ file: 'q.tsv', line: 1, reason: 'expected the header "query-id\tcorpus-id\tscore" or a judgement' }]);
  });
});

describe('loadBeir', () => {
  it('checks qrels against the loaded ids and loads only the asked splits', async () => {
    const src = (name: string, text: string) => ({ name, open: () => chunksOf(text) });
    const data = await loadBeir(
      {
        corpus: src('corpus.jsonl', '{"_id":"d1","text":"x"}\n{"_id":"d2","text":"y"}\n'),
        queries: src('queries.jsonl', '{"_id":"q1","text":"x?"}\n'),
        qrels: {
          dev: src('qrels/dev.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td3\t1\n'),
          train: src('qrels/train.tsv', 'query-id\tcorpus-id\tscore\nq1\td2\t1\n'),
        },
      },
      { splits: ['dev'] },
    );
    expect(data.docs.length).toBe(2);
    expect(Object.keys(data.qrels)).toEqual(['dev']);
    expect(data.qrels.dev).toEqual([{ queryId: 'q1', docId: 'd1', score: 1 }]);
    expect(data.issues).toEqual([{ file: 'qrels/dev.tsv', line: 3, reason: 'unknown document "d3" (not in corpus)' }]);
  });
});
