// Corpus repository: documents, queries and qrels of a project. Bulk writes go in large
// chunks (one transaction each: IndexedDB pays per transaction, not per row); reads are
// by id list so the UI can virtualise 64k rows without loading their text.
import { prefixRange } from './keyrange';
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
  return db.transaction('r', [db.documents, db.queries, db.qrels], async () => {
    const [documents, queries] = await Promise.all([docRange(db, projectId).count(), queryRange(db, projectId).count()]);
    const splits: Record<string, SplitCounts> = {};
    const seen: Record<string, Set<string>> = {};
    let qrels = 0;
    await qrelRange(db, projectId).each((r) => {
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
  const [documents, queries] = await Promise.all([docRange(db, projectId).count(), queryRange(db, projectId).count()]);
  return { documents, queries };
}

/** Every document id of a project, in id order (cheap: keys only, no text). */
export async function listDocumentIds(db: QuarryDB, projectId: string): Promise<string[]> {
  const keys = await docRange(db, projectId).primaryKeys();
  return keys.map((k) => (k as unknown as [string, string])[1]);
}

export async function listQueryIds(db: QuarryDB, projectId: string): Promise<string[]> {
  const keys = await queryRange(db, projectId).primaryKeys();
  return keys.map((k) => (k as unknown as [string, string])[1]);
}

/** Documents by id, in the order asked; undefined where an id is unknown. */
export function getDocuments(db: QuarryDB, projectId: string, ids: string[]): Promise<(DocumentRecord | undefined)[]> {
  return db.documents.bulkGet(ids.map((id) => [projectId, id] as [string, string]));
}

export function getQueries(db: QuarryDB, projectId: string, ids: string[]): Promise<(QueryRecord | undefined)[]> {
  return db.queries.bulkGet(ids.map((id) => [projectId, id] as [string, string]));
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
  await docRange(db, projectId)
    .until(() => out.length >= limit)
    .each((d) => {
      if (matchesAll(`${d.id}\n${d.title}\n${d.text}`.toLowerCase(), terms)) out.push(d.id);
    });
  return out;
}

export async function searchQueries(db: QuarryDB, projectId: string, term: string, limit = 5000): Promise<string[]> {
  const terms = searchTerms(term);
  if (terms.length === 0) return listQueryIds(db, projectId);
  const out: string[] = [];
  await queryRange(db, projectId)
    .until(() => out.length >= limit)
    .each((q) => {
      if (matchesAll(`${q.id}\n${q.text}`.toLowerCase(), terms)) out.push(q.id);
    });
  return out;
}

export interface Judged {
  qrel: QrelRecord;
  doc: DocumentRecord | undefined;
}

/** The judged documents of a query (all splits), highest score first. */
export async function judgementsOf(db: QuarryDB, projectId: string, queryId: string): Promise<Judged[]> {
  const qrels = await db.qrels.where('[projectId+queryId]').equals([projectId, queryId]).toArray();
  qrels.sort((a, b) => b.score - a.score || a.docId.localeCompare(b.docId));
  const docs = await getDocuments(db, projectId, qrels.map((q) => q.docId));
  return qrels.map((qrel, i) => ({ qrel, doc: docs[i] }));
}

/** The queries that judge a document relevant (score > 0). */
export async function queriesJudging(db: QuarryDB, projectId: string, docId: string): Promise<QrelRecord[]> {
  const qrels = await db.qrels.where('[projectId+docId]').equals([projectId, docId]).toArray();
  return qrels.filter((q) => q.score > 0);
}

export async function listSplits(db: QuarryDB, projectId: string): Promise<string[]> {
  const keys = await qrelRange(db, projectId).primaryKeys();
  return [...new Set(keys.map((k) => (k as unknown as string[])[1]))].sort();
}
