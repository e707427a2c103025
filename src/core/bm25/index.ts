export { tokenize } from './tokenize';
export { Bm25Index, DEFAULT_BM25_PARAMS } from './bm25-index';
export type { Bm25Params, Bm25Document } from './bm25-index';
