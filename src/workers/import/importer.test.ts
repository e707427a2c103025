import 'fake-indexeddb/auto';
import { gzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamReadError } from '../../core/formats/jsonl';
import { importLockName, memoryLocks } from '../../db/locks';
import { injectWriteFaults } from '../../db/fault-injection';
import { QuarryDB } from '../../db/db';
import { corpusCounts, getDocuments, putDocuments, putQueries } from '../../db/corpus';
import { storedRowCount } from '../../db/corpus-blocks';
import { listImportReports } from '../../db/imports';
import { createProject } from '../../db/projects';
import { runImport } from './importer';
import { classifyFiles } from './classify';
import type { NamedFile } from './types';

afterEach(() => vi.restoreAllMocks());

const file = (path: string, data: string | Uint8Array): NamedFile => ({ path, file: new Blob([data as BlobPart]) });
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function setup() {
  const db = new QuarryDB(`importer-${Math.random()}`);
  const p = await createProject(db, 'P');
  return { db, p };
}

describe('classifyFiles', () => {
  it('recognises BEIR parts by name, path and qrels header', async () => {
    const c = await classifyFiles([
      file('data/corpus.jsonl.gz', 'x'),
      file('queries.jsonl', 'x'),
      file('data/qrels/test.tsv', 'anything'),
      file('dev.tsv', 'query-id\tcorpus-id\tscore\nq\td\t1\n'),
      file('pairs.tsv', 'anchor\tpositive\nA\tB\n'),
    ]);
    expect(c.corpus?.path).toBe('data/corpus.jsonl.gz');
    expect(c.queries?.path).toBe('queries.jsonl');
    expect(Object.keys(c.qrels).sort()).toEqual(['dev', 'test']);
    expect(c.other.map((f) => f.path)).toEqual(['pairs.tsv']);
  });
});

describe('runImport (BEIR)', () => {
  it('imports gzipped corpus, queries and qrels, keeps valid rows and reports bad lines with file and line', async () => {
    const { db, p } = await setup();
    const corpus = jsonl([
      { _id: 'd1', title: 'Vim', text: 'editor' },
      { _id: 'd2', title: '<img src=x onerror=alert(1)>', text: 'html-looking title' },
    ]) + '{"_id": "d3", "title": broken\n' + jsonl([{ _id: 'd4', text: 'no title' }]);
    const queries = jsonl([{ _id: 'q1', text: 'text editor' }, { _id: 'q2' }]);
    const qrels = 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\tnope\t1\nq1\td4\tx\n';
    const progress: number[] = [];
    const res = await runImport(
      db,
      p.id,
      { kind: 'beir', files: [file('corpus.jsonl.gz', gzipSync(new TextEncoder().encode(corpus))), file('queries.jsonl', queries), file('qrels/dev.tsv', qrels)] },
      { onProgress: (x) => progress.push(x.rows), progressEveryMs: 0 },
    );
    expect(res.status).toBe('done');
    expect(res.counts).toEqual({ documents: 3, queries: 1, qrels: 1 });
    expect(await corpusCounts(db, p.id)).toEqual({ documents: 3, queries: 1, qrels: 1, splits: { dev: { qrels: 1, queries: 1, positives: 1 } } });
    expect((await getDocuments(db, p.id, ['d2']))[0]?.title).toBe('<img src=x onerror=alert(1)>');
    const [report] = await listImportReports(db, p.id);
    expect(report.status).toBe('done');
    expect(report.issues.map((i) => [i.file, i.line])).toEqual([
      ['corpus.jsonl.gz', 3],
      ['queries.jsonl', 2],
      ['qrels/dev.tsv', 3],
      ['qrels/dev.tsv', 4],
    ]);
    expect(report.issues[0].reason).toMatch(/invalid JSON/);
    expect(report.issues[2].reason).toMatch(/unknown document "nope"/);
    expect(progress.at(-1)).toBe(5);
  });

  it('qrels imported alone are checked against documents already in the project', async () => {
    const { db, p } = await setup();
    await putDocuments(db, p.id, [{ id: 'old', title: '', text: 'x' }]);
    await putQueries(db, p.id, [{ id: 'q', text: 'q' }]);
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('train.tsv', 'query-id\tcorpus-id\tscore\nq\told\t1\nq\tnew\t1\n')] });
    expect(res.counts).toEqual({ qrels: 1 });
    expect(res.issueCount).toBe(1);
  });

  it('a cancelled import leaves the earlier data exactly as it was', async () => {
    const { db, p } = await setup();
    await putDocuments(db, p.id, [{ id: 'd00001', title: 'Original', text: 'kept' }, { id: 'mine', title: 'M', text: 'm' }]);
    const chunkSize = 500;
    const n = chunkSize * 4 + 10;
    const big = jsonl(Array.from({ length: n }, (_, i) => ({ _id: `d${String(i).padStart(5, '0')}`, title: 'New', text: `t${i}` })));
    const ctrl = new AbortController();
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', big)] }, {
      signal: ctrl.signal,
      progressEveryMs: 0,
      chunkSize,
      // Cancel once two chunks are stored: rows are in the table and must be undone.
      onProgress: (x) => x.rows >= 2 * chunkSize && ctrl.abort(),
    });
    expect(res.status).toBe('cancelled');
    expect(await corpusCounts(db, p.id)).toMatchObject({ documents: 2 });
    expect((await getDocuments(db, p.id, ['d00001']))[0]?.title).toBe('Original');
    const [report] = await listImportReports(db, p.id);
    expect(report.status).toBe('cancelled');
  });

  it('fails clearly when no file is a BEIR part, storing a failed report', async () => {
    const { db, p } = await setup();
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('notes.txt', 'hello')] });
    expect(res.status).toBe('failed');
    expect(res.error).toMatch(/No BEIR files among notes.txt/);
    expect((await listImportReports(db, p.id))[0].status).toBe('failed');
  });
});

