// Import journal: an import is invisible until it commits, and an interrupted or failed
// one leaves nothing visible behind, without holding a 64k-row file in memory.
//
// Rows stream into the real tables chunk by chunk (fast, flat memory), tagged with the
// import's id; the one read path (src/db/corpus.ts) hides rows of imports that have not
// committed. A row that would overwrite an existing key waits in `importStaged`, as does
// the run of imported negatives, and the commit transaction writes them: so before the
// commit every reader sees exactly what was there before, and the commit flips it all at
// once. Rollback only deletes (tagged rows, staged rows), which frees space rather than
// needing it, and it is retried; until it finishes the rows stay hidden.
//
// A live import holds the Web Lock `quarry-import:<projectId>` (src/db/locks.ts) from
// before its record exists until after it commits or rolls back. An import marked
// 'running' whose project lock nobody holds was cut short (tab or browser closed, crash):
// recoverImports, run at app start in every tab, rolls it back. No time window.
import type { Table } from 'dexie';
import type { QuarryDB } from './db';
import type { ImportRecord, ImportReportRecord, ImportStagedRecord, ImportTable, RunRecord } from './schema';
import { newId } from './ids';
import { prefixRange } from './keyrange';
import { getLocks, importLockName, type Locks } from './locks';

/** Stored reports keep this many issues; the rest are counted in `moreIssues`. */
export const MAX_STORED_ISSUES = 10_000;

/** Tables whose rows carry `importId` and are filtered by the read path. */
export const TAGGED_TABLES = ['documents', 'queries', 'qrels'] as const;
type TaggedTable = (typeof TAGGED_TABLES)[number];

function table(db: QuarryDB, name: ImportTable): Table<unknown, unknown> {
  return db.table(name) as Table<unknown, unknown>;
}

function keyOf(name: TaggedTable, row: Record<string, unknown>): unknown {
  return name === 'qrels' ? [row.projectId, row.split, row.queryId, row.docId] : [row.projectId, row.id];
}

async function projectHasRows(db: QuarryDB, name: TaggedTable, projectId: string): Promise<boolean> {
  const n = await db
    .table(name)
    .where(name === 'qrels' ? '[projectId+split+queryId+docId]' : '[projectId+id]')
    .between(...prefixRange(projectId, name === 'qrels' ? 4 : 2), true, true)
    .limit(1)
    .count();
  return n > 0;
}

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
  return db.transaction('rw', [db.imports, db.documents, db.queries, db.qrels, db.projects], async () => {
    if (!(await db.projects.get(projectId))) throw new Error(`No project with id ${projectId}.`);
    const freshTables: string[] = ['runs', 'candidates'];
    for (const t of TAGGED_TABLES) if (!(await projectHasRows(db, t, projectId))) freshTables.push(t);
    const now = Date.now();
    const rec: ImportRecord = { id: newId('imp'), projectId, status: 'running', startedAt: now, updatedAt: now, files, freshTables };
    await db.imports.add(rec);
    return rec;
  });
}

/**
 * Writes rows of an import, hidden until commit. `imp` is the record from beginImport;
 * its seq counter lives here (one writer per import).
 */
export class ImportWriter {
  private seq = 0;
  constructor(
    private readonly db: QuarryDB,
    readonly imp: ImportRecord,
  ) {}

  async write(name: ImportTable, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const db = this.db;
    const t = table(db, name);
    const importId = this.imp.id;
    const stage = (staged: unknown[]) => db.importStaged.add({ importId, seq: this.seq++, table: name, rows: staged });
    await db.transaction('rw', [t, db.importStaged, db.imports], async () => {
      const current = await db.imports.get(importId);
      if (!current || current.status !== 'running') throw new Error('The import was stopped.');
      // A run becomes visible at commit; its candidates are unreachable until then.
      if (name === 'runs') return void (await stage(rows as unknown[]));
      if (name === 'candidates') return void (await t.bulkPut(rows as unknown[]));
      const tagged = rows.map((r) => ({ ...r, importId }));
      // A table that had no rows of this project when the import began has nothing to
      // overwrite: no key lookups needed.
      if (this.imp.freshTables.includes(name)) return void (await t.bulkPut(tagged));
      const before = await t.bulkGet(tagged.map((r) => keyOf(name, r as Record<string, unknown>)));
      const fresh: object[] = [];
      const replacing: object[] = [];
      before.forEach((row, i) => (row === undefined ? fresh : replacing).push(tagged[i]));
      if (fresh.length) await t.bulkPut(fresh);
      if (replacing.length) await stage(replacing);
    });
  }
}

/** Makes the import visible, in one transaction: staged rows and runs are written, its status flips. */
export async function commitImport(db: QuarryDB, importId: string): Promise<void> {
  await db.transaction('rw', [db.imports, db.importStaged, db.documents, db.queries, db.qrels, db.runs], async () => {
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
    for (const t of TAGGED_TABLES) await db.table(t).where('importId').equals(importId).delete();
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
