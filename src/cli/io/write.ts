// Writing CLI outputs: whole export files and line-by-line JSONL.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExportOutput } from '../../core/formats/export/types.ts';

/** Writes an export (text or Parquet bytes) to `path`, creating the folder if needed. */
export function writeExport(path: string, output: Pick<ExportOutput, 'data'>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, output.data);
}

/** Where a sentence-transformers export's ids go: `train.jsonl` → `train.ids.jsonl`. */
export function idsSidePath(path: string): string {
  return path.replace(/(\.jsonl)?(\.gz)?$/i, '') + '.ids.jsonl';
}