describe('empty inputs', () => {
  it('an empty corpus fails with a clear message and leaves the stored data as it was', async () => {
    const { db, p } = await setup();
    await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', jsonl([{ _id: 'd1', text: 'kept' }]))] });
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', '')] });
    expect(res.status).toBe('failed');
    expect(res.error).toBe('Nothing to import: corpus.jsonl: the corpus file is empty: no documents');
    expect((await corpusCounts(db, p.id)).documents).toBe(1);
    expect((await listImportReports(db, p.id))[0]).toMatchObject({ status: 'failed', issues: [{ file: 'corpus.jsonl', line: 0, reason: 'the corpus file is empty: no documents' }] });
  });

  it('an empty qrels file is named as an empty qrels file, not "not a BEIR file"', async () => {
    const { db, p } = await setup();
    const c = await classifyFiles([file('dev.tsv', ''), file('qrels/test.tsv', '')]);
    expect(Object.keys(c.qrels).sort()).toEqual(['dev', 'test']);
    const res = await runImport(db, p.id, {
      kind: 'beir',
      files: [file('corpus.jsonl', jsonl([{ _id: 'd1', text: 'x' }])), file('queries.jsonl', jsonl([{ _id: 'q1', text: 'y' }])), file('dev.tsv', '')],
    });
    expect(res.status).toBe('done');
    const [report] = await listImportReports(db, p.id);
    expect(report.issues).toEqual([{ file: 'dev.tsv', line: 0, reason: 'the qrels file is empty (expected query-id, corpus-id, score lines)' }]);
  });
});

