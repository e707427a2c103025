export { tokenize, detectTokenizer, resolveTokenizer, unsegmentedShare, isTokenizerOption, TOKENIZER_OPTIONS, UNSEGMENTED_DEFAULT } from './tokenize';
export type { TokenizerKind, TokenizerOption } from './tokenize';
export { Bm25Index, DEFAULT_BM25_PARAMS } from './bm25-index';
export type { Bm25Params, Bm25BuildParams, Bm25Document } from './bm25-index';
