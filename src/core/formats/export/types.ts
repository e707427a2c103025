// The neutral shape every export writer reads: one query with its positives and the
// negatives kept for it (already selected, denoised and reviewed upstream).

export interface ExamplePositive {
  id: string;
  text: string;
  /** Cross-encoder logit of (query, positive), written as FlagEmbedding `pos_scores`. */
  score?: number;
  /**
   * Promoted in review (not one of the qrels' own positives). Positives list the qrels'
   * own first; one-positive-per-row formats write rows for the first positive and for
   * every promoted one, so a promotion adds rows and never replaces the gold positive.
   */
  promoted?: boolean;
}

export interface ExampleNegative {
  id: string;
  text: string;
  /** Retrieval score (the run's score source; never written as a teacher score). */
  score?: number;
  /** Cross-encoder logit of (query, negative), written as FlagEmbedding `neg_scores`. */
  ce?: number;
}

export interface TrainingExample {
  queryId: string;
  query: string;
  positives: ExamplePositive[];
  /** In the order they should be written (best first). */
  negatives: ExampleNegative[];
  /**
   * Query instruction: FlagEmbedding's embedder reads it as `prompt` (format `flag`), its
   * reranker as `query_prompt` (format `flag-reranker`, where `prompt` is the LLM
   * reranker's yes/no question and must not hold it).
   */
  prompt?: string;
}

export type ExportFormat =
  | 'st-triplet'
  | 'st-ntuple'
  | 'st-ntuple-scores'
  | 'st-labeled-pair'
  | 'st-labeled-list'
  | 'flag'
  | 'flag-reranker'
  | 'lce'
  | 'lce-text'
  | 'tevatron'
  | 'csv'
  | 'parquet';

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  'st-triplet',
  'st-ntuple',
  'st-ntuple-scores',
  'st-labeled-pair',
  'st-labeled-list',
  'flag',
  'flag-reranker',
  'lce',
  'lce-text',
  'tevatron',
  'csv',
  'parquet',
];

/**
 * The sentence-transformers JSONL formats. Their trainers' data collators tokenise every
 * column except one label column (`label`/`score`, cross-encoders also `labels`/`scores`),
 * so id columns would break training: with `withIds` they go to a side file instead.
 */
export const isSentenceTransformersFormat = (f: ExportFormat): boolean => f.startsWith('st-');

/** Formats whose rows carry teacher (cross-encoder) scores a reranker can fill in. */
export const usesTeacherScores = (f: ExportFormat): boolean => f === 'flag' || f === 'flag-reranker' || f === 'st-ntuple-scores';

/** The FlagEmbedding formats (same rows; they differ in where an instruction goes). */
export const isFlagFormat = (f: ExportFormat): boolean => f === 'flag' || f === 'flag-reranker';

/**
 * Token ids of a text under a reranker's tokenizer, as luyug/Reranker's group files hold
 * them: no special tokens, already cut to what fits the reranker's max length (its
 * `build_train_from_ranking.py` does `tokenizer.encode(text, add_special_tokens=False,
 * max_length=..., truncation=True)`). Synchronous: callers tokenise up front if their
 * tokenizer lives elsewhere (a worker).
 */
export type TokenIdEncoder = (text: string) => number[];

export interface ExportOptions {
  /** Add `query_id`, `positive_id`, `negative_ids` to every row. */
  withIds?: boolean;
  /**
   * n-tuple width (negatives per row) for st-ntuple / parquet / csv ntuple. Defaults to the
   * largest number of negatives any example has. Examples with fewer are skipped (as
   * sentence-transformers' mine_hard_negatives does), extra negatives are dropped.
   */
  ntupleNegatives?: number;
  /** LCE group size (1 positive + groupSize-1 negatives per line); default: all negatives. */
  lceGroupSize?: number;
  /** The reranker's tokenizer; required by `lce` (token ids), unused by `lce-text`. */
  tokenIds?: TokenIdEncoder;
  /** Row shape of the CSV export; default `triplet`. */
  csvShape?: 'triplet' | 'ntuple' | 'labeled-pair';
  /**
   * sentence-transformers formats: `first` (default) writes each query with its first
   * positive; `each` writes one row per (query, positive) as mine_hard_negatives does.
   */
  positives?: 'first' | 'each';
  /**
   * mine_hard_negatives' include_scores: triplet rows get `positive_score`/`negative_score`,
   * labeled pairs `score`, labeled lists `scores` (cross-encoder logits, else the retrieval
   * score). For inspection and filtering: the sentence-transformers collator would tokenise
   * (or, for `score`, take as the label) these columns, so drop them before training.
   */
  includeScores?: boolean;
}

export interface SkippedExample {
  queryId: string;
  reason: string;
}

export interface ExportOutput {
  /** File contents: text for JSONL/CSV, bytes for Parquet. */
  data: string | Uint8Array;
  /** Data rows written (not counting a CSV header). */
  rows: number;
  skipped: SkippedExample[];
  /** Suggested file extension without dot (`jsonl`, `csv`, `parquet`). */
  extension: string;
  mime: string;
  /** What the writer left out of every row and why (e.g. teacher scores), for the user. */
  notes: string[];
  /**
   * With `withIds` on a sentence-transformers format: the ids as JSONL, one line
   * `{query_id, positive_id, negative_ids}` per data row in the same order, to be written
   * beside the data as `<name>.ids.jsonl` (the data rows keep only trainer columns).
   */
  ids?: string;
}
