import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { createProject } from './projects';
import { corpusCounts, putDocuments, toDocumentRecord, toQrelRecord } from './corpus';
import {
  beginImport, commitImport, ImportWriter, listImportReports, MAX_STORED_ISSUES, recoverInterruptedImports,
  rollbackImport, saveImportReport,
} from './imports';

async function setup() {
  const db = new QuarryDB(`imports-${Math.random()}`);
  const p = await createProject(db, 'P');
  await putDocuments(db, p.id, [
    { id: 'keep', title: 'Keep', text: 'original' },
    { id: 'over', title: 'Over', text: 'original' },
  ]);
  return { db, p };
}

describe('import journal', () => {
  it('rollback restores overwritten rows and removes added ones, across chunks, newest first', async () => {
    const { db, p } = await setup();
    const imp = await beginImport(db, p.id, ['corpus.jsonl']);
    expect(imp.freshTables.sort()).toEqual(['candidates', 'qrels', 'queries', 'runs']);
    const w = new ImportWriter(db, imp);
    await w.write('documents', [toDocumentRecord(p.id, { id: 'over', title: 'X', text: 'first write' }), toDocumentRecord(p.id, { id: 'new', title: 'N', text: 'n' })]);
    // The same id again in a later chunk: rollback must end at the ORIGINAL row, not the first write.
    await w.write('documents', [toDocumentRecord(p.id, { id: 'over', title: 'Y', text: 'second write' })]);
    await w.write('qrels', [toQrelRecord(p.id, 'dev', { queryId: 'q', docId: 'new', score: 1 })]);
    expect((await db.documents.get([p.id, 'over']))?.text).toBe('second write');
    expect((await corpusCounts(db, p.id)).documents).toBe(3);

    await rollbackImport(db, imp.id);
    expect(await db.documents.where('projectId').equals(p.id).toArray()).toEqual([
      { projectId: p.id, id: 'keep', title: 'Keep', text: 'original' },
      { projectId: p.id, id: 'over', title: 'Over', text: 'original' },
    ]);
    expect(await db.qrels.count()).toBe(0);
    expect(await db.importUndo.count()).toBe(0);
    expect((await db.imports.get(imp.id))?.status).toBe('rolled-back');
    // A rolled-back import cannot be committed or written to any more.
    await expect(commitImport(db, imp.id)).rejects.toThrow(/rolled-back/);
    await expect(w.write('documents', [toDocumentRecord(p.id, { id: 'late', title: '', text: '' })])).rejects.toThrow(/stopped/);
    expect(await db.documents.get([p.id, 'late'])).toBeUndefined();
  });

  it('commit keeps the rows, drops the undo log, and a later rollback is a no-op', async () => {
    const { db, p } = await setup();
    const imp = await beginImport(db, p.id, ['c']);
    await new ImportWriter(db, imp).write('documents', [toDocumentRecord(p.id, { id: 'over', title: 'New', text: 'new' })]);
    await commitImport(db, imp.id);
    await rollbackImport(db, imp.id);
    expect((await db.documents.get([p.id, 'over']))?.text).toBe('new');
    expect(await db.importUndo.count()).toBe(0);
  });

  it('refuses a second concurrent import and rolls back an interrupted one on recovery', async () => {
    const { db, p } = await setup();
    const imp = await beginImport(db, p.id, ['c']);
    await new ImportWriter(db, imp).write('documents', [toDocumentRecord(p.id, { id: 'half', title: '', text: 'x' })]);
    await expect(beginImport(db, p.id, ['d'])).rejects.toThrow(/still running/);
    expect(await recoverInterruptedImports(db)).toBe(0); // still fresh: a live import is left alone
    expect(await recoverInterruptedImports(db, 0)).toBe(1);
    expect(await db.documents.get([p.id, 'half'])).toBeUndefined();
    expect((await corpusCounts(db, p.id)).documents).toBe(2);
  });

  it('stores reports newest first and caps the stored issue list', async () => {
    const { db, p } = await setup();
    const issues = Array.from({ length: MAX_STORED_ISSUES + 5 }, (_, i) => ({ file: 'f', line: i + 1, reason: 'bad' }));
    await saveImportReport(db, { projectId: p.id, at: 1, files: ['a'], counts: {}, issues: [], status: 'done' });
    await saveImportReport(db, { projectId: p.id, at: 2, files: ['b'], counts: {}, issues, status: 'failed' });
    const reports = await listImportReports(db, p.id);
    expect(reports.map((r) => r.files[0])).toEqual(['b', 'a']);
    expect(reports[0].issues.length).toBe(MAX_STORED_ISSUES);
    expect(reports[0].moreIssues).toBe(5);
  });
});
