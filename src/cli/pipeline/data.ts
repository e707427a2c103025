// Loading what rank/eval/mine work on: a BEIR folder and one split's judged queries.
import { resolve } from 'node:path';
import { qrelsFromList, type Qrels } from '../../core/metrics';
import type { Doc, Query } from '../../core/types';
import { UserError, type CliIO } from '../args';
import { loadBeirFolder, reportIssues } from '../io/beir';

export interface SplitData {
  dir: string;
  split: string;
  docs: Doc[];
  /** Queries with at least one relevant (score > 0) judgement in the split, in file order. */
  queries: Query[];
  /** Relevant judgements only: query id → doc id → grade (> 0). */
  qrels: Qrels;
  /** Bad lines and file problems reported (and skipped): the command's exit status is 1 when > 0. */
  issues: number;
}

/**
 * Exit status of a command that finished its work on `data`: 1 when input lines were skipped
 * (README and DESIGN promise it: a script must notice), said once more at the end.
 */
export function finish(data: Pick<SplitData, 'issues'>, log: (line: string) => void): number {
  if (data.issues === 0) return 0;
  log(`exit status 1: ${data.issues} input problem${data.issues === 1 ? ' was' : 's were'} reported above and skipped`);
  return 1;
}

export async function loadSplit(dataArg: string, split: string, io: CliIO, log: (l: string) => void): Promise<SplitData> {
  const dir = resolve(io.cwd, dataArg);
  const t0 = performance.now();
  const data = await loadBeirFolder(dir, { splits: [split] });
  const issues = reportIssues(io, dir, data.issues);
  const qrels = qrelsFromList((data.qrels[split] ?? []).filter((q) => q.score > 0));
  const queries = data.queries.filter((q) => qrels.has(q.id));
  if (queries.length === 0) throw new UserError(`${dir}: no query of queries.jsonl has a relevant judgement in qrels/${split}.tsv`);
  if (data.docs.length === 0) throw new UserError(`${dir}: corpus has no valid document`);
  log(`${dir}: ${data.docs.length} documents, ${queries.length} ${split} queries with qrels (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return { dir, split, docs: data.docs, queries, qrels, issues };
}
