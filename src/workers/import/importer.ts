// The import pipeline, independent of where it runs (the import worker in the app,
// fake-indexeddb in unit tests): files stream through the core parsers, valid rows go
// to IndexedDB in large journalled chunks, and the import either commits whole or rolls
// back whole (failure, cancel). A report listing every bad line is stored either way.
// Until it commits nobody sees its rows (src/db/imports.ts); the tab holds the project's
// import lock throughout, so a tab that dies mid-import is recovered at the next start.
import type { InputIssue } from '../../core/types';
import { parseCorpus, parseQrels, parseQueries, type IdSet } from '../../core/formats/beir';
import { webGunzip } from '../../core/formats/gzip';
import { countBytes, streamChunks } from '../../core/formats/lines';
import type { QuarryDB } from '../../db/db';
import { corpusCounts, listDocumentIds, listQueryIds, toDocumentRecord, toQrelRecord, toQueryRecord } from '../../db/corpus';
import { beginImport, commitImport, ImportWriter, rollbackImport, saveImportReport } from '../../db/imports';
import { getLocks, importLockName, type Locks } from '../../db/locks';
import type { ImportTable } from '../../db/schema';
import { classifyFiles } from './classify';
import { importTrainingRows } from './training';
import type { ImportProgress, ImportRequest, ImportResult, NamedFile } from './types';

/** Rows per IndexedDB transaction: big enough that per-transaction cost vanishes. */
export const IMPORT_CHUNK = 8_000;

export interface ImportHooks {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Minimum milliseconds between progress callbacks. */
  progressEveryMs?: number;
  /** Rows per transaction (default IMPORT_CHUNK; tests use small chunks). */
  chunkSize?: number;
  /** Where the import lock is taken (default navigator.locks, in-memory in Node). */
  locks?: Locks;
  /**
   * Tests only: milliseconds to wait before storing each chunk, so an e2e test can act
   * while an import is still running (a 60k-row import takes a few seconds otherwise).
   */
  paceMs?: number;
}

export class ImportCancelled extends Error {
  constructor() {
    super('Import cancelled.');
  }
}

/** Streams a Blob as byte chunks (Blob.stream() works in browsers, workers and Node). */
export function blobChunks(blob: Blob): AsyncIterable<Uint8Array> {
  return streamChunks(blob.stream() as ReadableStream<Uint8Array>);
}

/**
 * Everything an import step needs: the journal writer with write-behind (the next
 * chunk is parsed while the previous one is being stored), counts and progress.
 */
export class ImportSession {
  readonly counts: Record<string, number> = {};
  readonly issues: InputIssue[] = [];
  private pending: Promise<void> = Promise.resolve();
  private bytesBefore = 0;
  private bytesNow = 0;
  private lastProgress = 0;
  private file = '';
  readonly started = Date.now();
  /** Milliseconds spent in IndexedDB writes, and parsing blocked waiting for them. */
  readonly timings = { writeMs: 0, waitMs: 0 };

  constructor(
    readonly db: QuarryDB,
    readonly projectId: string,
    readonly writer: ImportWriter,
    readonly bytesTotal: number,
    private readonly hooks: ImportHooks,
  ) {}

  get chunkSize(): number {
    return this.hooks.chunkSize ?? IMPORT_CHUNK;
  }

  checkCancelled(): void {
    if (this.hooks.signal?.aborted) throw new ImportCancelled();
  }

  /** Queues a chunk for storage; waits only for the chunk before it (one write in flight). */
  async store(table: ImportTable, rows: object[], countAs: string = table): Promise<void> {
    this.checkCancelled();
    if (this.hooks.paceMs) {
      await new Promise((r) => setTimeout(r, this.hooks.paceMs));
      this.checkCancelled();
    }
    const previous = this.pending;
    const w0 = performance.now();
    await previous;
    const w1 = performance.now();
    this.timings.waitMs += w1 - w0;
    this.pending = this.writer.write(table, rows).then(() => {
      this.timings.writeMs += performance.now() - w1;
      this.counts[countAs] = (this.counts[countAs] ?? 0) + rows.length;
      this.progress(true);
    });
    // Keep a rejection observed so an unawaited failure cannot go unhandled; flush() rethrows it.
    this.pending.catch(() => {});
  }

  async flush(): Promise<void> {
    await this.pending;
  }

