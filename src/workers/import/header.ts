// Reads the column names of a pairs file (CSV/TSV header, or the keys of the first JSONL
// object) from its first 64 KB, for the column-mapping form.
import { chunksOf } from '../../core/formats/lines';
import { parseCsvRecords } from '../../core/formats/csv';
import { detectColumns, knownShape } from '../../core/formats/pairs';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import type { TrainingFileFormat } from './types';
import { readJsonl } from '../../core/formats/jsonl';
import { maybeDecompress, webGunzip } from '../../core/formats/gzip';
import { blobChunks } from './importer';

export interface FileColumns {
  columns: string[];
  detected?: { query: string; positive: string };
  /** FlagEmbedding / LCE / labeled-pair rows carry their own structure: no mapping needed. */
  structured: boolean;
}

async function head(file: Blob): Promise<Uint8Array> {
  // Gzip can't be cut at a byte offset: decompress the stream and stop after 64 KB.
  const out: Uint8Array[] = [];
  let n = 0;
  for await (const c of maybeDecompress(blobChunks(file), webGunzip)) {
    out.push(c);
    n += c.length;
    if (n >= 65536) break;
  }
  const all = new Uint8Array(n);
  let at = 0;
  for (const c of out) {
    all.set(c, at);
    at += c.length;
  }
  // Keep whole lines only: the last one may be cut.
  const lastNl = all.lastIndexOf(10);
  return n >= 65536 && lastNl > 0 ? all.subarray(0, lastNl + 1) : all;
}

export async function readColumns(file: Blob, name: string, format: TrainingFileFormat): Promise<FileColumns> {
  if (format === 'parquet') {
    // The schema is in the footer: read it from the whole file's metadata.
    const columns = parquetSchema(parquetMetadata(await file.arrayBuffer())).children.map((c) => c.element.name);
    return { columns, detected: detectColumns(columns), structured: knownShape(columns) || columns.includes('labels') };
  }
  const bytes = await head(file);
  const issues: { file: string; line: number; reason: string }[] = [];
  if (format === 'jsonl') {
    for await (const { value } of readJsonl(chunksOf(bytes), { file: name, issues })) {
      const columns = Object.keys(value);
      const structured =
        'qry' in value ||
        (typeof value.query === 'string' && Array.isArray(value.pos)) ||
        Array.isArray(value.positive_passages) ||
        Array.isArray(value.labels) ||
        ('label' in value && knownShape(columns));
      return { columns, detected: detectColumns(columns), structured };
    }
    return { columns: [], structured: false };
  }
  for await (const rec of parseCsvRecords(chunksOf(bytes), { file: name, issues }, { delimiter: format === 'tsv' ? '\t' : ',' })) {
    const columns = rec.cells.map((c) => c.trim());
    return { columns, detected: detectColumns(columns), structured: columns.includes('label') && knownShape(columns) };
  }
  return { columns: [], structured: false };
}

/**
 * Why a pairs file cannot be mapped (undefined when it can): an empty file or a single
 * column would leave a mapping form with nothing to pick, so the page says so instead.
 */
export function mappingProblem(path: string, columns: FileColumns): string | undefined {
  if (columns.structured) return undefined;
  if (columns.columns.length === 0) return `${path}: the file is empty (no header row and no data): nothing to import, nothing was changed.`;
  if (columns.columns.length < 2) {
    return `${path}: only one column ("${columns.columns[0]}"): a pairs file needs a query column and a positive column; nothing was changed.`;
  }
  return undefined;
}
