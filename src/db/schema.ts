// The IndexedDB schema (Dexie). Each record type is declared once here; the store
// layout evolves only through numbered versions in migrations.ts (tested against data
// written by the older version). Repositories in this folder are the only writers.
import type { TokenizerKind } from '../core/bm25/tokenize';
import type { CandidateFlag, DecisionLabel, FusionMethod } from '../core/types';
import type { Dtype, Pooling } from '../core/spec/member-spec';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: number;
  /** Markdown review guidelines, shown on first open of Review and on `g`. */
  guidelines: string;
  /** Set for the bundled stakeholder demo projects. */
  demo?: boolean;
  /** Which bundled demo (not indexed, no migration): absent = the English one, 'ja' = public/demo-ja. */
  demoSet?: 'ja';
  /** Last time the project was opened or changed (schema v2; v1 rows get createdAt). */
  updatedAt?: number;
}

/**
 * A document as readers get it (src/db/corpus.ts). Since schema v5 documents, queries and
 * imported qrels are not one IndexedDB record per row: they are stored in blocks of rows
 * (CorpusBlockRecord), which is what makes a 64k-document import cheap.
 */
export interface DocumentRecord {
  projectId: string;
  id: string;
  title: string;
  text: string;
  /** v3–v4 rows only: the import that wrote the row. */
  importId?: string;
}

export interface QueryRecord {
  projectId: string;
  id: string;
  text: string;
  /** v3–v4 rows only: the import that wrote the row. */
  importId?: string;
}

/**
 * A relevance judgement. Imported qrels live in corpus blocks (schema v5); the `qrels`
 * table holds only those added one at a time by review (a candidate promoted to positive),
 * which win over an imported judgement of the same (split, query, document).
 */
export interface QrelRecord {
  projectId: string;
  split: string;
  queryId: string;
  docId: string;
  score: number;
  /** 'import' for qrels read from files, 'review' for a candidate promoted to positive. */
  source: 'import' | 'review';
  /** v3–v4 rows only: the import that wrote the row. */
  importId?: string;
}

export type CorpusKind = 'documents' | 'queries' | 'qrels';

/**
 * Up to a few hundred rows of one kind of one project, stored as columns in ONE record
 * (schema v5; src/db/corpus-blocks.ts). A block is written once and never changed: a
 * change is a new block (new blockId) and the deletion of the old one, so a reader that
 * has seen the same set of block ids has seen the same rows (corpus.ts caches on that).
 * Among the visible blocks of a project, a row key (document id, query id, or split +
 * query + document of a qrel) appears at most once: writers keep it so.
 */
export interface CorpusBlockRecord {
  projectId: string;
  kind: CorpusKind;
  /** Unique, never reused; within one import, blockIds sort in write order. */
  blockId: string;
  /** The import that wrote the block ('' for rows written outside an import); hidden until it commits. */
  importId: string;
  /** documents and queries: their ids; qrels: the query ids. */
  ids: string[];
  /** documents: titles. */
  titles?: string[];
  /** documents and queries: texts. */
  texts?: string[];
  /** qrels: split, document id and score of each judgement. */
  splits?: string[];
  docIds?: string[];
  scores?: number[];
}

/**
 * The row keys of one block, without their text (schema v5): what id lists, counts and
 * "which block holds document X" read, so none of them loads the texts.
 */
export interface CorpusIndexRecord {
  projectId: string;
  kind: CorpusKind;
  blockId: string;
  importId: string;
  /** Row keys in the block's order (rowKey in corpus-blocks.ts). */
  keys: string[];
}

export interface ChunkRecord {
  projectId: string;
  /** The chunking configuration, e.g. `tokens:128:32@<tokenizer>` or `paragraphs`. */
  chunker: string;
  docId: string;
  idx: number;
  text: string;
  start: number;
  end: number;
}

export type ModelKind = 'bi-encoder' | 'cross-encoder';
export type ModelSource =
  | { type: 'bundled'; path: string }
  | { type: 'hub'; hubId: string }
  | { type: 'local'; folder: string };

