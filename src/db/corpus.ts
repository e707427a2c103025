// Corpus repository: documents, queries and qrels of a project.
//
// THE read path: every reader of documents, queries and qrels (Data page, mining, review,
// export) goes through the functions below, and they show only committed data: blocks of
// an import that has not committed (running, failed, interrupted) are hidden here, so
// nothing half-done is ever counted, searched, mined or exported. Keep it the only one.
//
// Storage (schema v5, corpus-blocks.ts): rows live in blocks of a few hundred, each with an
// index record of its row keys. Per project and kind, readers here build a view from the
// index records of the visible blocks (row key → block and position) and reuse it while
// the set of visible block ids stays the same: blocks never change in place, so the same
// ids mean the same rows. Checking that is one keys-only read; a point read is then one get
// of one block, and id lists and counts never load a text. Qrels added by review (promoted
// candidates) are rows of the `qrels` table, merged in at read time.
import type { QuarryDB } from './db';
import { newId } from './ids';
import { uncommittedImports } from './imports';
import {
  blockNamer, blockRow, kindRange, makeBlocks, putBlocks, qrelKey, supersede, type BlockKey, type CorpusRow,
} from './corpus-blocks';
import type { Doc, Qrel, Query } from '../core/types';
import type { CorpusBlockRecord, CorpusKind, DocumentRecord, QrelRecord, QueryRecord } from './schema';

/** Rows per transaction of a direct write. */
export const WRITE_CHUNK = 10_000;
/** Blocks per bulkGet of a full scan (keeps a scan's memory to a few MB at a time). */
const SCAN_BATCH = 16;

export function toDocumentRecord(projectId: string, d: Doc): DocumentRecord {
  return { projectId, id: d.id, title: d.title, text: d.text };
}
export function toQueryRecord(projectId: string, q: Query): QueryRecord {
  return { projectId, id: q.id, text: q.text };
}
export function toQrelRecord(projectId: string, split: string, q: Qrel, source: QrelRecord['source'] = 'import'): QrelRecord {
  return { projectId, split, queryId: q.queryId, docId: q.docId, score: q.score, source };
}

// ---- direct writes (no import journal: seeding, tests) ---------------------------------

/** Writes rows at once, visible at once; a key already stored gets the new row. */
async function putRows(db: QuarryDB, projectId: string, kind: CorpusKind, rows: CorpusRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const chunk = rows.slice(i, i + WRITE_CHUNK);
    await db.transaction('rw', [db.imports, db.corpusBlocks, db.corpusIndex, db.qrels], async () => {
      const b = makeBlocks(kind, projectId, '', chunk, blockNamer(newId('put')));
      await putBlocks(db, b);
      await supersede(db, projectId, kind, b.index.map((r) => r.blockId), await hiddenImports(db, projectId));
    });
  }
}

/** Writes documents directly (no import journal; for seeding and tests). Existing ids are replaced. */
export function putDocuments(db: QuarryDB, projectId: string, docs: Doc[]): Promise<void> {
  return putRows(db, projectId, 'documents', docs.map((d) => toDocumentRecord(projectId, d)));
}
export function putQueries(db: QuarryDB, projectId: string, queries: Query[]): Promise<void> {
  return putRows(db, projectId, 'queries', queries.map((q) => toQueryRecord(projectId, q)));
}
export function putQrels(db: QuarryDB, projectId: string, split: string, qrels: Qrel[]): Promise<void> {
  return putRows(db, projectId, 'qrels', qrels.map((q) => toQrelRecord(projectId, split, q)));
}

/**
 * Writes rows in their stored shape, of any projects (seeding and tests): documents,
 * queries and imported qrels into blocks, review-added qrels into the `qrels` table.
 */
