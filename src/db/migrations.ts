// Numbered schema versions. Never edit a released version: add a new one with an
// upgrade function, and a test in migrations.test.ts that opens data written by the
// previous version.
import type Dexie from 'dexie';
import type { Transaction } from 'dexie';
import type { Table } from 'dexie';
import { blockNamer, makeBlocks, type Blocks, type CorpusRow } from './corpus-blocks';
import { newId } from './ids';
import { prefixRange } from './keyrange';
import type { CorpusKind, ImportRecord, ImportStagedRecord, ImportUndoRecord, ProjectRecord, QrelRecord, RunRecord } from './schema';

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

/**
 * v5: documents, queries and imported qrels move into blocks of rows (CorpusBlockRecord,
 * src/db/corpus-blocks.ts) with an index record per block; one record per row made a
 * 64k-document import cost ~15 s in IndexedDB alone. The `documents` and `queries` tables
 * go; `qrels` keeps only review-added qrels (promoted candidates), so it loses the importId
 * index. Imports v4 left running are rolled back first (their rows were never visible).
 */
export const SCHEMA_V5 = {
  corpusBlocks: '[projectId+kind+blockId], importId',
  corpusIndex: '[projectId+kind+blockId], importId',
  documents: null,
  queries: null,
  qrels: '[projectId+split+queryId+docId], projectId, [projectId+split], [projectId+queryId], [projectId+docId]',
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

/** Rows per read while converting (keeps the upgrade's memory flat on a large project). */
const UPGRADE_PAGE = 5000;

/** Visits a project's rows of a v4 table page by page, in primary key order. */
async function eachPage<T>(t: Table<T>, keyOf: (row: T) => unknown[], projectId: string, parts: number, visit: (rows: T[]) => Promise<void>): Promise<void> {
  const [lower, upper] = prefixRange(projectId, parts);
  let from: unknown[] = lower;
  let first = true;
  for (;;) {
    const page = await t.where(':id').between(from, upper, first, true).limit(UPGRADE_PAGE).toArray();
    if (page.length) await visit(page);
    if (page.length < UPGRADE_PAGE) return;
    from = keyOf(page[page.length - 1]);
    first = false;
  }
}

/** The v4→v5 upgrade: interrupted imports rolled back, then every project's rows into blocks. */
async function rowsToBlocks(tx: Transaction): Promise<void> {
  const imports = tx.table<ImportRecord, string>('imports');
  const staged = tx.table<ImportStagedRecord, [string, number]>('importStaged');
  for (const imp of await imports.where('status').equals('running').toArray()) {
    // A scan, not the importId index: v5 drops that index on qrels before this runs.
    for (const t of ['documents', 'queries', 'qrels']) await tx.table<{ importId?: string }>(t).filter((r) => r.importId === imp.id).delete();
    const runIds: string[] = [];
    await staged
      .where('importId')
      .equals(imp.id)
      .each((st) => {
        if (st.table === 'runs') for (const r of st.rows as RunRecord[]) runIds.push(r.id);
      });
    if (runIds.length) await tx.table('candidates').where('runId').anyOf(runIds).delete();
    await staged.where('importId').equals(imp.id).delete();
    await imports.update(imp.id, { status: 'rolled-back', updatedAt: Date.now() });
  }
  const blocks = tx.table('corpusBlocks');
  const index = tx.table('corpusIndex');
  const store = async (b: Blocks) => {
    await blocks.bulkAdd(b.blocks);
    await index.bulkAdd(b.index);
  };
  // Rows keep their key order; a v4 row's importId (of a committed import) is not carried over.
  const convert = (kind: CorpusKind, projectId: string, rows: CorpusRow[], name: () => string) => store(makeBlocks(kind, projectId, '', rows, name));
  const qrels = tx.table<QrelRecord>('qrels');
  const qrelKeyOf = (q: QrelRecord) => [q.projectId, q.split, q.queryId, q.docId];
  for (const projectId of (await tx.table<ProjectRecord, string>('projects').toCollection().primaryKeys()) as string[]) {
    for (const kind of ['documents', 'queries'] as const) {
      const name = blockNamer(newId('v5'));
      await eachPage(tx.table(kind), (r: { projectId: string; id: string }) => [r.projectId, r.id], projectId, 2, (rows) => convert(kind, projectId, rows as CorpusRow[], name));
    }
    const name = blockNamer(newId('v5'));
    await eachPage(qrels, qrelKeyOf, projectId, 4, (rows) => convert('qrels', projectId, rows.filter((q) => q.source !== 'review'), name));
  }
  // Imported qrels now live in blocks; the table keeps the review-added ones.
  await qrels.filter((q) => q.source !== 'review').delete();
}

/** The version applyMigrations ends at: tests of an upgrade from an older layout expect it. */
export const LATEST_SCHEMA_VERSION = 5;

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
  db.version(4).stores(SCHEMA_V4);
  db.version(LATEST_SCHEMA_VERSION).stores(SCHEMA_V5).upgrade(rowsToBlocks);
}
