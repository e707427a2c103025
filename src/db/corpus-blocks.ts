// Corpus blocks (schema v5): documents, queries and imported qrels are stored a few hundred
// rows per IndexedDB record, as columns, each block with a small index record holding its
// row keys. IndexedDB pays per record: a plain put of the 153k Debian rows one by one costs
// ~15 s in Chromium here, the same rows in a few hundred blocks a small part of that.
//
// Only the writers (corpus.ts puts, imports.ts, the v5 migration) use this module; every
// reader goes through src/db/corpus.ts. Two rules keep reads simple and cacheable:
// - a block is never changed: a change writes a new block (new blockId) and deletes the old;
// - among the visible blocks of a project, a row key appears once: `supersede` removes the
//   rows a newer block replaces, in the same transaction that makes the newer block visible.
import type { Table } from 'dexie';
import type { QuarryDB } from './db';
import { hi, LO } from './keyrange';
import { newId } from './ids';
import type { CorpusBlockRecord, CorpusIndexRecord, CorpusKind, DocumentRecord, QrelRecord, QueryRecord } from './schema';

export const CORPUS_KINDS: readonly CorpusKind[] = ['documents', 'queries', 'qrels'];

/** A block closes at this many rows... */
export const BLOCK_ROWS = 1000;
/** ...or once its rows hold this many characters: a point read decodes one whole block, so keep it small. */
export const BLOCK_CHARS = 24_000;

export type CorpusRow = DocumentRecord | QueryRecord | QrelRecord;
export type BlockKey = [projectId: string, kind: CorpusKind, blockId: string];

const SEP = '\u0000';

/** The key of a qrel among a project's qrels: split, query and document. */
export function qrelKey(split: string, queryId: string, docId: string): string {
  return split + SEP + queryId + SEP + docId;
}

/** What makes a row unique in its project: the id of a document or query, split + query + document of a qrel. */
export function rowKey(kind: CorpusKind, row: CorpusRow): string {
  if (kind === 'qrels') {
    const q = row as QrelRecord;
    return qrelKey(q.split, q.queryId, q.docId);
  }
  return (row as DocumentRecord | QueryRecord).id;
}

function rowChars(kind: CorpusKind, row: CorpusRow): number {
  if (kind === 'documents') {
    const d = row as DocumentRecord;
    return d.id.length + d.title.length + d.text.length;
  }
  if (kind === 'queries') return (row as QueryRecord).id.length + (row as QueryRecord).text.length;
  const q = row as QrelRecord;
  return q.split.length + q.queryId.length + q.docId.length + 8;
}

/** [lower, upper] of every block key of one kind of a project. */
export function kindRange(projectId: string, kind: CorpusKind): [unknown[], unknown[]] {
  return [
    [projectId, kind, LO],
    [projectId, kind, hi()],
  ];
}

function encode(kind: CorpusKind, projectId: string, blockId: string, importId: string, rows: CorpusRow[]): CorpusBlockRecord {
  const b: CorpusBlockRecord = { projectId, kind, blockId, importId, ids: [] };
  if (kind === 'documents') {
    const docs = rows as DocumentRecord[];
    b.ids = docs.map((d) => d.id);
    b.titles = docs.map((d) => d.title);
    b.texts = docs.map((d) => d.text);
  } else if (kind === 'queries') {
    const qs = rows as QueryRecord[];
    b.ids = qs.map((q) => q.id);
    b.texts = qs.map((q) => q.text);
  } else {
    const qrels = rows as QrelRecord[];
    b.ids = qrels.map((q) => q.queryId);
    b.splits = qrels.map((q) => q.split);
    b.docIds = qrels.map((q) => q.docId);
    b.scores = qrels.map((q) => q.score);
  }
  return b;
}

