// Test support: a small BEIR folder cut from the real Debian data (some dev queries, their
// positives and every 100th other package), written to a temp dir, plus a way to run the
// quarry command in-process and capture its output.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../main';

export const SHARED = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
export const MODELS = { static: resolve(SHARED, 'models/pkgs-static'), minilm: resolve(SHARED, 'models/pkgs-minilm'), rerank: resolve(SHARED, 'models/pkgs-rerank') };

export interface DebianSlice {
  /** Temp dir; the BEIR folder is `${dir}/data` with split `dev`. */
  dir: string;
  data: string;
  queries: Array<{ id: string; text: string }>;
  /** query id → relevant doc ids */
  qrels: Map<string, string[]>;
}

/** `every`-th dev query (up to `count`), their positives and every 100th other document. */
export function debianSlice(count: number, every = 150): DebianSlice {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-slice-'));
  const src = resolve(SHARED, 'data/debian-pkgs');
  const dev = readFileSync(join(src, 'qrels/dev.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const qids = [...new Set(dev.map((r) => r[0]))].filter((_, i) => i % every === 0).slice(0, count);
  const rows = dev.filter((r) => qids.includes(r[0]));
  const positives = new Set(rows.map((r) => r[1]));
  const lines = readFileSync(join(src, 'corpus.jsonl'), 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((l, i) => i % 100 === 0 || positives.has((JSON.parse(l) as { _id: string })._id));
  const qlines = readFileSync(join(src, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l && qids.includes((JSON.parse(l) as { _id: string })._id));
  const data = join(dir, 'data');
  mkdirSync(join(data, 'qrels'), { recursive: true });
  writeFileSync(join(data, 'corpus.jsonl'), kept.join('\n') + '\n');
  writeFileSync(join(data, 'queries.jsonl'), qlines.join('\n') + '\n');
  writeFileSync(join(data, 'qrels/dev.tsv'), ['query-id\tcorpus-id\tscore', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
  const qrels = new Map<string, string[]>();
  for (const r of rows) qrels.set(r[0], [...(qrels.get(r[0]) ?? []), r[1]]);
  const queries = qlines.map((l) => JSON.parse(l) as { _id: string; text: string }).map((o) => ({ id: o._id, text: o.text }));
  return { dir, data, queries, qrels };
}

/** Runs `quarry ...argv` in-process; stdout and stderr captured. */
export async function quarry(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

export const readJsonl = (path: string): Array<Record<string, unknown>> =>
  readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * Rows of a JSONL export with the ids of its `.ids.jsonl` side file (sentence-transformers
 * formats with --with-ids) joined back line by line; the rows alone when there is none.
 */
export function readJsonlWithIds(path: string): Array<Record<string, unknown>> {
  const rows = readJsonl(path);
  const side = path.replace(/\.jsonl$/, '') + '.ids.jsonl';
  if (!existsSync(side)) return rows;
  const ids = readJsonl(side);
  if (ids.length !== rows.length) throw new Error(`${side} has ${ids.length} lines for ${rows.length} rows`);
  return rows.map((r, i) => ({ ...r, ...ids[i] }));
}
