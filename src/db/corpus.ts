// Corpus repository: documents, queries and qrels of a project. Bulk writes go in large
// chunks (one transaction each: IndexedDB pays per transaction, not per row); reads are
// by id list so the UI can virtualise 64k rows without loading their text.
//
// THE read path: every reader of documents, queries and qrels (Data page, mining, review,
// export) goes through the functions below, and they show only committed data: rows of an
// import that has not committed (running, failed, interrupted) are hidden here, so nothing
// half-done is ever counted, searched, mined or exported. Keep it the only one.
import type { Table } from 'dexie';
import { prefixRange } from './keyrange';
import { uncommittedImports } from './imports';
import type { Doc, Qrel, Query } from '../core/types';
import type { QuarryDB } from './db';
import type { DocumentRecord, QrelRecord, QueryRecord } from './schema';

export const WRITE_CHUNK = 10_000;

function docRange(db: QuarryDB, projectId: string) {
  return db.documents.where('[projectId+id]').between(...prefixRange(projectId, 2), true, true);
}
function queryRange(db: QuarryDB, projectId: string) {
  return db.queries.where('[projectId+id]').between(...prefixRange(projectId, 2), true, true);
}
function qrelRange(db: QuarryDB, projectId: string) {
  return db.qrels
    .where('[projectId+split+queryId+docId]')
    .between(...prefixRange(projectId, 4), true, true);
}

export function toDocumentRecord(projectId: string, d: Doc): DocumentRecord {
  return { projectId, id: d.id, title: d.title, text: d.text };
}
export function toQueryRecord(projectId: string, q: Query): QueryRecord {
  return { projectId, id: q.id, text: q.text };
}
export function toQrelRecord(projectId: string, split: string, q: Qrel, source: QrelRecord['source'] = 'import'): QrelRecord {
  return { projectId, split, queryId: q.queryId, docId: q.docId, score: q.score, source };
}

async function putChunked<T>(rows: T[], put: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) await put(rows.slice(i, i + WRITE_CHUNK));
}

/** Writes documents directly (no import journal; for seeding and tests). Existing ids are replaced. */
export function putDocuments(db: QuarryDB, projectId: string, docs: Doc[]): Promise<void> {
  return putChunked(docs, (c) => db.documents.bulkPut(c.map((d) => toDocumentRecord(projectId, d))));
}
export function putQueries(db: QuarryDB, projectId: string, queries: Query[]): Promise<void> {
  return putChunked(queries, (c) => db.queries.bulkPut(c.map((q) => toQueryRecord(projectId, q))));
}
export function putQrels(db: QuarryDB, projectId: string, split: string, qrels: Qrel[]): Promise<void> {
  return putChunked(qrels, (c) => db.qrels.bulkPut(c.map((q) => toQrelRecord(projectId, split, q))));
}

// ---- visibility -------------------------------------------------------------------------

type Tagged = { importId?: string };

/** The imports whose rows a reader of the project must not see (usually none). */
async function hiddenImports(db: QuarryDB, projectId: string): Promise<Set<string>> {
  return new Set(await uncommittedImports(db, projectId));
}

function isVisible(hidden: Set<string>, row: Tagged | undefined): boolean {
  return row !== undefined && (row.importId === undefined || !hidden.has(row.importId));
}

/** Runs a read in one transaction with the import journal, so visibility and rows agree. */
function readTx<T>(db: QuarryDB, tables: Table[], fn: () => Promise<T>): Promise<T> {
  return db.transaction('r', [db.imports, ...tables], fn);
}

/** Primary keys of the hidden rows of a table (via its importId index). */
async function hiddenKeys(t: Table, hidden: Set<string>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const id of hidden) for (const k of (await t.where('importId').equals(id).primaryKeys()) as unknown[][]) out.push(k);
  return out;
}

/** Visible rows of a key range (count without loading rows when nothing is hidden). */
async function countVisible(t: Table, range: { count(): Promise<number> }, hidden: Set<string>): Promise<number> {
  let n = await range.count();
  for (const id of hidden) n -= await t.where('importId').equals(id).count();
  return n;
}

export interface SplitCounts {
  /** Judgements in the split. */
  qrels: number;
  /** Distinct queries with at least one judgement in the split. */
  queries: number;
  /** Judgements with score > 0. */
  positives: number;
}

export interface CorpusCounts {
  documents: number;
  queries: number;
  qrels: number;
  splits: Record<string, SplitCounts>;
}

