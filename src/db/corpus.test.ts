import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { QuarryDB } from './db';
import { createProject } from './projects';
import {
  basicCounts, corpusCounts, getDocuments, judgementsOf, listDocumentIds, listSplits, putDocuments, putQrels, putQueries,
  listQueryIds, queriesJudging, searchDocuments, searchQueries, WRITE_CHUNK,
} from './corpus';
import { BLOCK_ROWS, storedRowCount } from './corpus-blocks';
import { beginImport, commitImport, ImportWriter } from './imports';
import type { DocumentRecord } from './schema';

describe('corpus repository', () => {
  it('writes more than one chunk, counts, lists ids in order and reads by id', async () => {
    const db = new QuarryDB(`corpus-${Math.random()}`);
    const p = await createProject(db, 'P');
    const other = await createProject(db, 'Other');
    const n = WRITE_CHUNK + 7;
    const docs = Array.from({ length: n }, (_, i) => ({ id: `d${String(i).padStart(5, '0')}`, title: `T${i}`, text: `text ${i}` }));
    await putDocuments(db, p.id, docs);
    await putDocuments(db, other.id, [{ id: 'zz', title: '', text: 'other project' }]);
    await putQueries(db, p.id, [{ id: 'q1', text: 'first Query' }, { id: 'q2', text: 'second' }]);
    await putQrels(db, p.id, 'dev', [
      { queryId: 'q1', docId: 'd00001', score: 1 },
      { queryId: 'q1', docId: 'd00002', score: 2 },
      { queryId: 'q2', docId: 'd00003', score: 0 },
    ]);
    await putQrels(db, p.id, 'train', [{ queryId: 'q2', docId: 'd00004', score: 1 }]);

    expect(await corpusCounts(db, p.id)).toEqual({
      documents: n, queries: 2, qrels: 4,
      splits: { dev: { qrels: 3, queries: 2, positives: 2 }, train: { qrels: 1, queries: 1, positives: 1 } },
    });
    expect(await basicCounts(db, p.id)).toEqual({ documents: n, queries: 2 });
    expect(await basicCounts(db, other.id)).toEqual({ documents: 1, queries: 0 });
    const ids = await listDocumentIds(db, p.id);
    expect(ids.length).toBe(n);
    expect(ids[0]).toBe('d00000');
    expect(ids[n - 1]).toBe(`d${String(n - 1).padStart(5, '0')}`);
    const got = await getDocuments(db, p.id, ['d00005', 'missing', 'd00001']);
    expect(got.map((d) => d?.text)).toEqual(['text 5', undefined, 'text 1']);
    expect(await listSplits(db, p.id)).toEqual(['dev', 'train']);
  });

  it('searches ids, titles and text case-insensitively, all words must match', async () => {
    const db = new QuarryDB(`corpus-${Math.random()}`);
    const p = await createProject(db, 'P');
    await putDocuments(db, p.id, [
      { id: 'vim', title: 'Vim', text: 'Vi IMproved, a programmer text editor' },
      { id: 'emacs', title: 'GNU Emacs', text: 'The extensible self-documenting text editor' },
      { id: 'nano', title: 'nano', text: 'small, friendly text editor' },
      { id: 'gimp', title: 'GIMP', text: 'image manipulation program' },
    ]);
    expect(await searchDocuments(db, p.id, 'EDITOR')).toEqual(['emacs', 'nano', 'vim']);
    expect(await searchDocuments(db, p.id, 'text  gnu')).toEqual(['emacs']);
    expect(await searchDocuments(db, p.id, 'gimp')).toEqual(['gimp']);
    expect(await searchDocuments(db, p.id, 'editor', 2)).toEqual(['emacs', 'nano']);
    expect(await searchDocuments(db, p.id, '   ')).toEqual(['emacs', 'gimp', 'nano', 'vim']);
    await putQueries(db, p.id, [{ id: 'q-vim', text: 'Vi IMproved' }, { id: 'q-x', text: 'other' }]);
    expect(await searchQueries(db, p.id, 'improved')).toEqual(['q-vim']);
    expect(await searchQueries(db, p.id, 'q-')).toEqual(['q-vim', 'q-x']);
  });

  it('lists the judged documents of a query, best first, and the queries of a document', async () => {
    const db = new QuarryDB(`corpus-${Math.random()}`);
    const p = await createProject(db, 'P');
    await putDocuments(db, p.id, [{ id: 'a', title: 'A', text: 'a' }, { id: 'b', title: 'B', text: 'b' }]);
    await putQrels(db, p.id, 'dev', [
      { queryId: 'q', docId: 'a', score: 1 },
      { queryId: 'q', docId: 'b', score: 2 },
      { queryId: 'q', docId: 'gone', score: 1 },
      { queryId: 'r', docId: 'a', score: 0 },
    ]);
    const j = await judgementsOf(db, p.id, 'q');
    expect(j.map((x) => [x.qrel.docId, x.qrel.score, x.doc?.title])).toEqual([
      ['b', 2, 'B'],
      ['a', 1, 'A'],
      ['gone', 1, undefined],
    ]);
    expect((await queriesJudging(db, p.id, 'a')).map((q) => q.queryId)).toEqual(['q']);
  });

  it('stores rows in blocks: far fewer records than rows, and a lookup by id reads one block', async () => {
    const db = new QuarryDB(`corpus-${Math.random()}`);
    const p = await createProject(db, 'P');
    const n = 3 * BLOCK_ROWS;
    await putDocuments(db, p.id, Array.from({ length: n }, (_, i) => ({ id: `d${String(i).padStart(5, '0')}`, title: '', text: `t${i}` })));
    expect(await db.corpusBlocks.count()).toBeLessThanOrEqual(4);
    expect(await listDocumentIds(db, p.id)).toHaveLength(n);
    const gets = vi.spyOn(db.corpusBlocks, 'bulkGet');
    expect((await getDocuments(db, p.id, ['d01234']))[0]?.text).toBe('t1234');
    expect(gets.mock.calls.map((c) => c[0].length)).toEqual([1]);
    gets.mockRestore();
  });

  it('an id repeated within an import or across imports keeps its last row, stored once; rows not replaced stay as they were', async () => {
    const db = new QuarryDB(`corpus-${Math.random()}`);
    const p = await createProject(db, 'P');
    const d = (id: string, text: string): DocumentRecord => ({ projectId: p.id, id, title: id, text });
    const first = await beginImport(db, p.id, ['corpus.jsonl']);
    const w = new ImportWriter(db, first);
    await w.write('documents', [d('a', 'a1'), d('b', 'b1'), d('a', 'a2')]);
    await w.write('documents', [d('c', 'c1'), d('b', 'b2')]);
    await w.write('queries', [{ projectId: p.id, id: 'q', text: 'q1' }]);
    await commitImport(db, first.id);
    expect((await getDocuments(db, p.id, ['a', 'b', 'c'])).map((x) => x?.text)).toEqual(['a2', 'b2', 'c1']);
    expect(await corpusCounts(db, p.id)).toMatchObject({ documents: 3, queries: 1 });
    expect(await storedRowCount(db, 'documents', p.id)).toBe(3);
    // A second import replaces b and adds d; a and c are untouched.
    const second = await beginImport(db, p.id, ['more.jsonl']);
    await new ImportWriter(db, second).write('documents', [d('b', 'b3'), d('d', 'd1')]);
    expect((await getDocuments(db, p.id, ['b', 'd'])).map((x) => x?.text)).toEqual(['b2', undefined]);
    await commitImport(db, second.id);
    expect((await getDocuments(db, p.id, ['a', 'b', 'c', 'd'])).map((x) => x?.text)).toEqual(['a2', 'b3', 'c1', 'd1']);
    expect(await listDocumentIds(db, p.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(await storedRowCount(db, 'documents', p.id)).toBe(4);
    expect(await searchDocuments(db, p.id, 'b2')).toEqual([]);
    expect(await listQueryIds(db, p.id)).toEqual(['q']);
  });

  it('another tab (a second database object) sees a commit at once: views are rebuilt when the blocks change', async () => {
    const name = `corpus-${Math.random()}`;
    const tabA = new QuarryDB(name);
    const tabB = new QuarryDB(name);
    const p = await createProject(tabA, 'P');
    await putDocuments(tabA, p.id, [{ id: 'x', title: '', text: 'old' }]);
    expect((await getDocuments(tabB, p.id, ['x']))[0]?.text).toBe('old');
    expect(await basicCounts(tabB, p.id)).toEqual({ documents: 1, queries: 0 });
    const imp = await beginImport(tabA, p.id, ['corpus.jsonl']);
    await new ImportWriter(tabA, imp).write('documents', [{ projectId: p.id, id: 'x', title: '', text: 'new' }, { projectId: p.id, id: 'y', title: '', text: 'y' }]);
    expect((await getDocuments(tabB, p.id, ['x', 'y'])).map((r) => r?.text)).toEqual(['old', undefined]);
    await commitImport(tabA, imp.id);
    expect((await getDocuments(tabB, p.id, ['x', 'y'])).map((r) => r?.text)).toEqual(['new', 'y']);
    expect(await listDocumentIds(tabB, p.id)).toEqual(['x', 'y']);
    tabA.close();
    tabB.close();
  });
});