export async function putRecords(db: QuarryDB, rows: { documents?: DocumentRecord[]; queries?: QueryRecord[]; qrels?: QrelRecord[] }): Promise<void> {
  const reviewed = (rows.qrels ?? []).filter((q) => q.source === 'review');
  const kinds: Array<[CorpusKind, CorpusRow[]]> = [
    ['documents', rows.documents ?? []],
    ['queries', rows.queries ?? []],
    ['qrels', (rows.qrels ?? []).filter((q) => q.source !== 'review')],
  ];
  for (const [kind, list] of kinds) {
    const byProject = new Map<string, CorpusRow[]>();
    for (const r of list) {
      const l = byProject.get(r.projectId);
      if (l) l.push(r);
      else byProject.set(r.projectId, [r]);
    }
    for (const [projectId, l] of byProject) await putRows(db, projectId, kind, l);
  }
  if (reviewed.length) await db.qrels.bulkPut(reviewed);
}

// ---- visibility and views ---------------------------------------------------------------

// Inside a read transaction, the helpers below return Dexie's own promise chains (`.then`),
// not native async functions: a native await that is not on a Dexie promise can lose the
// transaction's zone when other Dexie work runs at the same time (liveQuery on a page), and
// the transaction then commits before its reads (PrematureCommitError, seen on Mine). The
// readers' scope functions await only these and Dexie calls.

/** The imports whose blocks a reader of the project must not see (usually none). */
function hiddenImports(db: QuarryDB, projectId: string): Promise<Set<string>> {
  return uncommittedImports(db, projectId).then((ids) => new Set(ids));
}

/** Runs a read in one transaction with the import journal, so visibility and rows agree. */
function readTx<T>(db: QuarryDB, fn: () => Promise<T>): Promise<T> {
  return db.transaction('r', [db.imports, db.corpusIndex, db.corpusBlocks, db.qrels], fn);
}

/** Names of the visible blocks of one kind (keys only). */
function visibleBlocks(db: QuarryDB, projectId: string, kind: CorpusKind, hidden: Set<string>): Promise<string[]> {
  return db.corpusIndex
    .where('[projectId+kind+blockId]')
    .between(...kindRange(projectId, kind), true, true)
    .primaryKeys()
    .then((keys) => {
      const names = (keys as BlockKey[]).map((k) => k[2]);
      if (hidden.size === 0) return names;
      return db.corpusIndex
        .where('importId')
        .anyOf([...hidden])
        .primaryKeys()
        .then((hiddenKeys) => {
          const drop = new Set((hiddenKeys as BlockKey[]).filter((k) => k[0] === projectId && k[1] === kind).map((k) => k[2]));
          return names.filter((b) => !drop.has(b));
        });
    });
}

/** Row position in a view: block number × POS + row in the block (a block holds < POS rows). */
const POS = 65_536;

interface KeyView {
  /** The visible block names, joined: the view holds while this is unchanged. */
  sig: string;
  blocks: string[];
  /** Row key → position. */
  at: Map<string, number>;
  sorted?: string[];
}

interface QrelView {
  sig: string;
  /** Imported qrels in key order (split, query, document). */
  rows: QrelRecord[];
  byQuery?: Map<string, QrelRecord[]>;
  byDoc?: Map<string, QrelRecord[]>;
  splits?: string[];
}

// Per database object (a page, a worker, a test): views by `projectId \0 kind`, the most
// recently built few (a 64k-document project's view is a few MB).
const keyViews = new WeakMap<QuarryDB, Map<string, KeyView>>();
const qrelViews = new WeakMap<QuarryDB, Map<string, QrelView>>();
const KEPT_VIEWS = 6;

function cacheOf<V>(m: WeakMap<QuarryDB, Map<string, V>>, db: QuarryDB): Map<string, V> {
  let c = m.get(db);
  if (!c) m.set(db, (c = new Map()));
  return c;
}