describe('runImport under faults', () => {
  const corpusOf = (n: number) => jsonl(Array.from({ length: n }, (_, i) => ({ _id: `n${i}`, title: 'New', text: `t${i}` })));

  async function faultySetup() {
    const db = new QuarryDB(`faults-${Math.random()}`);
    const faults = injectWriteFaults(db);
    const p = await createProject(db, 'P');
    return { db, p, faults };
  }

  it('storage full mid-import: fails, keeps nothing of it, says what the project holds, and the next import is not refused', async () => {
    const { db, p, faults } = await faultySetup();
    await putDocuments(db, p.id, [{ id: 'old', title: 'Old', text: 'kept' }]);
    // The third chunk hits the quota (earlier chunks are stored, hidden).
    faults.failAfter.corpusBlocks = (faults.seen.corpusBlocks ?? 0) + 2;
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', corpusOf(50))] }, { chunkSize: 10 });
    expect(res.status).toBe('failed');
    expect(res.error).toMatch(/QuotaExceededError: the browser has no more storage/);
    expect(res.rollback).toBe('done');
    expect(res.stored).toEqual({ documents: 1, queries: 0, qrels: 0 });
    expect(await storedRowCount(db, 'documents')).toBe(1);
    expect((await db.imports.get(res.importId!))?.status).toBe('rolled-back');
    expect((await listImportReports(db, p.id))[0]).toMatchObject({ status: 'failed', importId: res.importId });
    delete faults.failAfter.corpusBlocks;
    const again = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', corpusOf(5))] });
    expect(again.status).toBe('done');
    expect((await corpusCounts(db, p.id)).documents).toBe(6);
  });

  it('storage full and the rollback cannot finish either: says so (not "nothing changed"), the rows stay hidden, the next import clears them', async () => {
    const { db, p, faults } = await faultySetup();
    faults.failAfter.corpusBlocks = 2;
    // Even the small writes fail: marking the import rolled back, and its report.
    faults.failAfter.imports = (faults.seen.imports ?? 0) + 1; // beginImport's add goes through
    faults.failAfter.importReports = 0;
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', corpusOf(50))] }, { chunkSize: 10 });
    expect(res).toMatchObject({ status: 'failed', rollback: 'pending', stored: { documents: 0, queries: 0, qrels: 0 } });
    expect(res.rollbackError).toMatch(/QuotaExceededError/);
    expect(res.reportError).toMatch(/QuotaExceededError/);
    expect((await db.imports.get(res.importId!))?.status).toBe('running');
    expect((await corpusCounts(db, p.id)).documents).toBe(0);
    expect(await storedRowCount(db, 'documents')).toBe(0); // the deletes themselves went through
    faults.failAfter = {};
    const again = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', corpusOf(5))] });
    expect(again.status).toBe('done');
    expect((await db.imports.get(res.importId!))?.status).toBe('rolled-back');
    expect(await storedRowCount(db, 'documents')).toBe(5);
  });

  it('a truncated .gz fails the import and rolls it back; the truncation is not a skipped bad line', async () => {
    const { db, p } = await setup();
    await putDocuments(db, p.id, [{ id: 'old', title: 'Old', text: 'kept' }]);
    const gz = gzipSync(new TextEncoder().encode(corpusOf(2000)));
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl.gz', cut)] }, { chunkSize: 200 });
    expect(res.status).toBe('failed');
    expect(res.error).toMatch(/^corpus\.jsonl\.gz: could not read past line \d+, the file is incomplete or corrupt/);
    expect(res.issueCount).toBe(0);
    expect(await corpusCounts(db, p.id)).toMatchObject({ documents: 1 });
    const [report] = await listImportReports(db, p.id);
    expect(report).toMatchObject({ status: 'failed', counts: {} });
    expect(report.error).toBe(res.error);
    expect(new StreamReadError('f', 3, new Error('x')).line).toBe(3);
  });

  it('is refused without writing anything while another tab holds the project import lock', async () => {
    const { db, p } = await setup();
    const locks = memoryLocks();
    let release!: () => void;
    await new Promise<void>((granted) => void locks.request(importLockName(p.id), { ifAvailable: true }, () => (granted(), new Promise<void>((r) => (release = r)))));
    const res = await runImport(db, p.id, { kind: 'beir', files: [file('corpus.jsonl', corpusOf(3))] }, { locks });
    expect(res.status).toBe('failed');
    expect(res.error).toMatch(/Another import into this project is running/);
    expect(await storedRowCount(db, 'documents')).toBe(0);
    expect(await db.imports.count()).toBe(0);
    release();
  });
});