  /** Wraps a file's chunks so its bytes count towards the progress bar. */
  read(f: NamedFile): AsyncIterable<Uint8Array> {
    this.bytesBefore += this.bytesNow;
    this.bytesNow = 0;
    this.file = f.path;
    this.progress(true);
    return countBytes(blobChunks(f.file), (n) => {
      this.bytesNow = n;
      this.progress(false);
    });
  }

  rows(): number {
    let n = 0;
    for (const v of Object.values(this.counts)) n += v;
    return n;
  }

  progress(force: boolean): void {
    const now = Date.now();
    if (!this.hooks.onProgress || (!force && now - this.lastProgress < (this.hooks.progressEveryMs ?? 100))) return;
    this.lastProgress = now;
    const elapsedMs = now - this.started;
    const rows = this.rows();
    this.hooks.onProgress({
      file: this.file,
      bytesDone: this.bytesBefore + this.bytesNow,
      bytesTotal: this.bytesTotal,
      rows,
      rowsPerSec: elapsedMs > 0 ? Math.round((rows * 1000) / elapsedMs) : 0,
      elapsedMs,
    });
  }
}

/** Ids known in the project plus those imported now: a qrel may point at either. */
function union(a: Set<string>, b: Set<string>): IdSet {
  return { has: (id) => a.has(id) || b.has(id) };
}

async function importBeir(s: ImportSession, files: NamedFile[]): Promise<void> {
  const beir = await classifyFiles(files);
  if (!beir.corpus && !beir.queries && Object.keys(beir.qrels).length === 0) {
    throw new Error(
      `No BEIR files among ${files.map((f) => f.path).join(', ')}: expected corpus.jsonl, queries.jsonl or qrels/<split>.tsv (optionally .gz).`,
    );
  }
  if (beir.other.length) {
    for (const f of beir.other) s.issues.push({ file: f.path, line: 0, reason: 'not a BEIR file (expected corpus.jsonl, queries.jsonl or qrels/<split>.tsv); skipped' });
  }
  const newDocs = new Set<string>();
  const newQueries = new Set<string>();
  const ctx = (f: NamedFile) => ({ file: f.path, issues: s.issues, decompress: webGunzip });

  if (beir.corpus) {
    let buf: object[] = [];
    for await (const d of parseCorpus(s.read(beir.corpus), ctx(beir.corpus))) {
      newDocs.add(d.id);
      buf.push(toDocumentRecord(s.projectId, d));
      if (buf.length >= s.chunkSize) {
        await s.store('documents', buf);
        buf = [];
      }
    }
    await s.store('documents', buf);
  }
  if (beir.queries) {
    let buf: object[] = [];
    for await (const q of parseQueries(s.read(beir.queries), ctx(beir.queries))) {
      newQueries.add(q.id);
      buf.push(toQueryRecord(s.projectId, q));
      if (buf.length >= s.chunkSize) {
        await s.store('queries', buf);
        buf = [];
      }
    }
    await s.store('queries', buf);
  }
  const splits = Object.keys(beir.qrels).sort();
  if (splits.length) {
    await s.flush();
    const [oldDocs, oldQueries] = await Promise.all([
      listDocumentIds(s.db, s.projectId),
      listQueryIds(s.db, s.projectId),
    ]);
    const docIds = union(newDocs, new Set(oldDocs));
    const queryIds = union(newQueries, new Set(oldQueries));
    for (const split of splits) {
      const f = beir.qrels[split];
      let buf: object[] = [];
      for await (const r of parseQrels(s.read(f), { ...ctx(f), docIds, queryIds })) {
        buf.push(toQrelRecord(s.projectId, split, r));
        if (buf.length >= s.chunkSize) {
          await s.store('qrels', buf);
          buf = [];
        }
      }
      await s.store('qrels', buf);
    }
  }
  await s.flush();
  // Files that held nothing (all empty, or every line bad) are not a successful import of 0
  // rows: the import fails, and since it stored nothing, the project is as it was.
  if (s.rows() === 0) {
    const why = s.issues.filter((i) => i.line === 0).map((i) => `${i.file}: ${i.reason}`);
    throw new Error(`Nothing to import: ${why.length ? why.join('; ') : `no valid row in ${files.map((f) => f.path).join(', ')} (see the report)`}`);
  }
}

