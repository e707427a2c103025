import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { QuarryDB } from '../../db/db';
import { corpusCounts, putDocuments } from '../../db/corpus';
import { createProject } from '../../db/projects';
import { textId } from '../../core/formats/ids';
import { runImport } from './importer';
import { IMPORTED_RUN_NAME } from './training';
import { readColumns } from './header';

const blob = (s: string) => new Blob([s]);

describe('runImport (training files)', () => {
  it('FlagEmbedding JSONL: positives become qrels, negatives a reviewable "imported negatives" run', async () => {
    const db = new QuarryDB(`training-${Math.random()}`);
    const p = await createProject(db, 'P');
    const lines = [
      { query: 'text editor', pos: ['vim is an editor'], neg: ['gimp paints', 'bash shell'], neg_scores: [0.5, 0.25] },
      { query: 'image editor', pos: ['gimp paints'], neg: ['vim is an editor'] },
      { query: '', pos: ['x'] },
    ].map((r) => JSON.stringify(r)).join('\n');
    const res = await runImport(db, p.id, { kind: 'training', file: { path: 'train.jsonl', file: blob(lines) }, format: 'jsonl' });
    expect(res.status).toBe('done');
    expect(res.issueCount).toBe(1);
    // 3 distinct texts; 2 queries; 2 qrels; 3 candidates.
    expect(res.counts).toEqual({ documents: 3, queries: 2, qrels: 2, runs: 1, candidates: 3 });
    expect(await corpusCounts(db, p.id)).toMatchObject({ documents: 3, queries: 2, splits: { train: { qrels: 2, queries: 2, positives: 2 } } });
    const run = await db.runs.get(res.runId!);
    expect(run?.name).toBe(IMPORTED_RUN_NAME);
    const q1 = textId('q', 'text editor');
    const cands = await db.candidates.where('[runId+queryId]').equals([res.runId!, q1]).toArray();
    expect(cands.map((c) => [c.docId, c.rank, c.fused]).sort()).toEqual(
      [
        [textId('d', 'gimp paints'), 1, 0.5],
        [textId('d', 'bash shell'), 2, 0.25],
      ].sort(),
    );
  });

  it('pairs CSV with picked columns; a file with no usable rows fails and keeps earlier data', async () => {
    const db = new QuarryDB(`training-${Math.random()}`);
    const p = await createProject(db, 'P');
    await putDocuments(db, p.id, [{ id: 'old', title: '', text: 'kept' }]);
    const csv = 'q,a,extra\n"what is vim","an editor, modal",1\nwhat is gimp,an image tool,2\n';
    expect(await readColumns(blob(csv), 'p.csv', 'csv')).toEqual({ columns: ['q', 'a', 'extra'], detected: undefined, structured: false });
    const ok = await runImport(db, p.id, { kind: 'training', file: { path: 'p.csv', file: blob(csv) }, format: 'csv', queryColumn: 'q', positiveColumn: 'a', split: 'dev' });
    expect(ok.counts).toEqual({ documents: 2, queries: 2, qrels: 2 });
    expect(ok.runId).toBeUndefined();
    const bad = await runImport(db, p.id, { kind: 'training', file: { path: 'p.csv', file: blob(csv) }, format: 'csv', queryColumn: 'nope', positiveColumn: 'a' });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/no usable/);
    expect((await corpusCounts(db, p.id)).documents).toBe(3);
  });
});
