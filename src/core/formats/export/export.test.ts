// Round trips: every export is parsed back with our importers (or hyparquet for Parquet)
// and compared with the examples it came from: ids, texts, scores.
import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { chunksOf } from '../lines.ts';
import { BundleBuilder, importTrainingFile, type ImportBundle } from '../pairs.ts';
import { flagFileProblems, rerankerGroupProblems, stCollatorProblems, tevatronRowProblems } from './consumer-rules.ts';
import { withTeacherScores } from '../../export/teacher-scores.ts';
import { sizeCategory } from './card.ts';
import { exportTrainingSet, datasetCard, type TrainingExample, type ExportOptions, type ExportFormat } from './index.ts';

const examples: TrainingExample[] = [
  {
    queryId: 'q-0ad',
    query: 'Real-time strategy game, "ancient" warfare',
    positives: [{ id: '0ad', text: '0 A.D. is a free RTS game.\nSecond line, with comma.', score: 7.5 }],
    negatives: [
      { id: '0ad-data', text: '=SUM(A1) data files for 0 A.D.', score: 0.91, ce: -1.5 },
      { id: 'widelands', text: 'Widelands: économie, 日本語 ✓', score: 0.8, ce: -3.25 },
      { id: 'freeciv', text: '-civilization clone @home', score: 0.7, ce: -4 },
    ],
    prompt: 'Represent this query: ',
  },
  {
    queryId: 'q-vim',
    query: 'Vi IMproved - enhanced vi editor',
    positives: [
      { id: 'vim', text: 'Vim is an almost compatible version of the UNIX editor Vi.', score: 9 },
      { id: 'vim-nox', text: 'Vim is an almost compatible version of the UNIX editor Vi (nox).', score: 8.5 },
    ],
    negatives: [
      { id: 'nvi', text: '4.4BSD re-implementation of vi', score: 0.6, ce: 1 },
      { id: 'elvis', text: "'=already quoted text", score: 0.5, ce: 0.5 },
      { id: 'neovim', text: 'heavily refactored vim fork', score: 0.4, ce: 0.25 },
    ],
  },
  {
    // only two negatives: too few for a 3-tuple
    queryId: 'q-less',
    query: 'less pager',
    positives: [{ id: 'less', text: 'pager program similar to more', score: 6 }],
    negatives: [
      { id: 'most', text: 'a pager like less', score: 0.3, ce: -2 },
      { id: 'more', text: 'the more pager', score: 0.2, ce: -2.5 },
    ],
  },
];

const byId = (b: ImportBundle) => ({
  queries: Object.fromEntries(b.queries.map((q) => [q.id, q.text])),
  docs: Object.fromEntries(b.docs.map((d) => [d.id, d.text])),
  positives: b.qrels.map((q) => `${q.queryId}>${q.docId}`).sort(),
  negatives: b.candidates.map((c) => `${c.queryId}>${c.docId}`).sort(),
});

function expected(exs: TrainingExample[], opts: { allPositives: boolean; negs?: number }) {
  const queries: Record<string, string> = {};
  const docs: Record<string, string> = {};
  const positives: string[] = [];
  const negatives: string[] = [];
  for (const ex of exs) {
    queries[ex.queryId] = ex.query;
    for (const p of opts.allPositives ? ex.positives : ex.positives.slice(0, 1)) {
      docs[p.id] = p.text;
      positives.push(`${ex.queryId}>${p.id}`);
    }
    for (const n of ex.negatives.slice(0, opts.negs ?? Infinity)) {
      docs[n.id] = n.text;
      negatives.push(`${ex.queryId}>${n.id}`);
    }
  }
  return { queries, docs, positives: positives.sort(), negatives: negatives.sort() };
}

async function reimport(format: ExportFormat, opts: ExportOptions = {}) {
  const out = exportTrainingSet(examples, format, opts);
  expect(typeof out.data).toBe('string');
  const fileFormat = format === 'csv' ? 'csv' : 'jsonl';
  let data = out.data as string;
  if (out.ids) {
    // sentence-transformers formats keep ids in the side file: join them back line by line.
    const ids = out.ids.trimEnd().split('\n');
    data = data.trimEnd().split('\n').map((l, i) => JSON.stringify({ ...JSON.parse(l), ...JSON.parse(ids[i]) })).join('\n') + '\n';
  }
  const bundle = await importTrainingFile(chunksOf(data, 37), { file: `out.${out.extension}`, format: fileFormat });
  expect(bundle.issues).toEqual([]);
  return { out, bundle };
}

