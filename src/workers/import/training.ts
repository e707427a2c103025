// Training files (pairs CSV/TSV/JSONL, FlagEmbedding, sentence-transformers triplets /
// n-tuples, LCE groups): parsed by core's importTrainingFile, stored as docs/queries/
// qrels; their negatives become candidates of a run named "imported negatives", to be
// reviewed like mined ones.
import { webGunzip } from '../../core/formats/gzip';
import { importTrainingFile } from '../../core/formats/pairs';
import { toDocumentRecord, toQrelRecord, toQueryRecord } from '../../db/corpus';
import { newId } from '../../db/ids';
import type { CandidateRecord, RunRecord } from '../../db/schema';
import type { ImportSession } from './importer';
import type { ImportRequest } from './types';

export const IMPORTED_RUN_NAME = 'imported negatives';

async function storeAll<T>(s: ImportSession, table: Parameters<ImportSession['store']>[0], rows: T[], map: (r: T) => object, countAs?: string) {
  for (let i = 0; i < rows.length; i += s.chunkSize) await s.store(table, rows.slice(i, i + s.chunkSize).map(map), countAs);
}

/** Returns the id of the run holding imported negatives, when the file had any. */
export async function importTrainingRows(s: ImportSession, req: Extract<ImportRequest, { kind: 'training' }>): Promise<string | undefined> {
  const bundle = await importTrainingFile(s.read(req.file), {
    file: req.file.path,
    format: req.format,
    queryColumn: req.queryColumn || undefined,
    positiveColumn: req.positiveColumn || undefined,
    decompress: webGunzip,
  });
  s.issues.push(...bundle.issues);
  s.checkCancelled();
  if (bundle.queries.length === 0) {
    throw new Error(`${req.file.path}: no usable (query, positive) rows${bundle.issues.length ? ' (see the issues listed)' : ''}.`);
  }
  const split = req.split?.trim() || 'train';
  const pid = s.projectId;
  await storeAll(s, 'documents', bundle.docs, (d) => toDocumentRecord(pid, d));
  await storeAll(s, 'queries', bundle.queries, (q) => toQueryRecord(pid, q));
  await storeAll(s, 'qrels', bundle.qrels, (q) => toQrelRecord(pid, split, q));
  let runId: string | undefined;
  if (bundle.candidates.length) {
    runId = newId('run');
    const run: RunRecord = {
      id: runId,
      projectId: pid,
      name: IMPORTED_RUN_NAME,
      createdAt: Date.now(),
      status: 'done',
      stages: { import: { done: bundle.candidates.length, total: bundle.candidates.length, status: `from ${req.file.path}` } },
      config: {
        split,
        members: [],
        fusion: 'rrf',
        strategy: 'imported',
        range: [0, 0],
        negatives: 0,
        randomNegatives: 0,
        chunk: 'none',
        depth: 0,
      },
    };
    await s.store('runs', [run], 'runs');
    // Rank = order of the negative within its query's row(s) in the file.
    const perQuery = new Map<string, number>();
    const rid = runId;
    await storeAll(s, 'candidates', bundle.candidates, (c): CandidateRecord => {
      const rank = (perQuery.get(c.queryId) ?? 0) + 1;
      perQuery.set(c.queryId, rank);
      return { runId: rid, projectId: pid, queryId: c.queryId, docId: c.docId, rank, fused: c.score ?? 0, members: {}, flags: [] };
    });
  }
  await s.flush();
  return runId;
}
