// Decides what each chosen or dropped file is, from its path and (for .tsv) its header.
import type { NamedFile, TrainingFileFormat } from './types';

export interface BeirFiles {
  corpus?: NamedFile;
  queries?: NamedFile;
  /** Split name → qrels file. */
  qrels: Record<string, NamedFile>;
  /** Files that are not BEIR parts: training files (pairs / FlagEmbedding / ST). */
  other: NamedFile[];
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** `corpus.jsonl.gz` → `corpus`; `dev.tsv` → `dev`. */
export function stem(path: string): string {
  return baseName(path).replace(/\.gz$/i, '').replace(/\.(jsonl|json|tsv|csv)$/i, '');
}

/** Format of a training file from its extension. */
export function trainingFormat(path: string): TrainingFileFormat | undefined {
  const name = baseName(path).toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.parquet')) return 'parquet';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.tsv')) return 'tsv';
  if (name.endsWith('.jsonl') || name.endsWith('.json')) return 'jsonl';
  return undefined;
}

async function looksLikeQrels(f: NamedFile): Promise<boolean> {
  if (/(^|[\\/])qrels[\\/]/i.test(f.path)) return true;
  if (/\.gz$/i.test(f.path)) return false;
  // An empty .tsv is an empty qrels file, reported as such by the qrels parser.
  if (f.file.size === 0) return true;
  const head = await f.file.slice(0, 256).text();
  const first = head.split(/\r?\n/)[0].trim().toLowerCase();
  return first === 'query-id\tcorpus-id\tscore' || /^[^\t]+\t[^\t]+\t[+-]?\d+$/.test(first);
}

export async function classifyFiles(files: NamedFile[]): Promise<BeirFiles> {
  const out: BeirFiles = { qrels: {}, other: [] };
  for (const f of files) {
    const s = stem(f.path).toLowerCase();
    const tsv = /\.tsv(\.gz)?$/i.test(f.path);
    if (s === 'corpus' && !tsv) out.corpus = f;
    else if (s === 'queries' && !tsv) out.queries = f;
    else if (tsv && (await looksLikeQrels(f))) out.qrels[stem(f.path)] = f;
    else out.other.push(f);
  }
  return out;
}
