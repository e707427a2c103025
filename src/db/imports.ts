// Import journal: makes an import atomic without holding a 64k-row file in memory.
//
// Rows are written to the real tables chunk by chunk as the file streams in (so a big
// import is fast and memory stays flat). Every chunk also records, in the same
// transaction, which keys it created and which rows it overwrote. Commit drops that
// undo log; rollback (failure, cancel, or a tab closed mid-import, found on the next
// start) replays it backwards, so everything stored before the import is back exactly.
import type { Table } from 'dexie';
import type { QuarryDB } from './db';
import type { ImportRecord, ImportReportRecord, ImportUndoRecord, UndoTable } from './schema';
import { newId } from './ids';
import { prefixRange } from './keyrange';

/** A 'running' import whose heartbeat is older than this was interrupted. */
export const STALE_IMPORT_MS = 60_000;
/** Stored reports keep this many issues; the rest are counted in `moreIssues`. */
export const MAX_STORED_ISSUES = 10_000;

const PROJECT_TABLES: UndoTable[] = ['documents', 'queries', 'qrels'];

function table(db: QuarryDB, name: UndoTable): Table<unknown, unknown> {
  return db.table(name) as Table<unknown, unknown>;
}

function keyOf(name: UndoTable, row: Record<string, unknown>): unknown {
  switch (name) {
    case 'documents':
    case 'queries':
      return [row.projectId, row.id];
    case 'qrels':
      return [row.projectId, row.split, row.queryId, row.docId];
    case 'runs':
      return row.id;
    case 'candidates':
      return [row.runId, row.queryId, row.docId];
  }
}

async function projectHasRows(db: QuarryDB, name: UndoTable, projectId: string): Promise<boolean> {
  const n = await db
    .table(name)
    .where(name === 'qrels' ? '[projectId+split+queryId+docId]' : '[projectId+id]')
    .between(...prefixRange(projectId, name === 'qrels' ? 4 : 2), true, true)
    .limit(1)
    .count();
  return n > 0;
}

/** Starts an import into a project; refuses while another import of it is running. */
export async function beginImport(db: QuarryDB, projectId: string, files: string[]): Promise<ImportRecord> {
  return db.transaction('rw', [db.imports, db.documents, db.queries, db.qrels, db.projects], async () => {
    if (!(await db.projects.get(projectId))) throw new Error(`No project with id ${projectId}.`);
    const running = await db.imports.where('projectId').equals(projectId).filter((i) => i.status === 'running').first();
    if (running && Date.now() - running.updatedAt < STALE_IMPORT_MS) {
      throw new Error('Another import into this project is still running.');
    }
    const freshTables: string[] = ['runs', 'candidates'];
    for (const t of PROJECT_TABLES) if (!(await projectHasRows(db, t, projectId))) freshTables.push(t);
    const now = Date.now();
    const rec: ImportRecord = { id: newId('imp'), projectId, status: 'running', startedAt: now, updatedAt: now, files, freshTables };
    await db.imports.add(rec);
    return rec;
  });
}

/**
 * Writes rows of an import into a real table, journalled. `imp` is the record from
 * beginImport; its seq counter lives in the caller (one writer per import).
 */
export class ImportWriter {
  private seq = 0;
  constructor(
    private readonly db: QuarryDB,
    readonly imp: ImportRecord,
  ) {}

  async write(name: UndoTable, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const db = this.db;
    const t = table(db, name);
    const keys = rows.map((r) => keyOf(name, r as Record<string, unknown>));
    const fresh = this.imp.freshTables.includes(name);
    const seq = this.seq++;
    await db.transaction('rw', [t, db.importUndo, db.imports], async () => {
      const current = await db.imports.get(this.imp.id);
      if (!current || current.status !== 'running') throw new Error('The import was stopped.');
      let added: unknown[] = keys;
      let replaced: unknown[] = [];
      // A table that had no rows of this project when the import began needs no backup:
      // everything in it now came from this import.
      if (!fresh) {
        const before = await t.bulkGet(keys);
        added = [];
        replaced = [];
        before.forEach((row, i) => (row === undefined ? added.push(keys[i]) : replaced.push(row)));
      }
      await t.bulkPut(rows as unknown[]);
      const undo: ImportUndoRecord = { importId: this.imp.id, seq, table: name, added, replaced };
      await db.importUndo.add(undo);
      await db.imports.update(this.imp.id, { updatedAt: Date.now() });
    });
  }
}

/** Makes the import permanent: drops its undo log. */
export async function commitImport(db: QuarryDB, importId: string): Promise<void> {
  await db.transaction('rw', [db.imports, db.importUndo], async () => {
    const imp = await db.imports.get(importId);
    if (!imp) throw new Error(`No import ${importId}.`);
    if (imp.status !== 'running') throw new Error(`Import ${importId} is ${imp.status}, cannot commit.`);
    await db.importUndo.where('importId').equals(importId).delete();
    await db.imports.update(importId, { status: 'committed', updatedAt: Date.now() });
  });
}

/** Undoes every chunk the import wrote, newest first, in one transaction. */
export async function rollbackImport(db: QuarryDB, importId: string): Promise<void> {
  const tables = [db.imports, db.importUndo, db.documents, db.queries, db.qrels, db.runs, db.candidates];
  await db.transaction('rw', tables, async () => {
    const imp = await db.imports.get(importId);
    if (!imp || imp.status !== 'running') return;
    const undo = await db.importUndo.where('importId').equals(importId).toArray();
    undo.sort((a, b) => b.seq - a.seq);
    for (const u of undo) {
      const t = table(db, u.table);
      await t.bulkDelete(u.added);
      if (u.replaced.length) await t.bulkPut(u.replaced);
    }
    await db.importUndo.where('importId').equals(importId).delete();
    await db.imports.update(importId, { status: 'rolled-back', updatedAt: Date.now() });
  });
}

/** Rolls back imports left 'running' by a closed tab or crash. Returns how many. */
export async function recoverInterruptedImports(db: QuarryDB, staleMs = STALE_IMPORT_MS): Promise<number> {
  const now = Date.now();
  const stale = await db.imports.where('status').equals('running').filter((i) => now - i.updatedAt >= staleMs).toArray();
  for (const imp of stale) await rollbackImport(db, imp.id);
  return stale.length;
}

/** Marks a running import as alive (call during long pauses between chunks). */
export async function heartbeat(db: QuarryDB, importId: string): Promise<void> {
  await db.imports.update(importId, { updatedAt: Date.now() });
}

export async function saveImportReport(db: QuarryDB, report: Omit<ImportReportRecord, 'id'>): Promise<number> {
  let stored = report;
  if (report.issues.length > MAX_STORED_ISSUES) {
    stored = {
      ...report,
      issues: report.issues.slice(0, MAX_STORED_ISSUES),
      moreIssues: (report.moreIssues ?? 0) + report.issues.length - MAX_STORED_ISSUES,
    };
  }
  return db.importReports.add(stored as ImportReportRecord);
}

/** Import reports of a project, newest first. */
export async function listImportReports(db: QuarryDB, projectId: string): Promise<ImportReportRecord[]> {
  const all = await db.importReports.where('projectId').equals(projectId).toArray();
  return all.sort((a, b) => b.at - a.at || (b.id ?? 0) - (a.id ?? 0));
}