export interface ModelSettings {
  pooling: Pooling;
  /** L2-normalise vectors (cosine scores); false: raw vectors, scored by dot product. */
  normalize: boolean;
  queryPrefix: string;
  docPrefix: string;
  maxLength: number;
  dtype: Dtype;
  device: 'auto' | 'webgpu' | 'wasm';
  /**
   * Where settings that a model folder's own files gave came from, e.g. `{ pooling:
   * '1_Pooling/config.json' }` (sentence-transformers metadata, read when the model was added).
   * A setting the user changed afterwards loses its entry.
   */
  from?: Partial<Record<'pooling' | 'normalize' | 'queryPrefix' | 'docPrefix', string>>;
}

export interface ModelRecord {
  id: string;
  /** null: available to every project. */
  projectId: string | null;
  name: string;
  kind: ModelKind;
  source: ModelSource;
  settings: ModelSettings;
  createdAt: number;
}

/** A model's measured rate on one device (schema v4; src/db/throughput.ts). */
export interface ThroughputRecord {
  /** `<model id or spec model>|<dtype>` (throughputModel). */
  model: string;
  /** The device that ran it: `wasm`, `webgpu`. */
  device: string;
  /** Texts per second (pairs per second for a cross-encoder). */
  perS: number;
  at: number;
  /** 'test': the Models page test; 'run': what a mining run's embed stage achieved. */
  source: 'test' | 'run';
  /** Texts (or pairs) the rate was measured over. */
  items: number;
}

/** A block of vectors of one model+settings, stored as one typed array (not one object per number). */
export interface EmbeddingBlockRecord {
  projectId: string;
  /** Hash of model id + settings that change vectors. */
  modelKey: string;
  blockId: number;
  /** Item ids in this block: `d:<docId>`, `q:<queryId>` or `c:<chunker>|<docId>#<chunk>` (the chunker
   * is part of the id: two chunkings of a document give different texts under the same `#idx`). */
  ids: string[];
  dim: number;
  /** ids.length × dim, row-major. */
  vectors: Float32Array;
}

export interface MemberConfig {
  /** CLI-style spec: `bm25:k1=0.9:b=0.4` or `dense:<modelId>`. */
  spec: string;
  name: string;
  weight: number;
}

export interface MiningConfig {
  split: string;
  members: MemberConfig[];
  fusion: FusionMethod;
  strategy: string;
  range: [number, number];
  /**
   * What `range` means (core selection/range.ts): 'window' (FlagEmbedding range_for_sampling,
   * fused ranks with positives counted, before filters) or 'st' (sentence-transformers
   * range_min/range_max, after positives and filters). Absent: 'window' (older runs).
   */
  rangeSemantics?: 'window' | 'st';
  /** 'top' (absent) takes the first N passing candidates; 'random' a seeded uniform sample. */
  sampling?: 'top' | 'random';
  /** Fill up to N with random corpus documents when too few pass (FlagEmbedding). */
  pad?: boolean;
  negatives: number;
  randomNegatives: number;
  reranker?: string;
  chunk: string;
  /** Cross-encoder denoising rule, e.g. `abs:0.9` or `rel:0.95`. */
  denoise?: string;
  depth: number;
  /**
   * The scale strategy thresholds compare: a member name (its raw scores, e.g. a dense
   * member's cosine) or 'fused' (core defaultScoreSource picks it, as `quarry mine`).
   * Absent on runs stored before it was recorded: those compared fused scores.
   */
  scoreSource?: string;
  /** What `tokenizer=auto` resolved to per BM25 member, stored by the miner once it has indexed the corpus. */
  bm25Tokenizers?: Record<string, TokenizerKind>;
}

export interface RunRecord {
  id: string;
  projectId: string;
  name: string;
  createdAt: number;
  config: MiningConfig;
  status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
  /** Per-stage progress, e.g. { embed: { done: 120, total: 4000 } }. */
  stages: Record<string, { done: number; total: number; status?: string }>;
  /** Evaluation per member and for the ensemble: metric name → value. */
  metrics?: Record<string, Record<string, number>>;
  error?: string;
  /**
   * Set on the Evaluate page: unreviewed candidates whose predicted false-negative probability
   * (src/db/learn.ts) is above this are left out of exports that include unreviewed ones.
   */
  learnThreshold?: number;
  /** Wall-clock times of the session that last ran this run (the mining worker's clock). */
  timing?: RunTiming;
}

/**
 * When the last session of a run started and finished, and how long each stage took in it
 * (stages may overlap: BM25 retrieval runs while the dense members embed). A resumed run
 * starts a new session: the figures then cover only what that session did.
 */