function fileNames(req: ImportRequest): string[] {
  return req.kind === 'beir' ? req.files.map((f) => f.path) : [req.file.path];
}

function totalBytes(req: ImportRequest): number {
  return req.kind === 'beir' ? req.files.reduce((n, f) => n + f.file.size, 0) : req.file.file.size;
}

/** A storage error in words a user can act on (Dexie wraps the browser's DOMException). */
function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; inner?: { name?: string } } | undefined;
  const quota = e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError';
  if (quota) return 'QuotaExceededError: the browser has no more storage for this site (free space, delete a project, or allow persistent storage)';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Imports files into a project. Never throws for bad input: the result says done,
 * failed (nothing of this import kept) or cancelled (nothing kept), and a report with
 * every issue is stored. Refused (failed, nothing written) while another tab imports
 * into the same project.
 */
export async function runImport(db: QuarryDB, projectId: string, req: ImportRequest, hooks: ImportHooks = {}): Promise<ImportResult> {
  const locks = hooks.locks ?? getLocks();
  const result = await locks.request(importLockName(projectId), { ifAvailable: true }, (lock) =>
    lock ? importHoldingLock(db, projectId, req, hooks) : null,
  );
  return (
    result ?? {
      status: 'failed',
      counts: {},
      issueCount: 0,
      ms: 0,
      error: 'Another import into this project is running (in this or another tab): wait for it to finish.',
      rollback: 'done',
    }
  );
}

async function importHoldingLock(db: QuarryDB, projectId: string, req: ImportRequest, hooks: ImportHooks): Promise<ImportResult> {
  const files = fileNames(req);
  const started = Date.now();
  let importId: string | undefined;
  let session: ImportSession | undefined;
  let runId: string | undefined;
  let status: ImportResult['status'] = 'done';
  let error: string | undefined;
  let rollback: ImportResult['rollback'];
  let rollbackError: string | undefined;
  try {
    const imp = await beginImport(db, projectId, files);
    importId = imp.id;
    session = new ImportSession(db, projectId, new ImportWriter(db, imp), totalBytes(req), hooks);
    if (req.kind === 'beir') await importBeir(session, req.files);
    else runId = await importTrainingRows(session, req);
    session.checkCancelled();
    await commitImport(db, imp.id);
    session.progress(true);
  } catch (err) {
    status = err instanceof ImportCancelled ? 'cancelled' : 'failed';
    error = status === 'failed' ? describeError(err) : undefined;
    runId = undefined;
    // Let an in-flight chunk settle before undoing, so nothing lands after the rollback.
    await session?.flush().catch(() => {});
    rollback = 'done';
    if (importId) {
      // The rows stay hidden whatever happens here; an unfinished rollback is finished
      // by the next recovery (app start in any tab, or the next import into the project).
      await rollbackImport(db, importId).catch((e: unknown) => {
        rollback = 'pending';
        rollbackError = describeError(e);
      });
    }
  }
  const ms = Date.now() - started;
  const counts = status === 'done' ? (session?.counts ?? {}) : {};
  const issues = session?.issues ?? [];
  // What the project holds now, for the message of a failed or cancelled import.
  const stored = status === 'done' ? undefined : await corpusCounts(db, projectId).catch(() => undefined);
  let reportId: number | undefined;
  let reportError: string | undefined;
  try {
    if (await db.projects.get(projectId)) {
      reportId = await saveImportReport(db, {
        projectId,
        at: Date.now(),
        files,
        counts,
        issues,
        status,
        importId,
        kind: req.kind === 'beir' ? 'beir' : req.format,
        ms,
        ...(error ? { error } : {}),
      });
    }
  } catch (e) {
    // A full disk can refuse the report too; the import's outcome stands and is returned.
    reportError = describeError(e);
  }
  const timings = session ? { writeMs: Math.round(session.timings.writeMs), waitMs: Math.round(session.timings.waitMs) } : undefined;
  return {
    status,
    importId,
    reportId,
    counts,
    issueCount: issues.length,
    ms,
    error,
    runId,
    timings,
    ...(rollback ? { rollback } : {}),
    ...(rollbackError ? { rollbackError } : {}),
    ...(reportError ? { reportError } : {}),
    ...(stored ? { stored: { documents: stored.documents, queries: stored.queries, qrels: stored.qrels } } : {}),
  };
}
