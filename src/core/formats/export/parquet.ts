// Parquet export of sentence-transformers n-tuples (anchor, positive, negative_1..n, all
// strings), readable by Hugging Face `datasets`. Id columns, when asked for, are strings
// too: `negative_ids` holds a JSON array.
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { RowSet } from './rows.ts';

export function rowsToParquet(set: RowSet): Uint8Array {
  const columnData = set.columns.map((name) => ({
    name,
    type: 'STRING' as const,
    data: set.rows.map((r) => {
      const v = r[name];
      return typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v);
    }),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}