function keep<V>(cache: Map<string, V>, name: string, view: V): V {
  cache.delete(name);
  cache.set(name, view);
  for (const oldest of cache.keys()) {
    if (cache.size <= KEPT_VIEWS) break;
    cache.delete(oldest);
  }
  return view;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The view of one kind's visible row keys (inside readTx). */
function keyView(db: QuarryDB, projectId: string, kind: CorpusKind, hidden: Set<string>): Promise<KeyView> {
  return visibleBlocks(db, projectId, kind, hidden).then((blocks) => {
    const sig = blocks.join('\n');
    const cache = cacheOf(keyViews, db);
    const name = `${projectId}\u0000${kind}`;
    const cached = cache.get(name);
    if (cached?.sig === sig) return cached;
    return db.corpusIndex.bulkGet(blocks.map((b): BlockKey => [projectId, kind, b])).then((recs) => {
      const at = new Map<string, number>();
      recs.forEach((r, bi) => r?.keys.forEach((k, i) => at.set(k, bi * POS + i)));
      return keep(cache, name, { sig, blocks, at });
    });
  });
}

function sortedKeys(v: KeyView): string[] {
  return (v.sorted ??= [...v.at.keys()].sort(byString));
}

/** Visits the visible blocks of one kind, a batch at a time, until `visit` returns false (inside readTx). */
function scanBlocks(db: QuarryDB, projectId: string, kind: CorpusKind, hidden: Set<string>, visit: (b: CorpusBlockRecord) => boolean | void): Promise<void> {
  return visibleBlocks(db, projectId, kind, hidden).then((names) => {
    const from = (i: number): Promise<void> | void => {
      if (i >= names.length) return;
      return db.corpusBlocks.bulkGet(names.slice(i, i + SCAN_BATCH).map((b): BlockKey => [projectId, kind, b])).then((batch) => {
        for (const b of batch) if (b && visit(b) === false) return;
        return from(i + SCAN_BATCH);
      });
    };
    return from(0);
  });
}

function qrelOrder(a: QrelRecord, b: QrelRecord): number {
  return byString(a.split, b.split) || byString(a.queryId, b.queryId) || byString(a.docId, b.docId);
}

/** The view of the project's imported qrels (inside readTx). */
function qrelView(db: QuarryDB, projectId: string, hidden: Set<string>): Promise<QrelView> {
  return visibleBlocks(db, projectId, 'qrels', hidden).then((blocks) => {
    const sig = blocks.join('\n');
    const cache = cacheOf(qrelViews, db);
    const cached = cache.get(projectId);
    if (cached?.sig === sig) return cached;
    return db.corpusBlocks.bulkGet(blocks.map((b): BlockKey => [projectId, 'qrels', b])).then((got) => {
      const rows: QrelRecord[] = [];
      for (const b of got) if (b) for (let i = 0; i < b.ids.length; i++) rows.push(blockRow(b, i) as QrelRecord);
      rows.sort(qrelOrder);
      return keep(cache, projectId, { sig, rows });
    });
  });
}

function groupBy(rows: QrelRecord[], key: (q: QrelRecord) => string): Map<string, QrelRecord[]> {
  const m = new Map<string, QrelRecord[]>();
  for (const q of rows) {
    const k = key(q);
    const list = m.get(k);
    if (list) list.push(q);
    else m.set(k, [q]);
  }
  return m;
}

/** Imported qrels with the review-added ones merged in (a review-added qrel wins over an imported one of the same key). */
function withReviewed(imported: readonly QrelRecord[], reviewed: QrelRecord[]): QrelRecord[] {
  if (reviewed.length === 0) return imported.slice();
  const byKey = new Map(imported.map((q) => [qrelKey(q.split, q.queryId, q.docId), q]));
  for (const q of reviewed) byKey.set(qrelKey(q.split, q.queryId, q.docId), q);
  return [...byKey.values()].sort(qrelOrder);
}

// ---- counts -----------------------------------------------------------------------------

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
  return readTx(db, async () => {
    const hidden = await hiddenImports(db, projectId);
    const documents = (await keyView(db, projectId, 'documents', hidden)).at.size;
    const queries = (await keyView(db, projectId, 'queries', hidden)).at.size;
    const all = withReviewed((await qrelView(db, projectId, hidden)).rows, await db.qrels.where('projectId').equals(projectId).toArray());
    const splits: Record<string, SplitCounts> = {};
    const seen: Record<string, Set<string>> = {};
    for (const r of all) {
      const s = (splits[r.split] ??= { qrels: 0, queries: 0, positives: 0 });
      s.qrels++;
      if (r.score > 0) s.positives++;
      const set = (seen[r.split] ??= new Set());
      if (!set.has(r.queryId)) {
        set.add(r.queryId);
        s.queries++;
      }
    }
    return { documents, queries, qrels: all.length, splits };
  });
}

