import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuarryDB } from './db';
import { createProject } from './projects';
import {
  allDocuments, corpusCounts, getDocuments, listDocumentIds, listQrels, listSplits, putDocuments, qrelsOfQuery,
  searchDocuments, toDocumentRecord, toQrelRecord, toQueryRecord,
} from './corpus';
import {
  beginImport, commitImport, ImportWriter, listImportReports, MAX_STORED_ISSUES, recoverImports, rollbackImport,
  saveImportReport,
} from './imports';
import { importLockName, memoryLocks } from './locks';
import { storedRow, storedRowCount, storedRows } from './corpus-blocks';
import type { RunRecord } from './schema';

async function setup() {
  const db = new QuarryDB(`imports-${Math.random()}`);
  const p = await createProject(db, 'P');
  await putDocuments(db, p.id, [
    { id: 'keep', title: 'Keep', text: 'original' },
    { id: 'over', title: 'Over', text: 'original' },
  ]);
  return { db, p };
}

const doc = (pid: string, id: string, text: string) => toDocumentRecord(pid, { id, title: '', text });

/** Holds a lock until release() is called, as a tab that is importing does. */
function holdLock(locks: ReturnType<typeof memoryLocks>, name: string) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const granted = new Promise<void>((ok) => void locks.request(name, { ifAvailable: true }, () => (ok(), held)));
  return { granted, release };
}

afterEach(() => vi.restoreAllMocks());

describe('an import is invisible until it commits (the read path in corpus.ts)', () => {
  it('counts, ids, texts, search, splits and full reads show only committed rows; commit shows them all at once', async () => {
    const { db, p } = await setup();
    const imp = await beginImport(db, p.id, ['corpus.jsonl']);
    const w = new ImportWriter(db, imp);
    await w.write('documents', [doc(p.id, 'over', 'replaced text'), doc(p.id, 'new', 'fresh text')]);
    await w.write('queries', [toQueryRecord(p.id, { id: 'q', text: 'query' })]);
    await w.write('qrels', [toQrelRecord(p.id, 'dev', { queryId: 'q', docId: 'new', score: 1 })]);

    // Mid-import: every reader sees the project exactly as before.
    expect(await corpusCounts(db, p.id)).toEqual({ documents: 2, queries: 0, qrels: 0, splits: {} });
    expect(await listDocumentIds(db, p.id)).toEqual(['keep', 'over']);
    expect((await getDocuments(db, p.id, ['over', 'new'])).map((d) => d?.text)).toEqual(['original', undefined]);
    expect(await searchDocuments(db, p.id, 'fresh')).toEqual([]);
    expect((await allDocuments(db, p.id)).map((d) => d.text)).toEqual(['original', 'original']);
    expect(await listSplits(db, p.id)).toEqual([]);
    expect(await listQrels(db, p.id)).toEqual([]);
    expect(await qrelsOfQuery(db, p.id, 'q')).toEqual([]);

    await commitImport(db, imp.id);
    expect(await corpusCounts(db, p.id)).toEqual({ documents: 3, queries: 1, qrels: 1, splits: { dev: { qrels: 1, queries: 1, positives: 1 } } });
    expect((await getDocuments(db, p.id, ['over', 'new'])).map((d) => d?.text)).toEqual(['replaced text', 'fresh text']);
    expect(await searchDocuments(db, p.id, 'fresh')).toEqual(['new']);
    expect(await listSplits(db, p.id)).toEqual(['dev']);
    expect(await db.importStaged.count()).toBe(0);
    // A committed import is never rolled back.
    await rollbackImport(db, imp.id);
    expect((await corpusCounts(db, p.id)).documents).toBe(3);
  });

  it('rollback removes every row it wrote and leaves earlier rows exactly as they were; it cannot be written to or committed after', async () => {
    const { db, p } = await setup();
    const imp = await beginImport(db, p.id, ['corpus.jsonl']);
    const w = new ImportWriter(db, imp);
    await w.write('documents', [doc(p.id, 'over', 'first write'), doc(p.id, 'new', 'n')]);
    await w.write('documents', [doc(p.id, 'over', 'second write')]);
    await w.write('qrels', [toQrelRecord(p.id, 'dev', { queryId: 'q', docId: 'new', score: 1 })]);
    await rollbackImport(db, imp.id);
    expect(await storedRows(db, p.id, 'documents')).toEqual([
      { projectId: p.id, id: 'keep', title: 'Keep', text: 'original' },
      { projectId: p.id, id: 'over', title: 'Over', text: 'original' },
    ]);
    expect(await storedRowCount(db, 'qrels')).toBe(0);
    expect(await db.importStaged.count()).toBe(0);
    expect((await db.imports.get(imp.id))?.status).toBe('rolled-back');
    await expect(commitImport(db, imp.id)).rejects.toThrow(/rolled-back/);
    await expect(w.write('documents', [doc(p.id, 'late', '')])).rejects.toThrow(/stopped/);
    expect(await storedRow(db, p.id, 'documents', 'late')).toBeUndefined();
  });

  it('the run of imported negatives exists only after commit; rollback also deletes its candidates', async () => {
    const { db, p } = await setup();
    const run = { id: 'run-imp', projectId: p.id, name: 'imported negatives', createdAt: 1, status: 'done', stages: {}, config: {} } as unknown as RunRecord;
    const cand = { runId: run.id, projectId: p.id, queryId: 'q', docId: 'keep', rank: 1, fused: 0, members: {}, flags: [] };
    for (const outcome of ['rollback', 'commit'] as const) {
      const imp = await beginImport(db, p.id, ['train.jsonl']);
      const w = new ImportWriter(db, imp);
      await w.write('runs', [run]);
      await w.write('candidates', [cand]);
      expect(await db.runs.get(run.id)).toBeUndefined();
      if (outcome === 'rollback') {
        await rollbackImport(db, imp.id);
        expect(await db.candidates.count()).toBe(0);
        expect(await db.runs.count()).toBe(0);
      } else {
        await commitImport(db, imp.id);
        expect((await db.runs.get(run.id))?.name).toBe('imported negatives');
        expect(await db.candidates.count()).toBe(1);
      }
    }
  });
});