export async function corpusCounts(db: QuarryDB, projectId: string): Promise<CorpusCounts> {
  return readTx(db, [db.documents, db.queries, db.qrels], async () => {
    const hidden = await hiddenImports(db, projectId);
    const [documents, queries] = await Promise.all([
      countVisible(db.documents, docRange(db, projectId), hidden),
      countVisible(db.queries, queryRange(db, projectId), hidden),
    ]);
    const splits: Record<string, SplitCounts> = {};
    const seen: Record<string, Set<string>> = {};
    let qrels = 0;
    await qrelRange(db, projectId).each((r) => {
      if (!isVisible(hidden, r)) return;
      qrels++;
      const s = (splits[r.split] ??= { qrels: 0, queries: 0, positives: 0 });
      s.qrels++;
      if (r.score > 0) s.positives++;
      const set = (seen[r.split] ??= new Set());
      if (!set.has(r.queryId)) {
        set.add(r.queryId);
        s.queries++;
      }
    });
    return { documents, queries, qrels, splits };
  });
}

/** Document and query counts only (key-range counts, no scan): for lists of projects. */
export async function basicCounts(db: QuarryDB, projectId: string): Promise<{ documents: number; queries: number }> {
  return readTx(db, [db.documents, db.queries], async () => {
    const hidden = await hiddenImports(db, projectId);
    const [documents, queries] = await Promise.all([
      countVisible(db.documents, docRange(db, projectId), hidden),
      countVisible(db.queries, queryRange(db, projectId), hidden),
    ]);
    return { documents, queries };
  });
}

/** Ids (second key part) of a [projectId+id] range, hidden rows left out; keys only, no text. */
function visibleIds(db: QuarryDB, t: Table, range: { primaryKeys(): Promise<unknown[]> }, projectId: string): Promise<string[]> {
  return readTx(db, [t], async () => {
    const hidden = await hiddenImports(db, projectId);
    const ids = (await range.primaryKeys()).map((k) => (k as [string, string])[1]);
    if (hidden.size === 0) return ids;
    const drop = new Set((await hiddenKeys(t, hidden)).map((k) => k[1] as string));
    return ids.filter((id) => !drop.has(id));
  });
}

/** Every document id of a project, in id order (cheap: keys only, no text). */
export function listDocumentIds(db: QuarryDB, projectId: string): Promise<string[]> {
  return visibleIds(db, db.documents, docRange(db, projectId), projectId);
}

export function listQueryIds(db: QuarryDB, projectId: string): Promise<string[]> {
  return visibleIds(db, db.queries, queryRange(db, projectId), projectId);
}

async function getVisible<T extends Tagged>(db: QuarryDB, t: Table<T, [string, string]>, projectId: string, ids: string[]): Promise<(T | undefined)[]> {
  return readTx(db, [t], async () => {
    const hidden = await hiddenImports(db, projectId);
    const rows = await t.bulkGet(ids.map((id) => [projectId, id] as [string, string]));
    return hidden.size === 0 ? rows : rows.map((r) => (isVisible(hidden, r) ? r : undefined));
  });
}

/** Documents by id, in the order asked; undefined where an id is unknown. */
export function getDocuments(db: QuarryDB, projectId: string, ids: string[]): Promise<(DocumentRecord | undefined)[]> {
  return getVisible(db, db.documents, projectId, ids);
}

export function getQueries(db: QuarryDB, projectId: string, ids: string[]): Promise<(QueryRecord | undefined)[]> {
  return getVisible(db, db.queries, projectId, ids);
}

/** Every document of a project, in id order (mining and random negatives need them all). */
export function allDocuments(db: QuarryDB, projectId: string): Promise<DocumentRecord[]> {
  return readTx(db, [db.documents], async () => {
    const hidden = await hiddenImports(db, projectId);
    const rows = await docRange(db, projectId).toArray();
    return hidden.size === 0 ? rows : rows.filter((r) => isVisible(hidden, r));
  });
}

/** Every query of a project, in id order. */
export function allQueries(db: QuarryDB, projectId: string): Promise<QueryRecord[]> {
  return readTx(db, [db.queries], async () => {
    const hidden = await hiddenImports(db, projectId);
    const rows = await queryRange(db, projectId).toArray();
    return hidden.size === 0 ? rows : rows.filter((r) => isVisible(hidden, r));
  });
}

/** The qrels of a project: all of them, or those of one split. */
export function listQrels(db: QuarryDB, projectId: string, split?: string): Promise<QrelRecord[]> {
  return readTx(db, [db.qrels], async () => {
    const hidden = await hiddenImports(db, projectId);
    const rows = await (split === undefined ? qrelRange(db, projectId) : db.qrels.where('[projectId+split]').equals([projectId, split])).toArray();
    return hidden.size === 0 ? rows : rows.filter((r) => isVisible(hidden, r));
  });
}

