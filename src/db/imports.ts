// Import journal: an import is invisible until it commits, and an interrupted or failed
// one leaves nothing visible behind, without holding a 64k-row file in memory.
//
// Rows stream into corpus blocks chunk by chunk (src/db/corpus-blocks.ts: a few hundred
// rows per IndexedDB record, fast, flat memory), tagged with the import's id; the one read
// path (src/db/corpus.ts) hides blocks of imports that have not committed. A row whose id
// is already stored does not touch the stored one before the commit: the commit
// transaction removes the replaced rows from their older blocks and flips the status, so
// before it every reader sees exactly what was there before, and after it the new rows.
// The run of imported negatives waits in `importStaged` until the commit. Rollback only
// deletes (blocks, staged rows), which frees space rather than needing it, and it is
// retried; until it finishes the blocks stay hidden.
//
// A live import holds the Web Lock `quarry-import:<projectId>` (src/db/locks.ts) from
// before its record exists until after it commits or rolls back. An import marked
// 'running' whose project lock nobody holds was cut short (tab or browser closed, crash):
// recoverImports, run at app start in every tab, rolls it back. No time window.
import type { Table } from 'dexie';
import type { QuarryDB } from './db';
import type { CorpusKind, ImportRecord, ImportReportRecord, ImportStagedRecord, ImportTable, RunRecord } from './schema';
import { blockNamer, CORPUS_KINDS, deleteImportBlocks, makeBlocks, putBlocks, supersede, type BlockKey, type CorpusRow } from './corpus-blocks';
import { newId } from './ids';
import { getLocks, importLockName, type Locks } from './locks';

/** Stored reports keep this many issues; the rest are counted in `moreIssues`. */
export const MAX_STORED_ISSUES = 10_000;

function table(db: QuarryDB, name: ImportTable): Table<unknown, unknown> {
  return db.table(name) as Table<unknown, unknown>;
}

const isCorpusKind = (name: ImportTable): name is CorpusKind => (CORPUS_KINDS as readonly string[]).includes(name);

/** Ids of a project's imports that have not committed: the read path hides their rows. */
export function uncommittedImports(db: QuarryDB, projectId: string): Promise<string[]> {
  return db.imports
    .where('projectId')
    .equals(projectId)
    .filter((i) => i.status === 'running')
    .primaryKeys();
}

/** A string that changes whenever an import of the project (or of any) begins, commits or rolls back. */
export async function importsVersion(db: QuarryDB, projectId?: string): Promise<string> {
  const all = await (projectId === undefined ? db.imports.toArray() : db.imports.where('projectId').equals(projectId).toArray());
  return all.map((i) => `${i.id}:${i.status}`).sort().join(',');
}

/**
 * Starts an import into a project. The caller holds importLockName(projectId) (runImport
 * does), so any other import of the project still marked 'running' is dead: it is rolled
 * back first.
 */
export async function beginImport(db: QuarryDB, projectId: string, files: string[]): Promise<ImportRecord> {
  for (const id of await uncommittedImports(db, projectId)) await rollbackImport(db, id);
  return db.transaction('rw', [db.imports, db.projects], async () => {
    if (!(await db.projects.get(projectId))) throw new Error(`No project with id ${projectId}.`);
    const now = Date.now();
    const rec: ImportRecord = { id: newId('imp'), projectId, status: 'running', startedAt: now, updatedAt: now, files };
    await db.imports.add(rec);
    return rec;
  });
}

/**
 * Writes rows of an import, hidden until commit. `imp` is the record from beginImport;
 * its counters live here (one writer per import).
 */
export class ImportWriter {
  private seq = 0;
  /** Names the import's blocks in write order (a later row of an id replaces an earlier one at commit). */
  private readonly nextBlock: () => string;
  constructor(
    private readonly db: QuarryDB,
    readonly imp: ImportRecord,
  ) {
    this.nextBlock = blockNamer(imp.id);
  }

  async write(name: ImportTable, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const db = this.db;
    const importId = this.imp.id;
    // Built before the transaction: it holds no lock while rows are encoded.
    const blocks = isCorpusKind(name) ? makeBlocks(name, this.imp.projectId, importId, rows as CorpusRow[], this.nextBlock) : undefined;
    const tables = blocks ? [db.corpusBlocks, db.corpusIndex] : [table(db, name), db.importStaged];
    await db.transaction('rw', [db.imports, ...tables], async () => {
      const current = await db.imports.get(importId);
      if (!current || current.status !== 'running') throw new Error('The import was stopped.');
      if (blocks) return void (await putBlocks(db, blocks));
      // A run becomes visible at commit; its candidates are unreachable until then.
      if (name === 'runs') return void (await db.importStaged.add({ importId, seq: this.seq++, table: name, rows: rows as unknown[] }));
      await table(db, name).bulkPut(rows as unknown[]);
    });
  }
}