describe('recovery: exactly the imports whose lock nobody holds, no time window', () => {
  it('rolls back an interrupted import at once, leaves a live one alone, and reports what it did', async () => {
    const { db, p } = await setup();
    const other = await createProject(db, 'Other');
    const locks = memoryLocks();
    const dead = await beginImport(db, p.id, ['corpus.jsonl']);
    await new ImportWriter(db, dead).write('documents', [doc(p.id, 'half', 'x')]);
    // A tab is importing into the other project right now: it holds that project's lock.
    const live = holdLock(locks, importLockName(other.id));
    await live.granted;
    const running = await beginImport(db, other.id, ['c.jsonl']);
    await new ImportWriter(db, running).write('documents', [doc(other.id, 'busy', 'y')]);

    const res = await recoverImports(db, locks);
    expect(res.rolledBack.map((i) => i.id)).toEqual([dead.id]);
    expect(res.failed).toEqual([]);
    expect(await storedRow(db, p.id, 'documents', 'half')).toBeUndefined();
    expect((await db.imports.get(dead.id))?.status).toBe('rolled-back');
    const [report] = await listImportReports(db, p.id);
    expect(report).toMatchObject({ status: 'failed', importId: dead.id, files: ['corpus.jsonl'] });
    expect(report.error).toMatch(/interrupted.*rolled back/);
    // The live import is untouched and still hidden; once its tab is gone, recovery takes it.
    expect((await db.imports.get(running.id))?.status).toBe('running');
    expect(await storedRow(db, other.id, 'documents', 'busy')).toBeDefined();
    expect((await corpusCounts(db, other.id)).documents).toBe(0);
    live.release();
    await new Promise((r) => setTimeout(r, 0));
    expect((await recoverImports(db, locks)).rolledBack.map((i) => i.id)).toEqual([running.id]);
    expect(await storedRow(db, other.id, 'documents', 'busy')).toBeUndefined();
  });

  it('a new import into the project rolls back a dead one first instead of being refused', async () => {
    const { db, p } = await setup();
    const dead = await beginImport(db, p.id, ['a']);
    await new ImportWriter(db, dead).write('documents', [doc(p.id, 'half', 'x')]);
    const next = await beginImport(db, p.id, ['b']);
    expect((await db.imports.get(dead.id))?.status).toBe('rolled-back');
    expect(await storedRow(db, p.id, 'documents', 'half')).toBeUndefined();
    expect(next.status).toBe('running');
  });

  it('a rollback that cannot finish says so, keeps the rows hidden, and the next recovery finishes it', async () => {
    const { db, p } = await setup();
    const imp = await beginImport(db, p.id, ['corpus.jsonl']);
    await new ImportWriter(db, imp).write('documents', [doc(p.id, 'new', 'x'), doc(p.id, 'over', 'changed')]);
    const full = () => Promise.reject(Object.assign(new Error('full'), { name: 'QuotaExceededError' }));
    const update = vi.spyOn(db.imports, 'update').mockImplementation(full as never);
    await expect(rollbackImport(db, imp.id)).rejects.toThrow(/full/);
    expect(update.mock.calls.length).toBe(3); // retried
    expect((await db.imports.get(imp.id))?.status).toBe('running');
    expect(await corpusCounts(db, p.id)).toMatchObject({ documents: 2 });
    expect((await getDocuments(db, p.id, ['over']))[0]?.text).toBe('original');
    update.mockRestore();
    expect((await recoverImports(db, memoryLocks())).rolledBack.map((i) => i.id)).toEqual([imp.id]);
    expect((await db.imports.get(imp.id))?.status).toBe('rolled-back');
    expect(await storedRowCount(db, 'documents')).toBe(2);
  });
});

describe('import reports', () => {
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
