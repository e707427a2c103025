// Public API of src/core/formats (see README.md).
export { readLines, readLineBatches, countBytes, chunksOf, streamChunks, type LineEvent } from './lines.ts';
export { maybeDecompress, webGunzip, type Decompress } from './gzip.ts';
export { readJsonl, readJsonlBatches, StreamReadError, type ParseContext, type JsonRecord } from './jsonl.ts';
export {
  parseCorpus,
  parseQueries,
  parseQrels,
  loadBeir,
  type IdSet,
  type QrelsContext,
  type ChunkSource,
  type BeirSource,
  type BeirData,
  type LoadBeirOptions,
} from './beir.ts';
export { parseCsvRecords, csvCell, csvLines, escapeFormula, unescapeFormula, type CsvRecord, type CsvOptions } from './csv.ts';
export { textId, hash64 } from './ids.ts';
export {
  importTrainingFile,
  detectColumns,
  BundleBuilder,
  type ImportBundle,
  type ImportOptions,
  type ImportedCandidate,
} from './pairs.ts';
export * from './export/index.ts';
