import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { SCHEMA_V1 } from './migrations';

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
    expect(db.verno).toBe(2);
    const projects = await db.projects.orderBy('updatedAt').toArray();
    expect(projects.map((p) => [p.id, p.updatedAt])).toEqual([
      ['p2', 500],
      ['p1', 1000],
    ]);
    expect(await db.documents.get(['p1', 'd2'])).toEqual({ projectId: 'p1', id: 'd2', title: '', text: 'two' });
    expect(await db.qrels.count()).toBe(1);
    // The new journal tables exist and work.
    await db.imports.add({ id: 'i', projectId: 'p1', status: 'running', startedAt: 1, updatedAt: 1, files: [], freshTables: [] });
    expect(await db.imports.where('status').equals('running').count()).toBe(1);
    db.close();
  });
});