/** Document and query counts only (from the key views, no text read): for lists of projects. */
export async function basicCounts(db: QuarryDB, projectId: string): Promise<{ documents: number; queries: number }> {
  return readTx(db, async () => {
    const hidden = await hiddenImports(db, projectId);
    const documents = (await keyView(db, projectId, 'documents', hidden)).at.size;
    const queries = (await keyView(db, projectId, 'queries', hidden)).at.size;
    return { documents, queries };
  });
}

// ---- documents and queries --------------------------------------------------------------

function listIds(db: QuarryDB, projectId: string, kind: 'documents' | 'queries'): Promise<string[]> {
  return readTx(db, async () => sortedKeys(await keyView(db, projectId, kind, await hiddenImports(db, projectId))).slice());
}

/** Every document id of a project, in id order (cheap: keys only, no text). */
export function listDocumentIds(db: QuarryDB, projectId: string): Promise<string[]> {
  return listIds(db, projectId, 'documents');
}

export function listQueryIds(db: QuarryDB, projectId: string): Promise<string[]> {
  return listIds(db, projectId, 'queries');
}

/** Rows by id, in the order asked: one get per block involved. */
function getRows(db: QuarryDB, projectId: string, kind: 'documents' | 'queries', ids: string[]): Promise<(CorpusRow | undefined)[]> {
  return readTx(db, async () => {
    const view = await keyView(db, projectId, kind, await hiddenImports(db, projectId));
    const where = ids.map((id) => view.at.get(id));
    const need = [...new Set(where.filter((w) => w !== undefined).map((w) => Math.floor(w / POS)))];
    const got = await db.corpusBlocks.bulkGet(need.map((bi): BlockKey => [projectId, kind, view.blocks[bi]]));
    const blocks = new Map(need.map((bi, i) => [bi, got[i]]));
    return where.map((w) => {
      if (w === undefined) return undefined;
      const b = blocks.get(Math.floor(w / POS));
      return b ? blockRow(b, w % POS) : undefined;
    });
  });
}

/** Documents by id, in the order asked; undefined where an id is unknown. */
export function getDocuments(db: QuarryDB, projectId: string, ids: string[]): Promise<(DocumentRecord | undefined)[]> {
  return getRows(db, projectId, 'documents', ids) as Promise<(DocumentRecord | undefined)[]>;
}

export function getQueries(db: QuarryDB, projectId: string, ids: string[]): Promise<(QueryRecord | undefined)[]> {
  return getRows(db, projectId, 'queries', ids) as Promise<(QueryRecord | undefined)[]>;
}

function allRows(db: QuarryDB, projectId: string, kind: 'documents' | 'queries'): Promise<CorpusRow[]> {
  return readTx(db, async () => {
    const rows: (DocumentRecord | QueryRecord)[] = [];
    await scanBlocks(db, projectId, kind, await hiddenImports(db, projectId), (b) => {
      for (let i = 0; i < b.ids.length; i++) rows.push(blockRow(b, i) as DocumentRecord | QueryRecord);
    });
    return rows.sort((a, b) => byString(a.id, b.id));
  });
}

/** Every document of a project, in id order (mining and random negatives need them all). */
export function allDocuments(db: QuarryDB, projectId: string): Promise<DocumentRecord[]> {
  return allRows(db, projectId, 'documents') as Promise<DocumentRecord[]>;
}

/** Every query of a project, in id order. */
export function allQueries(db: QuarryDB, projectId: string): Promise<QueryRecord[]> {
  return allRows(db, projectId, 'queries') as Promise<QueryRecord[]>;
}

/**
 * Visits the project's documents in storage order (not id order) until `visit` returns
 * false: a scan that never holds them all.
 */