describe('sentence-transformers exports', () => {
  it('triplet: one row per negative with the first positive; exact columns without ids', () => {
    const out = exportTrainingSet(examples, 'st-triplet');
    const lines = (out.data as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(out.rows).toBe(8);
    expect(lines[0]).toEqual({ anchor: examples[0].query, positive: examples[0].positives[0].text, negative: examples[0].negatives[0].text });
    expect(Object.keys(lines[3])).toEqual(['anchor', 'positive', 'negative']);
    expect(lines[3].positive).toBe(examples[1].positives[0].text);
  });

  it('triplet round trip with ids', async () => {
    const { bundle } = await reimport('st-triplet', { withIds: true });
    expect(byId(bundle)).toEqual(expected(examples, { allPositives: false }));
  });

  it('n-tuple: fixed width, short examples skipped, round trip with ids', async () => {
    const out = exportTrainingSet(examples, 'st-ntuple');
    expect(out.rows).toBe(2);
    expect(out.skipped).toEqual([{ queryId: 'q-less', reason: '2 negatives, the n-tuple needs 3' }]);
    const first = JSON.parse((out.data as string).split('\n')[0]);
    expect(Object.keys(first)).toEqual(['anchor', 'positive', 'negative_1', 'negative_2', 'negative_3']);
    const { bundle } = await reimport('st-ntuple', { withIds: true, ntupleNegatives: 2 });
    expect(byId(bundle)).toEqual(expected(examples, { allPositives: false, negs: 2 }));
  });

  it('labeled pairs: label 1 for every positive, 0 for every negative; round trip with ids', async () => {
    const out = exportTrainingSet(examples, 'st-labeled-pair');
    const rows = (out.data as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBe(4 + 8);
    expect(rows.filter((r) => r.label === 1).length).toBe(4);
    expect(rows[0]).toEqual({ sentence1: examples[0].query, sentence2: examples[0].positives[0].text, label: 1 });
    const { bundle } = await reimport('st-labeled-pair', { withIds: true });
    expect(byId(bundle)).toEqual(expected(examples, { allPositives: true }));
  });

  it('without ids, reimport gives text-hash ids and the same texts', async () => {
    const { bundle } = await reimport('st-triplet');
    expect(bundle.queries.map((q) => q.text).sort()).toEqual(examples.map((e) => e.query).sort());
    expect(bundle.candidates.length).toBe(8);
  });
});

describe('sentence-transformers shapes of mine_hard_negatives', () => {
  const rowsOf = (out: { data: string | Uint8Array }) => (out.data as string).trimEnd().split('\n').map((l) => JSON.parse(l));

  it('n-tuple-scores: a score list [positive, negative_1..n] of cross-encoder logits, the label MarginMSE reads', () => {
    const out = exportTrainingSet(examples, 'st-ntuple-scores', { ntupleNegatives: 2 });
    const rows = rowsOf(out);
    expect(rows.length).toBe(3);
    expect(rows[0]).toEqual({ anchor: examples[0].query, positive: examples[0].positives[0].text, negative_1: examples[0].negatives[0].text, negative_2: examples[0].negatives[1].text, score: [7.5, -1.5, -3.25] });
    for (const r of rows) expect(stCollatorProblems(r)).toEqual([]);
    const noCe = [{ ...examples[0], negatives: examples[0].negatives.map(({ ce, ...n }) => (void ce, n)) }];
    expect(exportTrainingSet(noCe, 'st-ntuple-scores').skipped).toEqual([{ queryId: 'q-0ad', reason: expect.stringMatching(/cross-encoder score/) }]);
  });

  it('labeled-list: documents [positive, negatives...] with labels [1, 0...]; include_scores adds scores', () => {
    const rows = rowsOf(exportTrainingSet(examples, 'st-labeled-list', { includeScores: true }));
    expect(rows[1]).toEqual({
      anchor: examples[1].query,
      documents: [examples[1].positives[0].text, ...examples[1].negatives.map((n) => n.text)],
      labels: [1, 0, 0, 0],
      scores: [9, 1, 0.5, 0.25],
    });
    const plain = rowsOf(exportTrainingSet(examples, 'st-labeled-list'));
    for (const r of plain) expect(stCollatorProblems(r, 'cross-encoder')).toEqual([]);
  });

  it('one row per (query, positive) on request, as mine_hard_negatives explodes multi-positive queries', () => {
    const first = exportTrainingSet(examples, 'st-triplet');
    const each = exportTrainingSet(examples, 'st-triplet', { positives: 'each' });
    expect(each.rows - first.rows).toBe(3); // q-vim: a second positive x 3 negatives
    expect(rowsOf(each).filter((r) => r.positive === examples[1].positives[1].text)).toHaveLength(3);
    expect(exportTrainingSet(examples, 'st-ntuple', { positives: 'each', ntupleNegatives: 2 }).rows).toBe(4);
  });

  it('include_scores: triplets get positive_score/negative_score, labeled pairs score', () => {
    const t = rowsOf(exportTrainingSet(examples, 'st-triplet', { includeScores: true }));
    expect(t[0]).toMatchObject({ positive_score: 7.5, negative_score: -1.5 });
    const lp = rowsOf(exportTrainingSet(examples, 'st-labeled-pair', { includeScores: true }));
    expect(lp[0].score).toBe(7.5);
  });

  it('--with-ids: the rows keep only trainer columns, the ids go to a side file line for line', () => {
    for (const format of ['st-triplet', 'st-ntuple', 'st-labeled-pair', 'st-labeled-list'] as const) {
      const out = exportTrainingSet(examples, format, { withIds: true, ntupleNegatives: 2 });
      const rows = rowsOf(out);
      for (const r of rows) expect(stCollatorProblems(r, format === 'st-labeled-list' ? 'cross-encoder' : 'bi-encoder')).toEqual([]);
      const ids = (out.ids ?? '').trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(ids.length).toBe(rows.length);
      expect(Object.keys(ids[0])).toEqual(['query_id', 'positive_id', 'negative_ids']);
    }
    const t = exportTrainingSet(examples, 'st-triplet', { withIds: true });
    const firstIds = JSON.parse((t.ids as string).split('\n')[0]);
    expect(firstIds).toEqual({ query_id: 'q-0ad', positive_id: '0ad', negative_ids: ['0ad-data'] });
    expect(exportTrainingSet(examples, 'flag', { withIds: true }).ids).toBeUndefined();
  });
});

describe('FlagEmbedding export', () => {
  it('writes query/pos/neg with teacher scores (ce preferred) and prompt; round trip with ids and scores', async () => {
    const out = exportTrainingSet(examples, 'flag', { withIds: true });
    const first = JSON.parse((out.data as string).split('\n')[0]);
    expect(first).toEqual({
      query: examples[0].query,
      pos: [examples[0].positives[0].text],
      neg: examples[0].negatives.map((n) => n.text),
      pos_scores: [7.5],
      neg_scores: [-1.5, -3.25, -4],
      prompt: 'Represent this query: ',
      query_id: 'q-0ad',
      positive_id: ['0ad'],
      negative_ids: ['0ad-data', 'widelands', 'freeciv'],
    });
    const { bundle } = await reimport('flag', { withIds: true });
    expect(byId(bundle)).toEqual(expected(examples, { allPositives: true }));
    const ce = Object.fromEntries(bundle.candidates.map((c) => [c.docId, c.score]));
    for (const ex of examples) for (const n of ex.negatives) expect(ce[n.id]).toBe(n.ce);
    const pos = Object.fromEntries(bundle.positiveScores.map((c) => [c.docId, c.score]));
    for (const ex of examples) for (const p of ex.positives) expect(pos[p.id]).toBe(p.score);
    expect(bundle.prompts).toEqual({ 'q-0ad': 'Represent this query: ' });
  });

  it('leaves scores out when any is missing', () => {
    const ex: TrainingExample = { queryId: 'q', query: 'q', positives: [{ id: 'p', text: 'p' }], negatives: [{ id: 'n', text: 'n', ce: 1 }] };
    expect(JSON.parse(exportTrainingSet([ex], 'flag').data as string)).toEqual({ query: 'q', pos: ['p'], neg: ['n'] });
  });

  const rowsOf = (out: { data: string | Uint8Array }) => (out.data as string).trimEnd().split('\n').map((l) => JSON.parse(l));

  it('a file that loads for distillation: scores in every row, the same keys everywhere', () => {
    const out = exportTrainingSet(examples, 'flag');
    expect(flagFileProblems(rowsOf(out), { target: 'embedder', distill: true })).toEqual([]);
    expect(out.notes).toEqual([]);
  });

  it('one unscored passage (a random negative) takes scores out of every row, and says so', () => {
    const mixed = [examples[0], { ...examples[1], negatives: [...examples[1].negatives, { id: 'rand', text: 'random doc' }] }];
    const out = exportTrainingSet(mixed, 'flag');
    const rows = rowsOf(out);
    expect(flagFileProblems(rows, { target: 'embedder', distill: false })).toEqual([]);
    expect(rows.every((r) => !('pos_scores' in r))).toBe(true);
    expect(out.notes).toEqual([expect.stringMatching(/pos_scores\/neg_scores left out of every row: 1 of 2 rows/)]);
  });

  it('withTeacherScores scores exactly the missing pairs with the cross-encoder, so the rows keep scores', async () => {
    const mixed = [examples[0], { ...examples[1], positives: [{ id: 'vim', text: 'Vim' }], negatives: [...examples[1].negatives, { id: 'rand', text: 'random doc' }] }];
    const asked: Array<[string, string]> = [];
    const { examples: full, scored } = await withTeacherScores(mixed, {
      score: async (pairs) => {
        asked.push(...pairs);
        return Float32Array.from(pairs.map((_, i) => -10 - i));
      },
    });
    expect(scored).toBe(2);
    expect(asked).toEqual([[examples[1].query, 'Vim'], [examples[1].query, 'random doc']]);
    expect(mixed[1].negatives[3].ce).toBeUndefined(); // inputs untouched
    const rows = rowsOf(exportTrainingSet(full, 'flag'));
    expect(flagFileProblems(rows, { target: 'embedder', distill: true })).toEqual([]);
    expect(rows[1].pos_scores).toEqual([-10]);
    expect(rows[1].neg_scores).toEqual([1, 0.5, 0.25, -11]);
  });

  it('flag-reranker writes the instruction as query_prompt, never as the LLM reranker yes/no prompt', () => {
    const rows = rowsOf(exportTrainingSet(examples, 'flag-reranker'));
    expect(rows[0].query_prompt).toBe('Represent this query: ');
    expect(flagFileProblems(rows, { target: 'reranker', distill: true })).toEqual([]);
    expect(flagFileProblems(rowsOf(exportTrainingSet(examples, 'flag')), { target: 'reranker', distill: true })).toContainEqual(
      expect.stringMatching(/"prompt" is the LLM reranker/),
    );
  });

  it('never mixes a retrieval score into neg_scores next to cross-encoder logits', () => {
    const ex: TrainingExample = {
      queryId: 'q',
      query: 'q',
      positives: [{ id: 'p', text: 'p', score: 4 }],
      negatives: [{ id: 'n1', text: 'n1', score: 0.7, ce: -1 }, { id: 'n2', text: 'n2', score: 0.6 }],
    };
    expect(JSON.parse(exportTrainingSet([ex], 'flag').data as string)).toEqual({ query: 'q', pos: ['p'], neg: ['n1', 'n2'] });
  });
});

describe('LCE export', () => {
  // A stand-in tokenizer: one id per word (its char-code sum), cut to 6 ids like a max_len.
  const tokenIds = (t: string) => t.split(/\s+/).filter(Boolean).slice(0, 6).map((w) => [...w].reduce((s, c) => s + c.charCodeAt(0), 0));

  it('lce writes token ids that luyug/Reranker loads (types of every field), limits negatives to group size - 1', () => {
    const out = exportTrainingSet(examples, 'lce', { lceGroupSize: 3, tokenIds });
    const rows = (out.data as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBe(3);
    for (const r of rows) expect(rerankerGroupProblems(r)).toEqual([]);
    expect(rows[0]).toEqual({
      qry: { qid: 'q-0ad', query: tokenIds(examples[0].query) },
      pos: [{ pid: '0ad', passage: tokenIds(examples[0].positives[0].text) }],
      neg: examples[0].negatives.slice(0, 2).map((n) => ({ pid: n.id, passage: tokenIds(n.text) })),
    });
    expect(() => exportTrainingSet(examples, 'lce', { lceGroupSize: 1, tokenIds })).toThrow(/group size/);
  });

  it('lce refuses to write without the reranker tokenizer instead of writing text', () => {
    expect(() => exportTrainingSet(examples, 'lce', { lceGroupSize: 3 })).toThrow(/token ids.*tokenizer.*lce-text/);
  });

  it('lce-text writes the same groups with strings (which Reranker would reject), and round trips ids', async () => {
    const out = exportTrainingSet(examples, 'lce-text', { lceGroupSize: 3 });
    const first = JSON.parse((out.data as string).split('\n')[0]);
    expect(first).toEqual({
      qry: { qid: 'q-0ad', query: examples[0].query },
      pos: [{ pid: '0ad', passage: examples[0].positives[0].text }],
      neg: examples[0].negatives.slice(0, 2).map((n) => ({ pid: n.id, passage: n.text })),
    });
    expect(rerankerGroupProblems(first)).toContain('qry.query is not a list of int32 token ids');
    const { bundle } = await reimport('lce-text', { lceGroupSize: 3 });
    expect(byId(bundle)).toEqual(expected(examples, { allPositives: true, negs: 2 }));
  });
});

describe('Tevatron export', () => {
  it('writes query_id, query, positive/negative passages of {docid, title, text}; round trips', async () => {
    const out = exportTrainingSet(examples, 'tevatron');
    const rows = (out.data as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    for (const r of rows) expect(tevatronRowProblems(r)).toEqual([]);
    expect(rows[0].positive_passages).toEqual([{ docid: '0ad', title: '', text: examples[0].positives[0].text }]);
    const { bundle } = await reimport('tevatron');
    expect(byId(bundle)).toEqual(expected(examples, { allPositives: true }));
  });
});

describe('CSV export', () => {
  it('is formula-safe and RFC 4180 quoted; texts (including a leading =) survive the round trip', async () => {
    const out = exportTrainingSet(examples, 'csv', { withIds: true });
    const text = out.data as string;
    expect(text.startsWith('anchor,positive,negative,query_id,positive_id,negative_ids\r\n')).toBe(true);
    expect(text).toContain(`'=SUM(A1) data files for 0 A.D.`);
    expect(text).toContain(`''=already quoted text`);
    expect(text).toContain(`'-civilization clone @home`);
    expect(text).toContain('"0 A.D. is a free RTS game.\nSecond line, with comma."');
    const { bundle } = await reimport('csv', { withIds: true });
    expect(byId(bundle)).toEqual(expected(examples, { allPositives: false }));
    expect(bundle.docs.find((d) => d.id === '0ad-data')!.text).toBe('=SUM(A1) data files for 0 A.D.');
    expect(bundle.docs.find((d) => d.id === 'elvis')!.text).toBe("'=already quoted text");
  });

  it('writes n-tuple and labeled-pair shapes on request', async () => {
    const nt = exportTrainingSet(examples, 'csv', { csvShape: 'ntuple' });
    expect((nt.data as string).split('\r\n')[0]).toBe('anchor,positive,negative_1,negative_2,negative_3');
    const lp = await reimport('csv', { csvShape: 'labeled-pair', withIds: true });
    expect(byId(lp.bundle)).toEqual(expected(examples, { allPositives: true }));
  });
});

describe('Parquet export', () => {
  it('writes n-tuple string columns and negative_ids as list<string> that hyparquet reads back', async () => {
    const out = exportTrainingSet(examples, 'parquet', { withIds: true });
    expect(out.data).toBeInstanceOf(Uint8Array);
    const bytes = out.data as Uint8Array;
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const schema = parquetSchema(parquetMetadata(buf));
    const cols = schema.children.map((c) => [c.element.name, c.element.type, c.element.converted_type]);
    expect(cols).toEqual([
      ...['anchor', 'positive', 'negative_1', 'negative_2', 'negative_3', 'query_id', 'positive_id'].map((n) => [n, 'BYTE_ARRAY', 'UTF8']),
      ['negative_ids', undefined, 'LIST'],
    ]);
    // list<string>: LIST > repeated list > element (UTF8), as pyarrow and DuckDB write lists
    const ids = schema.children.find((c) => c.element.name === 'negative_ids')!;
    expect(ids.children[0].element).toMatchObject({ name: 'list', repetition_type: 'REPEATED' });
    expect(ids.children[0].children[0].element).toMatchObject({ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    const rows = (await parquetReadObjects({ file: buf })) as Record<string, unknown>[];
    expect(rows.length).toBe(2);
    expect(rows[0].negative_ids).toEqual(['0ad-data', 'widelands', 'freeciv']);
    expect(rows[0].negative_1).toBe('=SUM(A1) data files for 0 A.D.');
    const b = new BundleBuilder('out.parquet');
    rows.forEach((r, i) => b.addRow(r, i + 1));
    const bundle = b.finish();
    expect(bundle.issues).toEqual([]);
    expect(byId(bundle)).toEqual(expected(examples.slice(0, 2), { allPositives: false }));
  });
});

describe('datasetCard', () => {
  it('front matter has what the Hub reads: license, language, size_categories, task categories/ids and tags', () => {
    const base = { source: { name: 'd', documents: 10, queries: 5 }, models: [], strategy: 'topk', counts: { examples: 5, rows: 12_345, negatives: 20 } };
    const card = datasetCard({ ...base, format: 'flag-reranker', license: 'mit', language: ['ja'] });
    const front = card.split('---\n')[1];
    expect(front).toContain('license: "mit"\nlanguage:\n- "ja"\nsize_categories:\n- "10K<n<100K"\n');
    expect(front).toContain('task_categories:\n- "text-ranking"\n- "text-retrieval"\ntask_ids:\n- "document-retrieval"\ntags:\n- "flagembedding"');
    const unstated = datasetCard({ ...base, format: 'st-triplet' });
    expect(unstated).toContain('license: "other"');
    expect(unstated).not.toContain('language:');
    expect(unstated).toContain('- "sentence-similarity"');
    expect(unstated).toContain('License: not stated');
    expect(sizeCategory(999)).toBe('n<1K');
    expect(sizeCategory(1000)).toBe('1K<n<10K');
  });

  it('records source, models, strategy, counts and review statistics', () => {
    const card = datasetCard({
      source: { name: 'debian-pkgs', documents: 64553, queries: 43152, split: 'train' },
      models: [{ name: 'pkgs-minilm', spec: 'dense:../shared/models/pkgs-minilm' }, { name: 'bm25' }],
      fusion: 'soft-z',
      reranker: 'pkgs-rerank',
      strategy: 'percpos:0.95',
      settings: { negatives: 5, range: '10:50' },
      format: 'st-ntuple',
      counts: { examples: 100, rows: 100, negatives: 500, skipped: 3 },
      review: { accepted: 450, rejected: 50, promoted: 0, reviewers: 2, kappa: 0.8123 },
    });
    expect(card).toMatch(/^---\n/);
    expect(card).toContain('mined from **debian-pkgs** (split `train`)');
    expect(card).toContain('| documents in source | 64,553 |');
    expect(card).toContain('| retriever | pkgs-minilm (`dense:../shared/models/pkgs-minilm`) |');
    expect(card).toContain('| selection strategy | percpos:0.95 |');
    expect(card).toContain('| range | 10:50 |');
    expect(card).toContain('Rejection rate: 10.0% of 500 judged candidates.');
    expect(card).toContain("Agreement (Cohen's kappa): 0.812.");
    expect(datasetCard({ source: { name: 'a|b', documents: 1, queries: 1 }, models: [], strategy: 'topk', format: 'flag', counts: { examples: 0, rows: 0, negatives: 0 } }))
      .toContain('**a\\|b**');
  });

  it('writes a hostile project name, run name and model spec as literal text, not markup', () => {
    const name = '[click](javascript:alert(1)) <img src=x onerror=alert(1)> **bold** `code` #tag\n# Heading';
    const card = datasetCard({
      title: `${name}: hard negatives`,
      source: { name, documents: 1, queries: 1 },
      models: [{ name: 'm_1', spec: 'dense:a`b' }],
      strategy: 'topk',
      format: 'flag',
      counts: { examples: 0, rows: 0, negatives: 0 },
    });
    const escaped = '\\[click\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\`code\\` \\#tag \\# Heading';
    expect(card).toContain(`# ${escaped}: hard negatives\n`);
    expect(card).toContain(`mined from **${escaped}**`);
    expect(card).toContain('| retriever | m\\_1 (`` dense:a`b ``) |');
    // no unescaped opener of a link, raw HTML or a second heading line is left
    const body = card.slice(card.indexOf('\n---\n') + 5);
    expect(body).not.toMatch(/(^|[^\\])(\[|<img)/);
    expect(body.split('\n').filter((l) => l.startsWith('#'))).toEqual([`# ${escaped}: hard negatives`, '## Counts', '## Mining', '## Human review']);
  });
});

describe('LCE import', () => {
  it('says a token-id group file cannot be read back as text, and points to lce-text', async () => {
    const out = exportTrainingSet(examples.slice(0, 1), 'lce', { tokenIds: (t) => [t.length] });
    const bundle = await importTrainingFile(chunksOf(out.data as string), { file: 'groups.jsonl', format: 'jsonl' });
    expect(bundle.qrels).toEqual([]);
    expect(bundle.issues).toEqual([{ file: 'groups.jsonl', line: 1, reason: expect.stringMatching(/token ids.*lce-text/) }]);
  });
});
