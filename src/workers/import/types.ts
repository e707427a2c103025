// Messages between the page and the import worker (structured-clonable data only).

/** What to import. Files are File/Blob objects; their names decide their role (see classify.ts). */
/** Training file formats the importer reads (core importTrainingFile). */
export type TrainingFileFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export type ImportRequest =
  | {
      kind: 'beir';
      files: NamedFile[];
    }
  | {
      kind: 'training';
      file: NamedFile;
      format: TrainingFileFormat;
      /** Column holding the query (pairs only; detected when omitted). */
      queryColumn?: string;
      /** Column holding the positive (pairs only). */
      positiveColumn?: string;
      /** Split the (query, positive) pairs are stored under. */
      split?: string;
    };

/** A file with the path it came from (folder drops and pickers give `qrels/dev.tsv`). */
export interface NamedFile {
  path: string;
  file: Blob;
}

export interface ImportProgress {
  /** The file being read now. */
  file: string;
  /** Bytes read so far over all files of the import (compressed size for .gz). */
  bytesDone: number;
  bytesTotal: number;
  /** Rows stored so far (documents + queries + qrels + candidates). */
  rows: number;
  rowsPerSec: number;
  elapsedMs: number;
}

export interface ImportResult {
  status: 'done' | 'failed' | 'cancelled';
  importId?: string;
  reportId?: number;
  counts: Record<string, number>;
  issueCount: number;
  ms: number;
  error?: string;
  /** The run holding imported negatives, when the file had any. */
  runId?: string;
  /** Where the time went: IndexedDB writes, and parsing blocked waiting for a write. */
  timings?: { writeMs: number; waitMs: number };
  /**
   * Failed or cancelled: whether everything the import wrote is removed ('done'), or its
   * rows are still stored, hidden from every reader, and are removed by the next recovery
   * ('pending', with rollbackError saying why).
   */
  rollback?: 'done' | 'pending';
  rollbackError?: string;
  /** Failed or cancelled: what the project holds now (the import's rows are never counted). */
  stored?: { documents: number; queries: number; qrels: number };
  /** The report could not be stored (e.g. storage full). */
  reportError?: string;
}