export function eachDocument(db: QuarryDB, projectId: string, visit: (d: DocumentRecord) => boolean | void): Promise<void> {
  return readTx(db, async () => {
    await scanBlocks(db, projectId, 'documents', await hiddenImports(db, projectId), (b) => {
      for (let i = 0; i < b.ids.length; i++) if (visit(blockRow(b, i) as DocumentRecord) === false) return false;
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

/** Ids of the rows whose id, title (documents) or text contains every term, in id order, at most `limit`. */
async function searchRows(db: QuarryDB, projectId: string, kind: 'documents' | 'queries', term: string, limit: number): Promise<string[]> {
  const terms = searchTerms(term);
  if (terms.length === 0) return listIds(db, projectId, kind);
  const out: string[] = [];
  await readTx(db, async () =>
    scanBlocks(db, projectId, kind, await hiddenImports(db, projectId), (b) => {
      for (let i = 0; i < b.ids.length; i++) {
        const hay = kind === 'documents' ? `${b.ids[i]}\n${b.titles![i]}\n${b.texts![i]}` : `${b.ids[i]}\n${b.texts![i]}`;
        if (matchesAll(hay.toLowerCase(), terms)) out.push(b.ids[i]);
      }
    }),
  );
  return out.sort(byString).slice(0, limit);
}

/**
 * Ids of documents whose id, title or text contains every word of `term`
 * (case-insensitive), in id order, at most `limit`. A full scan of the blocks: ~64k
 * documents take well under a second, and it needs no index to keep up to date.
 */
export function searchDocuments(db: QuarryDB, projectId: string, term: string, limit = 5000): Promise<string[]> {
  return searchRows(db, projectId, 'documents', term, limit);
}

export function searchQueries(db: QuarryDB, projectId: string, term: string, limit = 5000): Promise<string[]> {
  return searchRows(db, projectId, 'queries', term, limit);
}

// ---- qrels ------------------------------------------------------------------------------

/** The qrels of a project: all of them, or those of one split; in key order (split, query, document). */
export function listQrels(db: QuarryDB, projectId: string, split?: string): Promise<QrelRecord[]> {
  return readTx(db, async () => {
    const view = await qrelView(db, projectId, await hiddenImports(db, projectId));
    if (split === undefined) return withReviewed(view.rows, await db.qrels.where('projectId').equals(projectId).toArray());
    const reviewed = await db.qrels.where('[projectId+split]').equals([projectId, split]).toArray();
    return withReviewed(view.rows.filter((q) => q.split === split), reviewed);
  });
}

/** The qrels of one query, every split (positives and judged negatives). */
export function qrelsOfQuery(db: QuarryDB, projectId: string, queryId: string): Promise<QrelRecord[]> {
  return readTx(db, async () => {
    const view = await qrelView(db, projectId, await hiddenImports(db, projectId));
    view.byQuery ??= groupBy(view.rows, (q) => q.queryId);
    const reviewed = await db.qrels.where('[projectId+queryId]').equals([projectId, queryId]).toArray();
    return withReviewed(view.byQuery.get(queryId) ?? [], reviewed);
  });
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
  return readTx(db, async () => {
    const view = await qrelView(db, projectId, await hiddenImports(db, projectId));
    view.byDoc ??= groupBy(view.rows, (q) => q.docId);
    const reviewed = await db.qrels.where('[projectId+docId]').equals([projectId, docId]).toArray();
    return withReviewed(view.byDoc.get(docId) ?? [], reviewed).filter((q) => q.score > 0);
  });
}

/** The split names that have qrels in a project, sorted. */
export async function listSplits(db: QuarryDB, projectId: string): Promise<string[]> {
  return readTx(db, async () => {
    const view = await qrelView(db, projectId, await hiddenImports(db, projectId));
    view.splits ??= [...new Set(view.rows.map((q) => q.split))];
    const reviewed = (await db.qrels.where('projectId').equals(projectId).toArray()).map((q) => q.split);
    return [...new Set([...view.splits, ...reviewed])].sort(byString);
  });
}
