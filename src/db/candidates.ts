// Read side of mined candidates for Review. The mining worker writes them (src/db/runs.ts);
// Review only reads, by [runId+queryId] index ranges so a run of 100k+ candidates loads in one
// sequential scan.
import Dexie from 'dexie';
import { matchesShown } from '../core/text/invisible';
import type { QuarryDB } from './db';
import type { CandidateRecord, QrelRecord } from './schema';
import { eachDocument, getDocuments, qrelsOfQuery } from './corpus';

/** Every candidate of a run, ordered by (queryId, docId). */
export function runCandidates(db: QuarryDB, runId: string): Promise<CandidateRecord[]> {
  return db.candidates.where('[runId+queryId]').between([runId, Dexie.minKey], [runId, Dexie.maxKey], true, true).toArray();
}

/** The (queryId, docId) pairs of some runs, without loading the records. */
export async function runPairs(db: QuarryDB, runIds: string[]): Promise<Array<[queryId: string, docId: string]>> {
  const out: Array<[string, string]> = [];
  for (const runId of runIds) {
    const keys = await db.candidates.where('[runId+queryId]').between([runId, Dexie.minKey], [runId, Dexie.maxKey], true, true).primaryKeys();
    for (const k of keys) out.push([k[1], k[2]]);
  }
  return out;
}

/** The relevant documents (score > 0) of a query in a project, any split, imported or promoted. */
export async function positivesOf(db: QuarryDB, projectId: string, queryId: string): Promise<QrelRecord[]> {
  const rows = await qrelsOfQuery(db, projectId, queryId);
  return rows.filter((r) => r.score > 0);
}

/** Documents by id (missing ones are left out). */
export async function docsById(db: QuarryDB, projectId: string, ids: string[]) {
  const rows = await getDocuments(db, projectId, ids);
  return new Map(rows.filter((r) => r !== undefined).map((r) => [r.id, r]));
}

/** Ids of the project's documents whose title or text contains `needle` (case-insensitive). */
export async function searchDocs(db: QuarryDB, projectId: string, needle: string, limit = 50_000): Promise<Set<string>> {
  const s = needle.trim().toLowerCase();
  const out = new Set<string>();
  if (!s) return out;
  await eachDocument(db, projectId, (d) => {
    if (matchesShown(d.title, s) || matchesShown(d.text, s)) out.add(d.id);
    return out.size < limit;
  });
  return out;
}

/**
 * Every candidate of a run, read in pages of `pageSize` by primary key. Unlike one big
 * getAll, each page is a short transaction, so decisions written meanwhile (and the first
 * query's quick read) are not queued behind a read of 100k+ records.
 */
export async function runCandidatesPaged(
  db: QuarryDB,
  runId: string,
  pageSize = 10_000,
  isCancelled: () => boolean = () => false,
): Promise<CandidateRecord[] | null> {
  const out: CandidateRecord[] = [];
  // Upper bound: fresh empty arrays (above every string); see keyrange.ts for why not Dexie.maxKey.
  const upper = [runId, [], []];
  let lower: unknown[] = [runId, Dexie.minKey, Dexie.minKey];
  let first = true;
  for (;;) {
    if (isCancelled()) return null;
    const page = await db.candidates.where(':id').between(lower, upper, first, true).limit(pageSize).toArray();
    out.push(...page);
    if (page.length < pageSize) return out;
    const last = page[page.length - 1];
    lower = [runId, last.queryId, last.docId];
    first = false;
  }
}