/**
 * Makes the import visible, in one transaction: staged runs are written, rows it replaces
 * (same id in an older block, or earlier in the import) are removed, its status flips.
 */
export async function commitImport(db: QuarryDB, importId: string): Promise<void> {
  await db.transaction('rw', [db.imports, db.importStaged, db.corpusBlocks, db.corpusIndex, db.qrels, db.runs], async () => {
    const imp = await db.imports.get(importId);
    if (!imp) throw new Error(`No import ${importId}.`);
    if (imp.status !== 'running') throw new Error(`Import ${importId} is ${imp.status}, cannot commit.`);
    // One staged chunk at a time, in write order (the key is [importId, seq]).
    const keys = await db.importStaged.where('importId').equals(importId).primaryKeys();
    for (const k of keys) {
      const st = (await db.importStaged.get(k)) as ImportStagedRecord;
      await table(db, st.table).bulkPut(st.rows);
    }
    await db.importStaged.where('importId').equals(importId).delete();
    const others = new Set((await uncommittedImports(db, imp.projectId)).filter((id) => id !== importId));
    const mine = (await db.corpusIndex.where('importId').equals(importId).primaryKeys()) as BlockKey[];
    for (const kind of CORPUS_KINDS) {
      const added = mine.filter((k) => k[1] === kind).map((k) => k[2]);
      await supersede(db, imp.projectId, kind, added, others);
    }
    await db.imports.update(importId, { status: 'committed', updatedAt: Date.now() });
  });
}

/** Retries a storage step: the first failure may be a full disk that the previous step just freed. */
async function retrying<T>(step: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}

/**
 * Removes everything an uncommitted import wrote. Only deletes (they free space), each
 * step retried; the status flips to 'rolled-back' only when nothing of it is left, so a
 * rollback cut short stays 'running' (hidden) and the next recovery finishes it. Throws
 * when it could not finish. The caller holds the project's import lock.
 */
export async function rollbackImport(db: QuarryDB, importId: string): Promise<void> {
  const imp = await db.imports.get(importId);
  if (!imp || imp.status !== 'running') return;
  await retrying(async () => {
    await deleteImportBlocks(db, importId);
    const runIds: string[] = [];
    await db.importStaged
      .where('importId')
      .equals(importId)
      .each((st) => {
        if (st.table === 'runs') for (const r of st.rows as RunRecord[]) runIds.push(r.id);
      });
    if (runIds.length) await db.candidates.where('runId').anyOf(runIds).delete();
    await db.importStaged.where('importId').equals(importId).delete();
  });
  await retrying(() =>
    db.transaction('rw', db.imports, async () => {
      const cur = await db.imports.get(importId);
      if (cur?.status === 'running') await db.imports.update(importId, { status: 'rolled-back', updatedAt: Date.now() });
    }),
  );
}

export interface RecoveryResult {
  /** Interrupted imports rolled back now. */
  rolledBack: ImportRecord[];
  /** Interrupted imports whose rollback could not finish (their rows stay hidden). */
  failed: Array<{ imp: ImportRecord; error: string }>;
}

/**
 * Rolls back every import left 'running' whose project lock nobody holds (its tab or
 * browser closed mid-import). Imports that a tab is running now are left alone. Each
 * rolled-back import gets a failed report saying so. Safe in every tab at once: the lock
 * lets exactly one of them do it.
 */
export async function recoverImports(db: QuarryDB, locks: Locks = getLocks()): Promise<RecoveryResult> {
  const out: RecoveryResult = { rolledBack: [], failed: [] };
  const running = await db.imports.where('status').equals('running').toArray();
  for (const projectId of new Set(running.map((i) => i.projectId))) {
    await locks.request(importLockName(projectId), { ifAvailable: true }, async (lock) => {
      if (!lock) return; // a tab is importing into this project right now
      // Re-read under the lock: the import may have finished meanwhile.
      for (const id of await uncommittedImports(db, projectId)) {
        const imp = (await db.imports.get(id))!;
        try {
          await rollbackImport(db, id);
          out.rolledBack.push(imp);
        } catch (err) {
          out.failed.push({ imp, error: err instanceof Error ? err.message : String(err) });
          continue;
        }
        await saveImportReport(db, {
          projectId,
          at: Date.now(),
          files: imp.files,
          counts: {},
          issues: [],
          status: 'failed',
          importId: id,
          error: 'interrupted (the tab or browser closed before it finished); rolled back, nothing of it was kept',
        }).catch(() => {});
      }
    });
  }
  return out;
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
