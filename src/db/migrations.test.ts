import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from './migrations';
import { latestThroughput, recordThroughput, throughputModel } from './throughput';
import { corpusCounts, getDocuments } from './corpus';

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
    expect(db.verno).toBe(4);
    const projects = await db.projects.orderBy('updatedAt').toArray();
    expect(projects.map((p) => [p.id, p.updatedAt])).toEqual([
      ['p2', 500],
      ['p1', 1000],
    ]);
    expect(await db.documents.get(['p1', 'd2'])).toEqual({ projectId: 'p1', id: 'd2', title: '', text: 'two' });
    expect(await db.qrels.count()).toBe(1);
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
    expect(db.verno).toBe(4);
    expect(db.tables.map((t) => t.name)).not.toContain('importUndo');
    expect((await db.imports.get('cut'))?.status).toBe('rolled-back');
    expect((await db.imports.get('done'))?.status).toBe('committed');
    expect(await corpusCounts(db, 'p')).toEqual({ documents: 2, queries: 0, qrels: 1, splits: { dev: { qrels: 1, queries: 1, positives: 1 } } });
    expect((await getDocuments(db, 'p', ['d1', 'half'])).map((d) => d?.text)).toEqual(['one', undefined]);
    // The new index and staging table work on the upgraded database.
    await db.documents.put({ projectId: 'p', id: 'd3', title: '', text: 'x', importId: 'imp-x' });
    expect(await db.documents.where('importId').equals('imp-x').count()).toBe(1);
    await db.importStaged.add({ importId: 'imp-x', seq: 0, table: 'documents', rows: [] });
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
    expect(db.verno).toBe(4);
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
});
