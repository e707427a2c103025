// Import fixtures written as sentence-transformers, FlagEmbedding and Tevatron write them
// (fixtures/README.md): each must import with the right labels, and Parquet files
// (Quarry's own export, and a labeled-pair file with an int64 label) must read too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { chunksOf } from './lines.ts';
import { importTrainingFile, type ImportBundle, type ImportOptions } from './pairs.ts';
import { exportTrainingSet } from './export/index.ts';

const FIX = join(import.meta.dirname, 'fixtures');
const load = (name: string, format: ImportOptions['format']) => importTrainingFile(chunksOf(readFileSync(join(FIX, name)), 97), { file: name, format });

/** "query > first words of doc" for positives and negatives, to compare labels by text. */
function labels(b: ImportBundle) {
  const q = new Map(b.queries.map((x) => [x.id, x.text]));
  const d = new Map(b.docs.map((x) => [x.id, x.text]));
  const word = (id: string) => d.get(id)!.split(':')[0];
  return {
    positives: b.qrels.map((r) => `${q.get(r.queryId)} > ${word(r.docId)}`).sort(),
    negatives: b.candidates.map((r) => `${q.get(r.queryId)} > ${word(r.docId)}`).sort(),
  };
}

describe('import shapes', () => {
  it('mine_hard_negatives labeled pairs (query, answer, label): label 0 rows are negatives, not positives', async () => {
    const b = await load('st-labeled-pair.jsonl', 'jsonl');
    expect(b.issues).toEqual([]);
    const l = labels(b);
    expect(l.positives).toEqual(['Python bindings for Qt 6 Quick 3D module > python3-pyqt6.qtquick3d', 'Vi IMproved - enhanced vi editor > vim']);
    expect(l.negatives).toHaveLength(6);
    expect(l.negatives).toContain('Vi IMproved - enhanced vi editor > nvi');
  });

  it('any two text columns with a 0/1 label in CSV (question, response, label)', async () => {
    const l = labels(await load('labeled-pairs.csv', 'csv'));
    expect(l.positives).toEqual(['less pager > less']);
    expect(l.negatives).toEqual(['less pager > more', 'less pager > most']);
  });

  it('labeled-list: labels 1/0 per text, scores kept', async () => {
    const b = await load('st-labeled-list.jsonl', 'jsonl');
    expect(b.issues).toEqual([]);
    expect(labels(b)).toEqual({ positives: ['Vi IMproved - enhanced vi editor > vim'], negatives: ['Vi IMproved - enhanced vi editor > neovim', 'Vi IMproved - enhanced vi editor > nvi'] });
    expect(b.candidates.map((c) => c.score).sort()).toEqual([0.7, 0.74]);
    expect(b.positiveScores.map((c) => c.score)).toEqual([0.91]);
  });

  it('n-tuple-scores: the score list gives the positive and each negative its score', async () => {
    const b = await load('st-ntuple-scores.jsonl', 'jsonl');
    expect(b.issues).toEqual([]);
    expect(b.positiveScores.map((c) => c.score)).toEqual([8.25]);
    expect(b.candidates.map((c) => c.score)).toEqual([-1.5, 0.75]);
  });

  it('query/response column names need no manual pick', async () => {
    const b = await load('query-response.jsonl', 'jsonl');
    expect(b.issues).toEqual([]);
    expect(labels(b).positives).toEqual(['less pager > less']);
  });

  it('FlagEmbedding with teacher scores and a prompt', async () => {
    const b = await load('flagembedding.jsonl', 'jsonl');
    expect(b.issues).toEqual([]);
    expect(labels(b).negatives).toHaveLength(2);
    expect(Object.values(b.prompts)).toEqual(['Represent this sentence for searching relevant passages: ']);
  });

  it('Tevatron rows: docid, title and text per passage', async () => {
    const b = await load('tevatron.jsonl', 'jsonl');
    expect(b.issues).toEqual([]);
    expect(b.qrels).toEqual([{ queryId: 'q-vim', docId: 'vim', score: 1 }]);
    expect(b.candidates.map((c) => c.docId)).toEqual(['nvi', 'neovim']);
    expect(b.docs.find((d) => d.id === 'vim')).toEqual({ id: 'vim', title: 'vim', text: 'Vim is an almost compatible version of the UNIX editor Vi.' });
  });

  it("Parquet: Quarry's own n-tuple export with list<string> ids, and a labeled-pair file with an int64 label", async () => {
    const examples = [
      { queryId: 'q1', query: 'less pager', positives: [{ id: 'less', text: 'less: pager' }], negatives: [{ id: 'most', text: 'most: pager' }, { id: 'more', text: 'more: pager' }] },
    ];
    const own = exportTrainingSet(examples, 'parquet', { withIds: true }).data as Uint8Array;
    const b = await importTrainingFile(chunksOf(own, 50), { file: 'train.parquet', format: 'parquet' });
    expect(b.issues).toEqual([]);
    expect(b.qrels).toEqual([{ queryId: 'q1', docId: 'less', score: 1 }]);
    expect(b.candidates.map((c) => c.docId)).toEqual(['most', 'more']);
    const st = parquetWriteBuffer({
      columnData: [
        { name: 'query', data: ['less pager', 'less pager'], type: 'STRING' },
        { name: 'answer', data: ['less: pager', 'most: pager'], type: 'STRING' },
        { name: 'label', data: [1n, 0n], type: 'INT64' },
      ],
    });
    const l = labels(await importTrainingFile(chunksOf(new Uint8Array(st)), { file: 'pairs.parquet', format: 'parquet' }));
    expect(l).toEqual({ positives: ['less pager > less'], negatives: ['less pager > most'] });
    const bad = await importTrainingFile(chunksOf('not parquet'), { file: 'x.parquet', format: 'parquet' });
    expect(bad.issues[0].reason).toMatch(/not a readable Parquet file/);
  });
});