/** Row `i` of a block, as readers get it (imported qrels are source 'import'). */
export function blockRow(b: CorpusBlockRecord, i: number): CorpusRow {
  if (b.kind === 'documents') return { projectId: b.projectId, id: b.ids[i], title: b.titles![i], text: b.texts![i] };
  if (b.kind === 'queries') return { projectId: b.projectId, id: b.ids[i], text: b.texts![i] };
  return { projectId: b.projectId, split: b.splits![i], queryId: b.ids[i], docId: b.docIds![i], score: b.scores![i], source: 'import' };
}

/** The key of row `i` of a block, without building the row. */
export function blockRowKey(b: CorpusBlockRecord, i: number): string {
  return b.kind === 'qrels' ? qrelKey(b.splits![i], b.ids[i], b.docIds![i]) : b.ids[i];
}

export interface Blocks {
  blocks: CorpusBlockRecord[];
  index: CorpusIndexRecord[];
}

/**
 * Rows of one kind → blocks and their index records. A key repeated within `rows` keeps
 * its last row (a later line of a file replaces an earlier one). `nextId` names each block;
 * within one import the names must sort in write order (supersede relies on it).
 */
export function makeBlocks(kind: CorpusKind, projectId: string, importId: string, rows: readonly CorpusRow[], nextId: () => string): Blocks {
  const last = new Map<string, number>();
  rows.forEach((r, i) => last.set(rowKey(kind, r), i));
  const out: Blocks = { blocks: [], index: [] };
  let cur: CorpusRow[] = [];
  let keys: string[] = [];
  let chars = 0;
  const close = () => {
    if (!cur.length) return;
    const blockId = nextId();
    out.blocks.push(encode(kind, projectId, blockId, importId, cur));
    out.index.push({ projectId, kind, blockId, importId, keys });
    cur = [];
    keys = [];
    chars = 0;
  };
  rows.forEach((r, i) => {
    const key = rowKey(kind, r);
    if (last.get(key) !== i) return;
    const n = rowChars(kind, r);
    if (cur.length && (cur.length >= BLOCK_ROWS || chars + n > BLOCK_CHARS)) close();
    cur.push(r);
    keys.push(key);
    chars += n;
  });
  close();
  return out;
}

/** Block names `<tag>:<seq>` that sort in write order (8 digits: 10^8 blocks per tag). */
export function blockNamer(tag: string, start = 0): () => string {
  let seq = start;
  return () => `${tag}:${String(seq++).padStart(8, '0')}`;
}

export function blockTables(db: QuarryDB): Table[] {
  return [db.corpusBlocks, db.corpusIndex];
}

/** Stores blocks and their index records (in the caller's transaction, if any). */
export async function putBlocks(db: QuarryDB, b: Blocks): Promise<void> {
  if (!b.blocks.length) return;
  await db.corpusBlocks.bulkPut(b.blocks);
  await db.corpusIndex.bulkPut(b.index);
}

/** Deletes every block an import wrote (deletes only: they free space). */
export async function deleteImportBlocks(db: QuarryDB, importId: string): Promise<void> {
  await db.corpusBlocks.where('importId').equals(importId).delete();
  await db.corpusIndex.where('importId').equals(importId).delete();
}

/** Deletes every block of a project, all kinds. */
export async function deleteProjectBlocks(db: QuarryDB, projectId: string): Promise<void> {
  for (const kind of CORPUS_KINDS) {
    await db.corpusBlocks.where('[projectId+kind+blockId]').between(...kindRange(projectId, kind), true, true).delete();
    await db.corpusIndex.where('[projectId+kind+blockId]').between(...kindRange(projectId, kind), true, true).delete();
  }
}

/**
 * Restores "one visible row per key" after `added` blocks (names in write order) join the
 * visible ones: a row whose key a later block also holds is removed from its block (the
 * block is rewritten under a new name without it, or deleted when nothing of it is left).
 * Blocks of the imports in `hidden` (not committed) are neither read nor touched. For
 * qrels, a review-added qrel (the `qrels` table) that an added block judges again goes
 * too: the later judgement wins, as it did when both were rows of one table.
 * Runs inside the caller's transaction over corpusBlocks, corpusIndex and qrels.
 */
