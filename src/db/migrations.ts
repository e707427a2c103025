// Numbered schema versions. Never edit a released version: add a new one with an
// upgrade function, and a test in migrations.test.ts that opens data written by the
// previous version.
import type Dexie from 'dexie';
import type { Transaction } from 'dexie';
import type { ImportRecord, ImportUndoRecord, ProjectRecord } from './schema';

export const SCHEMA_V1 = {
  projects: 'id, name, createdAt',
  documents: '[projectId+id], projectId',
  queries: '[projectId+id], projectId',
  qrels: '[projectId+split+queryId+docId], projectId, [projectId+split], [projectId+queryId], [projectId+docId]',
  chunks: '[projectId+chunker+docId+idx], [projectId+chunker]',
  models: 'id, projectId',
  embeddings: '[projectId+modelKey+blockId], [projectId+modelKey], projectId',
  runs: 'id, projectId, createdAt',
  candidates: '[runId+queryId+docId], runId, projectId, [runId+queryId]',
  decisions: '[projectId+queryId+docId+reviewer], projectId, [projectId+queryId], [projectId+reviewer], at',
  decisionEvents: '++seq, projectId, [projectId+reviewer]',
  importReports: '++id, projectId',
  jobs: 'id, projectId, status',
};

/**
 * v2: projects get `updatedAt` (indexed, for "recently used" order; existing projects
 * take their createdAt), and the import journal tables `imports` + `importUndo` that
 * make imports atomic (see src/db/imports.ts).
 */
export const SCHEMA_V2 = {
  projects: 'id, name, createdAt, updatedAt',
  imports: 'id, projectId, status',
  importUndo: '[importId+seq], importId',
};

/**
 * v3: an import is invisible until it commits (see ImportRecord in schema.ts). Rows of
 * documents, queries and qrels carry the `importId` that wrote them (indexed, for the read
 * filter and for rollback); rows waiting for the commit live in `importStaged`. The v2
 * undo log `importUndo` goes: imports v2 left running are rolled back with it first.
 */
export const SCHEMA_V3 = {
  documents: '[projectId+id], projectId, importId',
  queries: '[projectId+id], projectId, importId',
  qrels: '[projectId+split+queryId+docId], projectId, [projectId+split], [projectId+queryId], [projectId+docId], importId',
  importStaged: '[importId+seq], importId',
  importUndo: null,
};

/**
 * v4: `throughput`, a model's measured rate per device (ThroughputRecord), for the Mine
 * page's estimate of what a run costs. A new table: no data to move.
 */
export const SCHEMA_V4 = {
  throughput: '[model+device], model',
};

/** The v2 rollback, replayed once by the v3 upgrade: v2 wrote an import's rows in place with an undo log. */
async function rollBackV2Imports(tx: Transaction): Promise<void> {
  const imports = tx.table<ImportRecord, string>('imports');
  const undoLog = tx.table<ImportUndoRecord, [string, number]>('importUndo');
  const running = await imports.where('status').equals('running').toArray();
  for (const imp of running) {
    const undo = await undoLog.where('importId').equals(imp.id).toArray();
    undo.sort((a, b) => b.seq - a.seq);
    for (const u of undo) {
      const t = tx.table(u.table);
      await t.bulkDelete(u.added);
      if (u.replaced.length) await t.bulkPut(u.replaced);
    }
    await imports.update(imp.id, { status: 'rolled-back', updatedAt: Date.now() });
  }
}

/** The version applyMigrations ends at: tests of an upgrade from an older layout expect it. */
export const LATEST_SCHEMA_VERSION = 4;

export function applyMigrations(db: Dexie): void {
  db.version(1).stores(SCHEMA_V1);
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx) => {
      await tx
        .table<ProjectRecord, string>('projects')
        .toCollection()
        .modify((p) => {
          p.updatedAt ??= p.createdAt;
        });
    });
  db.version(3).stores(SCHEMA_V3).upgrade(rollBackV2Imports);
  db.version(LATEST_SCHEMA_VERSION).stores(SCHEMA_V4);
}