/** The qrels of one query, every split (positives and judged negatives). */
export function qrelsOfQuery(db: QuarryDB, projectId: string, queryId: string): Promise<QrelRecord[]> {
  return readTx(db, [db.qrels], async () => {
    const hidden = await hiddenImports(db, projectId);
    const rows = await db.qrels.where('[projectId+queryId]').equals([projectId, queryId]).toArray();
    return rows.filter((r) => isVisible(hidden, r));
  });
}

/**
 * Visits the project's documents in id order until `visit` returns false (a scan that
 * never holds them all: search).
 */
export function eachDocument(db: QuarryDB, projectId: string, visit: (d: DocumentRecord) => boolean | void): Promise<void> {
  return readTx(db, [db.documents], async () => {
    const hidden = await hiddenImports(db, projectId);
    let stop = false;
    await docRange(db, projectId)
      .until(() => stop)
      .each((d) => {
        if (isVisible(hidden, d) && visit(d) === false) stop = true;
      });
  });
}

function eachQuery(db: QuarryDB, projectId: string, visit: (q: QueryRecord) => boolean | void): Promise<void> {
  return readTx(db, [db.queries], async () => {
    const hidden = await hiddenImports(db, projectId);
    let stop = false;
    await queryRange(db, projectId)
      .until(() => stop)
      .each((q) => {
        if (isVisible(hidden, q) && visit(q) === false) stop = true;
      });
  });
}

/** Lower-cased words of a search box entry; a row matches when it contains all of them. */
export function searchTerms(term: string): string[] {
  return term.toLowerCase().split(/\s+/).filter(Boolean);
}

function matchesAll(haystack: string, terms: string[]): boolean {
  for (const t of terms) if (!haystack.includes(t)) return false;
  return true;
}

/**
 * Ids of documents whose id, title or text contains every word of `term`
 * (case-insensitive), in id order, at most `limit`. A full scan: ~64k documents take
 * well under a second, and it needs no index to keep up to date.
 */
export async function searchDocuments(db: QuarryDB, projectId: string, term: string, limit = 5000): Promise<string[]> {
  const terms = searchTerms(term);
  if (terms.length === 0) return listDocumentIds(db, projectId);
  const out: string[] = [];
  await eachDocument(db, projectId, (d) => {
    if (matchesAll(`${d.id}\n${d.title}\n${d.text}`.toLowerCase(), terms)) out.push(d.id);
    return out.length < limit;
  });
  return out;
}

export async function searchQueries(db: QuarryDB, projectId: string, term: string, limit = 5000): Promise<string[]> {
  const terms = searchTerms(term);
  if (terms.length === 0) return listQueryIds(db, projectId);
  const out: string[] = [];
  await eachQuery(db, projectId, (q) => {
    if (matchesAll(`${q.id}\n${q.text}`.toLowerCase(), terms)) out.push(q.id);
    return out.length < limit;
  });
  return out;
}

export interface Judged {
  qrel: QrelRecord;
  doc: DocumentRecord | undefined;
}

/** The judged documents of a query (all splits), highest score first. */
export async function judgementsOf(db: QuarryDB, projectId: string, queryId: string): Promise<Judged[]> {
  const qrels = await qrelsOfQuery(db, projectId, queryId);
  qrels.sort((a, b) => b.score - a.score || a.docId.localeCompare(b.docId));
  const docs = await getDocuments(db, projectId, qrels.map((q) => q.docId));
  return qrels.map((qrel, i) => ({ qrel, doc: docs[i] }));
}

/** The queries that judge a document relevant (score > 0). */
export async function queriesJudging(db: QuarryDB, projectId: string, docId: string): Promise<QrelRecord[]> {
  return readTx(db, [db.qrels], async () => {
    const hidden = await hiddenImports(db, projectId);
    const qrels = await db.qrels.where('[projectId+docId]').equals([projectId, docId]).toArray();
    return qrels.filter((q) => q.score > 0 && isVisible(hidden, q));
  });
}

/** The split names that have qrels in a project, sorted (keys only, not the rows). */
export async function listSplits(db: QuarryDB, projectId: string): Promise<string[]> {
  return readTx(db, [db.qrels], async () => {
    const hidden = await hiddenImports(db, projectId);
    const keys = (await qrelRange(db, projectId).primaryKeys()) as unknown as string[][];
    const drop = new Set((await hiddenKeys(db.qrels, hidden)).map((k) => k.join('\u0000')));
    const splits = new Set<string>();
    for (const k of keys) if (drop.size === 0 || !drop.has(k.join('\u0000'))) splits.add(k[1]);
    return [...splits].sort();
  });
}
