import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { LATEST_SCHEMA_VERSION, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4 } from './migrations';
import { latestThroughput, recordThroughput, throughputModel } from './throughput';
import {
  allDocuments, allQueries, corpusCounts, getDocuments, getQueries, judgementsOf, listDocumentIds, listQrels, listQueryIds,
  putDocuments, searchDocuments,
} from './corpus';
import { storedRowCount } from './corpus-blocks';
import { beginImport, commitImport, ImportWriter } from './imports';
import { debianSlice } from '../workers/mine/test-fixtures';
import type { DocumentRecord, QrelRecord, QueryRecord } from './schema';

describe('schema migrations', () => {
  it('upgrades a v1 database to v2 with its data intact and updatedAt filled', async () => {
    const name = `mig-${Math.random()}`;
    // A database exactly as version 1 of the app wrote it.
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.open();
    await v1.table('projects').bulkAdd([
      { id: 'p1', name: 'Old', createdAt: 1000, guidelines: '' },
      { id: 'p2', name: 'Older', createdAt: 500, guidelines: 'g' },
    ]);
    await v1.table('documents').bulkAdd([
      { projectId: 'p1', id: 'd1', title: 'T', text: 'one' },
      { projectId: 'p1', id: 'd2', title: '', text: 'two' },
    ]);
    await v1.table('qrels').add({ projectId: 'p1', split: 'dev', queryId: 'q1', docId: 'd1', score: 1, source: 'import' });
    expect(v1.verno).toBe(1);
    v1.close();

    const db = new QuarryDB(name);
    await db.open();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    const projects = await db.projects.orderBy('updatedAt').toArray();
    expect(projects.map((p) => [p.id, p.updatedAt])).toEqual([
      ['p2', 500],
      ['p1', 1000],
    ]);
    expect((await getDocuments(db, 'p1', ['d2']))[0]).toEqual({ projectId: 'p1', id: 'd2', title: '', text: 'two' });
    expect(await listQrels(db, 'p1')).toEqual([{ projectId: 'p1', split: 'dev', queryId: 'q1', docId: 'd1', score: 1, source: 'import' }]);
    // The journal table exists and works.
    await db.imports.add({ id: 'i', projectId: 'p1', status: 'running', startedAt: 1, updatedAt: 1, files: [], freshTables: [] });
    expect(await db.imports.where('status').equals('running').count()).toBe(1);
    db.close();
  });

  it('upgrades v2 to v3: rows intact and visible, a v2 import left running is rolled back with its undo log, importUndo goes', async () => {
    const name = `mig3-${Math.random()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2);
    await v2.open();
    await v2.table('projects').add({ id: 'p', name: 'P', createdAt: 1, updatedAt: 1, guidelines: '' });
    // Committed data, then a v2 import cut short: it added 'half' and overwrote 'd1' in place.
    await v2.table('documents').bulkAdd([
      { projectId: 'p', id: 'd1', title: 'T', text: 'overwritten by the unfinished import' },
      { projectId: 'p', id: 'd2', title: '', text: 'two' },
      { projectId: 'p', id: 'half', title: '', text: 'from the unfinished import' },
    ]);
    await v2.table('qrels').add({ projectId: 'p', split: 'dev', queryId: 'q1', docId: 'd1', score: 1, source: 'import' });
    await v2.table('imports').bulkAdd([
      { id: 'done', projectId: 'p', status: 'committed', startedAt: 1, updatedAt: 1, files: ['a'], freshTables: [] },
      { id: 'cut', projectId: 'p', status: 'running', startedAt: 2, updatedAt: 2, files: ['b'], freshTables: [] },
    ]);
    await v2.table('importUndo').add({
      importId: 'cut',
      seq: 0,
      table: 'documents',
      added: [['p', 'half']],
      replaced: [{ projectId: 'p', id: 'd1', title: 'T', text: 'one' }],
    });
    v2.close();

    const db = new QuarryDB(name);
    await db.open();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name)).not.toContain('importUndo');
    expect((await db.imports.get('cut'))?.status).toBe('rolled-back');
    expect((await db.imports.get('done'))?.status).toBe('committed');
    expect(await corpusCounts(db, 'p')).toEqual({ documents: 2, queries: 0, qrels: 1, splits: { dev: { qrels: 1, queries: 1, positives: 1 } } });
    expect((await getDocuments(db, 'p', ['d1', 'half'])).map((d) => d?.text)).toEqual(['one', undefined]);
    // The staging table works on the upgraded database.
    await db.importStaged.add({ importId: 'imp-x', seq: 0, table: 'runs', rows: [] });
    db.close();
  });

  it('upgrades v3 to v4: data intact, the throughput table keeps one (latest) rate per model and device', async () => {
    const name = `mig4-${Math.random()}`;
    const v3 = new Dexie(name);
    v3.version(1).stores(SCHEMA_V1);
    v3.version(2).stores(SCHEMA_V2);
    v3.version(3).stores(SCHEMA_V3);
    await v3.open();
    await v3.table('projects').add({ id: 'p', name: 'P', createdAt: 1, updatedAt: 1, guidelines: '' });
    await v3.table('models').add({ id: 'm', projectId: null, name: 'm', kind: 'bi-encoder', source: { type: 'bundled', path: 'm' }, settings: {}, createdAt: 1 });
    v3.close();

    const db = new QuarryDB(name);
    await db.open();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect((await db.projects.get('p'))?.name).toBe('P');
    expect((await db.models.get('m'))?.name).toBe('m');
    const model = throughputModel('m', 'q8');
    expect(await latestThroughput(db, model)).toBeUndefined();
    await recordThroughput(db, { model, device: 'wasm', perS: 40, at: 10, source: 'test', items: 16 });
    await recordThroughput(db, { model, device: 'webgpu', perS: 300, at: 20, source: 'run', items: 4300 });
    await recordThroughput(db, { model, device: 'wasm', perS: 53, at: 30, source: 'run', items: 4300 });
    await recordThroughput(db, { model, device: 'wasm', perS: Number.NaN, at: 40, source: 'run', items: 0 }); // ignored
    expect(await db.throughput.count()).toBe(2);
    expect(await latestThroughput(db, model)).toMatchObject({ device: 'wasm', perS: 53, at: 30, source: 'run' });
    db.close();
  });

  it('upgrades v4 to v5 with real Debian rows: every row moves into blocks and reads back the same, review qrels stay, an import v4 left running is rolled back', async () => {
    const name = `mig5-${Math.random()}`;
    const slice = debianSlice(60);
    const docs: DocumentRecord[] = slice.docs.map((d) => ({ projectId: 'p', ...d }));
    const queries: QueryRecord[] = slice.queries.map((q) => ({ projectId: 'p', ...q }));
    const qrels: QrelRecord[] = slice.qrels.map((q) => ({ projectId: 'p', split: 'dev', ...q, source: 'import' }));
    const promoted: QrelRecord = { projectId: 'p', split: 'dev', queryId: queries[0].id, docId: docs[5].id, score: 1, source: 'review' };
    expect(docs.length).toBeGreaterThan(500);
    const v4 = new Dexie(name);
    v4.version(1).stores(SCHEMA_V1);
    v4.version(2).stores(SCHEMA_V2);
    v4.version(3).stores(SCHEMA_V3);
    v4.version(4).stores(SCHEMA_V4);
    await v4.open();
    await v4.table('projects').bulkAdd([
      { id: 'p', name: 'Debian', createdAt: 1, updatedAt: 1, guidelines: '' },
      { id: 'other', name: 'Other', createdAt: 2, updatedAt: 2, guidelines: '' },
    ]);
    // Committed rows (some tagged by the committed import that wrote them), and a review-promoted qrel.
    await v4.table('documents').bulkAdd(docs.map((d, i) => (i % 2 ? { ...d, importId: 'imp-done' } : d)));
    await v4.table('queries').bulkAdd(queries);
    await v4.table('qrels').bulkAdd([...qrels, promoted]);
    await v4.table('documents').add({ projectId: 'other', id: docs[0].id, title: 'same id, other project', text: 'x' });
    // An import cut short: a new document (tagged, hidden), an overwrite waiting in staging, a staged run with a candidate.
    await v4.table('imports').bulkAdd([
      { id: 'imp-done', projectId: 'p', status: 'committed', startedAt: 1, updatedAt: 1, files: ['corpus.jsonl'], freshTables: [] },
      { id: 'imp-cut', projectId: 'p', status: 'running', startedAt: 2, updatedAt: 2, files: ['more.jsonl'], freshTables: [] },
    ]);
    await v4.table('documents').add({ projectId: 'p', id: 'half', title: '', text: 'from the unfinished import', importId: 'imp-cut' });
    await v4.table('qrels').add({ projectId: 'p', split: 'dev', queryId: queries[1].id, docId: 'half', score: 1, source: 'import', importId: 'imp-cut' });
    await v4.table('importStaged').bulkAdd([
      { importId: 'imp-cut', seq: 0, table: 'documents', rows: [{ ...docs[0], text: 'overwrite never committed', importId: 'imp-cut' }] },
      { importId: 'imp-cut', seq: 1, table: 'runs', rows: [{ id: 'run-cut', projectId: 'p', name: 'imported negatives' }] },
    ]);
    await v4.table('candidates').add({ runId: 'run-cut', projectId: 'p', queryId: queries[0].id, docId: docs[1].id, rank: 1, fused: 0, members: {}, flags: [] });
    v4.close();

    const db = new QuarryDB(name);
    await db.open();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    const tables = db.tables.map((t) => t.name);
    expect(tables).not.toContain('documents');
    expect(tables).not.toContain('queries');
    // The interrupted import is rolled back, staged rows and its run's candidates with it.
    expect((await db.imports.get('imp-cut'))?.status).toBe('rolled-back');
    expect(await db.importStaged.count()).toBe(0);
    expect(await db.candidates.count()).toBe(0);
    // Every committed row reads back exactly; nothing of the cut import does.
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    const plain = docs.map(({ projectId, id, title, text }) => ({ projectId, id, title, text })).sort(byId);
    expect(await allDocuments(db, 'p')).toEqual(plain);
    expect(await allQueries(db, 'p')).toEqual([...queries].sort(byId));
    expect(await listDocumentIds(db, 'p')).toEqual(plain.map((d) => d.id));
    expect(await listQueryIds(db, 'p')).toEqual(queries.map((q) => q.id).sort());
    expect(await getDocuments(db, 'p', [docs[7].id, 'half', docs[0].id])).toEqual([plain.find((d) => d.id === docs[7].id), undefined, plain.find((d) => d.id === docs[0].id)]);
    expect((await getQueries(db, 'p', [queries[2].id]))[0]).toEqual(queries[2]);
    const key = (q: QrelRecord) => `${q.split}|${q.queryId}|${q.docId}`;
    expect((await listQrels(db, 'p')).map((q) => `${key(q)}|${q.score}|${q.source}`).sort()).toEqual(
      [...qrels, promoted].map((q) => `${key(q)}|${q.score}|${q.source}`).sort(),
    );
    expect(await corpusCounts(db, 'p')).toMatchObject({ documents: docs.length, queries: queries.length, qrels: qrels.length + 1 });
    expect((await judgementsOf(db, 'p', queries[0].id)).map((j) => j.qrel.docId)).toContain(docs[5].id);
    expect(await searchDocuments(db, 'p', 'from the unfinished import')).toEqual([]);
    expect((await getDocuments(db, 'other', [docs[0].id]))[0]?.title).toBe('same id, other project');
    // Stored as blocks: far fewer records than rows; the qrels table keeps only the promoted qrel.
    expect(await storedRowCount(db, 'documents', 'p')).toBe(docs.length);
    expect(await db.corpusBlocks.where('[projectId+kind+blockId]').between(['p', 'documents', ''], ['p', 'documents', []]).count()).toBeLessThan(docs.length / 20);
    expect(await db.qrels.toArray()).toEqual([promoted]);
    // The upgraded project takes imports: a re-import of a document replaces it, once.
    const imp = await beginImport(db, 'p', ['corpus.jsonl']);
    await new ImportWriter(db, imp).write('documents', [{ ...plain[3], text: 'imported after the upgrade' }, { projectId: 'p', id: 'new', title: '', text: 'n' }]);
    await commitImport(db, imp.id);
    expect((await getDocuments(db, 'p', [plain[3].id, 'new'])).map((d) => d?.text)).toEqual(['imported after the upgrade', 'n']);
    expect((await corpusCounts(db, 'p')).documents).toBe(docs.length + 1);
    expect(await storedRowCount(db, 'documents', 'p')).toBe(docs.length + 1);
    await putDocuments(db, 'p', [{ id: 'new', title: '', text: 'put again' }]);
    expect(await storedRowCount(db, 'documents', 'p')).toBe(docs.length + 1);
    db.close();
  });
});