export async function supersede(db: QuarryDB, projectId: string, kind: CorpusKind, added: readonly string[], hidden: ReadonlySet<string>): Promise<void> {
  if (!added.length) return;
  const all = await db.corpusIndex.where('[projectId+kind+blockId]').between(...kindRange(projectId, kind), true, true).toArray();
  const isAdded = new Set(added);
  const older = all.filter((r) => !isAdded.has(r.blockId) && !hidden.has(r.importId));
  const newer = all.filter((r) => isAdded.has(r.blockId)).sort((a, b) => (a.blockId < b.blockId ? -1 : 1));
  const winner = new Map<string, string>();
  for (const r of older) for (const k of r.keys) winner.set(k, r.blockId);
  let clash = false;
  for (const r of newer) {
    for (const k of r.keys) {
      if (winner.has(k)) clash = true;
      winner.set(k, r.blockId);
    }
  }
  if (kind === 'qrels') {
    const reviewed = await db.qrels.where('projectId').equals(projectId).toArray();
    const judgedAgain = reviewed.filter((q) => isAdded.has(winner.get(qrelKey(q.split, q.queryId, q.docId)) ?? ''));
    for (const q of judgedAgain) await db.qrels.delete([q.projectId, q.split, q.queryId, q.docId]);
  }
  if (!clash) return; // nothing replaced (a fresh project, new ids only): the common case
  for (const r of [...older, ...newer]) {
    const keep: number[] = [];
    r.keys.forEach((k, i) => {
      if (winner.get(k) === r.blockId) keep.push(i);
    });
    if (keep.length === r.keys.length) continue;
    const key: BlockKey = [projectId, kind, r.blockId];
    const block = keep.length ? await db.corpusBlocks.get(key) : undefined;
    await db.corpusBlocks.delete(key);
    await db.corpusIndex.delete(key);
    if (!block) continue;
    // A key kept here appears once in this block (makeBlocks dedupes within a block).
    const rows = keep.map((i) => blockRow(block, i));
    const blockId = `${r.blockId}~${newId('r')}`;
    await putBlocks(db, {
      blocks: [encode(kind, projectId, blockId, r.importId, rows)],
      index: [{ projectId, kind, blockId, importId: r.importId, keys: keep.map((i) => r.keys[i]) }],
    });
  }
}

// ---- what is on disk, visible or not (tests and fault checks; readers use corpus.ts) ----

/** Rows of one kind stored in blocks, of every import, committed or not. */
export async function storedRowCount(db: QuarryDB, kind: CorpusKind, projectId?: string): Promise<number> {
  let n = 0;
  await db.corpusIndex.each((r) => {
    if (r.kind === kind && (projectId === undefined || r.projectId === projectId)) n += r.keys.length;
  });
  return n;
}

/** A row as stored in any block (committed or not), by key; undefined when no block holds it. */
export async function storedRow(db: QuarryDB, projectId: string, kind: CorpusKind, key: string): Promise<CorpusRow | undefined> {
  const idx = await db.corpusIndex.where('[projectId+kind+blockId]').between(...kindRange(projectId, kind), true, true).toArray();
  for (const r of idx) {
    const i = r.keys.indexOf(key);
    if (i < 0) continue;
    const b = await db.corpusBlocks.get([projectId, kind, r.blockId]);
    return b && blockRow(b, i);
  }
  return undefined;
}

/** Every row of one kind of a project stored in blocks (committed or not), in storage order. */
export async function storedRows(db: QuarryDB, projectId: string, kind: CorpusKind): Promise<CorpusRow[]> {
  const out: CorpusRow[] = [];
  const blocks = await db.corpusBlocks.where('[projectId+kind+blockId]').between(...kindRange(projectId, kind), true, true).toArray();
  for (const b of blocks) for (let i = 0; i < b.ids.length; i++) out.push(blockRow(b, i));
  return out;
}
