// Parquet export of sentence-transformers n-tuples (anchor, positive, negative_1..n, all
// strings), readable by Hugging Face `datasets`, pandas and DuckDB. A column whose values are
// lists (`negative_ids`) is a standard 3-level list<string> (LIST / repeated `list` /
// `element`), the same type the JSONL export's lists load as, not a JSON string.
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { RowSet } from './rows.ts';

type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number];

const text = (v: unknown): string | null => (typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v));

export function rowsToParquet(set: RowSet): Uint8Array {
  const schema: SchemaElement[] = [{ name: 'root', num_children: set.columns.length }];
  const columnData = set.columns.map((name) => {
    const isList = set.rows.some((r) => Array.isArray(r[name]));
    if (isList) {
      schema.push(
        { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      );
      return { name, data: set.rows.map((r) => (Array.isArray(r[name]) ? (r[name] as unknown[]).map((x) => String(x)) : null)) };
    }
    schema.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    return { name, data: set.rows.map((r) => text(r[name])) };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData, schema }));
}
