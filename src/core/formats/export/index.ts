// One entry point for every export format.
import { csvLines } from '../csv.ts';
import { rowsToParquet } from './parquet.ts';
import { flagRows, ID_COLUMNS, lceRows, tevatronRows, stLabeledListRows, stLabeledPairRows, stNtupleRows, stTripletRows, type Row, type RowSet } from './rows.ts';
import { isSentenceTransformersFormat, type ExportFormat, type ExportOptions, type ExportOutput, type TrainingExample } from './types.ts';

export * from './types.ts';
export { stTripletRows, stNtupleRows, stLabeledPairRows, stLabeledListRows, flagRows, lceRows, ntupleWidth, type Row, type RowSet } from './rows.ts';
export { rowsToParquet } from './parquet.ts';
export { codeSpan, datasetCard, markdownText, type DatasetCardInfo } from './card.ts';

/** The rows a format writes (before serialisation). */
export function exportRows(examples: TrainingExample[], format: ExportFormat, opts: ExportOptions = {}): RowSet {
  switch (format) {
    case 'st-triplet':
      return stTripletRows(examples, opts);
    case 'st-ntuple':
    case 'parquet':
      return stNtupleRows(examples, opts);
    case 'st-ntuple-scores':
      return stNtupleRows(examples, opts, true);
    case 'st-labeled-pair':
      return stLabeledPairRows(examples, opts);
    case 'st-labeled-list':
      return stLabeledListRows(examples, opts);
    case 'flag':
      return flagRows(examples, opts);
    case 'flag-reranker':
      return flagRows(examples, opts, 'reranker');
    case 'lce':
      return lceRows(examples, opts);
    case 'lce-text':
      return lceRows(examples, opts, true);
    case 'tevatron':
      return tevatronRows(examples);
    case 'csv': {
      const shape = opts.csvShape ?? 'triplet';
      if (shape === 'ntuple') return stNtupleRows(examples, opts);
      if (shape === 'labeled-pair') return stLabeledPairRows(examples, opts);
      return stTripletRows(examples, opts);
    }
  }
}

/** JSON Lines: one JSON object per line, `\n` line ends. */
/** Formats whose rows hold one positive each, where `positives: 'each'` writes a row per (query, positive). */
export function takesPositivesEach(format: ExportFormat, csvShape?: ExportOptions['csvShape']): boolean {
  if (format === 'csv') return csvShape !== 'labeled-pair';
  return format === 'st-triplet' || format === 'st-ntuple' || format === 'st-ntuple-scores' || format === 'st-labeled-list' || format === 'parquet';
}

/** Formats `includeScores` adds score columns to (mine_hard_negatives' include_scores shapes). */
export function takesIncludeScores(format: ExportFormat, csvShape?: ExportOptions['csvShape']): boolean {
  if (format === 'csv') return csvShape !== 'ntuple';
  return format === 'st-triplet' || format === 'st-labeled-pair' || format === 'st-labeled-list';
}

export function jsonlText(rows: Iterable<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const r of rows) parts.push(JSON.stringify(r));
  return parts.length ? parts.join('\n') + '\n' : '';
}

function splitIds(row: Row): [Row, Row] {
  const data: Row = {};
  const ids: Row = {};
  for (const [k, v] of Object.entries(row)) (ID_COLUMNS.includes(k) ? ids : data)[k] = v;
  return [data, ids];
}

/** Serialises a training set in one of the export formats. */
export function exportTrainingSet(examples: TrainingExample[], format: ExportFormat, opts: ExportOptions = {}): ExportOutput {
  const set = exportRows(examples, format, opts);
  const base: Pick<ExportOutput, 'rows' | 'skipped' | 'notes' | 'ids'> = { rows: set.rows.length, skipped: set.skipped, notes: set.notes ?? [] };
  if (opts.withIds && isSentenceTransformersFormat(format)) {
    // The collator would tokenise id columns: move them to the side file, same row order.
    const split = set.rows.map((r) => splitIds(r));
    set.rows = split.map(([data]) => data);
    base.ids = jsonlText(split.map(([, ids]) => ids));
  }
  if (format === 'parquet') {
    return { ...base, data: rowsToParquet(set), extension: 'parquet', mime: 'application/vnd.apache.parquet' };
  }
  if (format === 'csv') {
    return { ...base, data: [...csvLines(set.columns, set.rows)].join(''), extension: 'csv', mime: 'text/csv' };
  }
  return { ...base, data: jsonlText(set.rows), extension: 'jsonl', mime: 'application/jsonl' };
}