export interface RunTiming {
  startedAt: number;
  finishedAt?: number;
  /** Stage name → milliseconds from its start to its end in this session. */
  stageMs: Record<string, number>;
}

export interface MemberScore {
  rank: number | null;
  score: number | null;
}

export interface CandidateRecord {
  runId: string;
  projectId: string;
  queryId: string;
  docId: string;
  /** Rank in the fused list (1-based). */
  rank: number;
  fused: number;
  members: Record<string, MemberScore>;
  /** Cross-encoder score of (query, candidate), when a reranker ran. */
  ce?: number;
  /** Cross-encoder score of (query, hardest positive). */
  cePositive?: number;
  flags: CandidateFlag[];
  /** The chunk that won MaxP for long documents. */
  chunk?: { idx: number; text: string };
}

/** The current decision on a (query, document) pair by one reviewer; it outlives runs. */
export interface DecisionRecord {
  projectId: string;
  queryId: string;
  docId: string;
  reviewer: string;
  label: DecisionLabel;
  at: number;
  /** The run in which the decision was made. */
  runId: string;
  /** Milliseconds the reviewer spent on this candidate. */
  ms?: number;
}

/** Append-only log of decision changes, for undo/redo and time-per-decision statistics. */
export interface DecisionEventRecord {
  seq?: number;
  projectId: string;
  queryId: string;
  docId: string;
  reviewer: string;
  label: DecisionLabel | null;
  previous: DecisionLabel | null;
  at: number;
  runId: string;
}

export interface ImportReportRecord {
  id?: number;
  projectId: string;
  at: number;
  files: string[];
  counts: Record<string, number>;
  issues: { file: string; line: number; reason: string }[];
  status: 'done' | 'failed' | 'cancelled';
  /** The import journal entry (schema v2). */
  importId?: string;
  /** What was imported: `beir`, `pairs`, `flag`, `st`. */
  kind?: string;
  /** Wall time from start to commit (or failure). */
  ms?: number;
  /** Why the import failed, when status is 'failed'. */
  error?: string;
  /** Issues beyond the stored list (the report keeps the first 10,000). */
  moreIssues?: number;
}

/**
 * Import journal (schema v3; blocks since v5). An import is invisible until it commits:
 * - its documents, queries and qrels go straight into corpus blocks tagged with its
 *   `importId`; the one read path (src/db/corpus.ts) hides blocks of imports that have not
 *   committed, so readers see the project exactly as before the import;
 * - the run of imported negatives waits in `importStaged` and is written by the commit;
 * - candidates belong to that staged run, so nothing reaches them before the commit.
 * Commit is one transaction: staged runs are written, rows the import replaces (same id in
 * an older block) are removed from the older blocks, the status flips. Rollback deletes
 * the tagged blocks and the staged rows.
 * While an import runs, its tab holds the Web Lock `quarry-import:<projectId>`; a
 * 'running' import whose lock nobody holds was interrupted (see recoverImports).
 */
export interface ImportRecord {
  id: string;
  projectId: string;
  status: 'running' | 'committed' | 'rolled-back';
  startedAt: number;
  /** Last change of status (or the last chunk written). */
  updatedAt: number;
  files: string[];
  /** v3–v4: tables where this project had no rows when the import started (no longer used). */
  freshTables?: string[];
}

export type ImportTable = 'documents' | 'queries' | 'qrels' | 'runs' | 'candidates';
/** v2 name, kept for the v2→v3 upgrade. */
export type UndoTable = ImportTable;

/** Rows an import writes only when it commits (schema v3). */
export interface ImportStagedRecord {
  importId: string;
  seq: number;
  table: ImportTable;
  rows: unknown[];
}

/** v2 undo log of an import (replayed by the v3 upgrade for imports v2 left running). */
export interface ImportUndoRecord {
  importId: string;
  seq: number;
  table: UndoTable;
  /** Primary keys this chunk created (deleted on rollback). */
  added: unknown[];
  /** Rows this chunk overwrote, as they were before (restored on rollback). */
  replaced: unknown[];
}

/** A resumable background job (embedding, mining) and how far it got. */
export interface JobRecord {
  id: string;
  projectId: string;
  kind: string;
  params: unknown;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  updatedAt: number;
}
