// The embedding worker's RPC surface (comlink). Shared by worker.ts (implements it) and
// client.ts (calls it). Plain data only: everything here crosses postMessage.
import type { TextRole } from '../../core/models';
import type { ModelKind, ModelSettings, ModelSource } from '../../db/schema';
import type { EmbedItem, EmbedJobResult, JobProgress } from './embed-job';

export type { EmbedItem, EmbedJobResult, JobProgress };

/** What the worker needs to load a model (a ModelRecord without bookkeeping fields). */
export interface ModelRef {
  kind: ModelKind;
  source: ModelSource;
  settings: ModelSettings;
  /** Query length limit in tokens incl. [CLS]/[SEP] (bi-encoders; default 32 as in training). */
  queryMaxLength?: number;
}

export interface LoadInfo {
  /** Device that actually runs the model. */
  device: 'webgpu' | 'wasm';
  /** The WebGPU adapter (vendor architecture, e.g. `google swiftshader`) when device is webgpu. */
  adapter?: string;
  dtype: ModelSettings['dtype'];
  /** Shown to the user, e.g. "No WebGPU adapter: running on WASM". */
  notice?: string;
  loadMs: number;
  /** True when the model was already loaded in this worker. */
  cached: boolean;
  dim?: number;
  numThreads: number;
  ortBuild: 'plain' | 'asyncify';
  crossOriginIsolated: boolean;
}

export interface EmbedJobRequest {
  jobId: string;
  projectId: string;
  model: ModelRef;
  items: EmbedItem[];
  blockSize?: number;
  batchSize?: number;
}

/** Job progress with the device the blocks are being embedded on (it changes on a fallback). */
export interface EmbedJobProgress extends JobProgress {
  device: 'webgpu' | 'wasm';
  /** Why the device is not the one asked for (no adapter, WebGPU failed): shown to the user. */
  notice?: string;
}

/** A block the job just stored, sent to the caller (its vectors transferred, not copied twice). */
export interface StoredBlockMessage {
  blockId: number;
  ids: string[];
  dim: number;
  vectors: Float32Array;
}

export interface EmbedJobReply extends EmbedJobResult {
  modelKey: string;
  load: LoadInfo;
}

export interface ScoreProgress {
  done: number;
  total: number;
  rate: number;
  etaS: number | null;
}

export interface ScoreRequest {
  jobId: string;
  model: ModelRef;
  pairs: Array<[query: string, document: string]>;
  /** Map logits through the logistic function (default: raw logits). */
  sigmoid?: boolean;
  batchSize?: number;
}

export interface EmbedWorkerApi {
  /** Load (or reuse) a model; reports device, dtype, load time. */
  load(model: ModelRef): Promise<LoadInfo>;
  /** Embed texts directly (no storage): model tests, queries typed by a user, parity checks. */
  embedTexts(model: ModelRef, texts: string[], role: TextRole, batchSize?: number): Promise<Float32Array>;
  /** Character spans of each text's tokens by the model's tokenizer (token-window chunking). */
  tokenSpans(model: ModelRef, texts: string[]): Promise<Array<Array<[number, number]>>>;
  /** The stored-blocks key of a model+settings (see model-key.ts). */
  modelKey(model: ModelRef): Promise<string>;
  /** Run (or resume) an embedding job: skips stored ids, stores blocks as it goes. */
  embedJob(req: EmbedJobRequest, onProgress?: (p: EmbedJobProgress) => void, onBlock?: (b: StoredBlockMessage) => void): Promise<EmbedJobReply>;
  /**
   * A cross-encoder's content token ids of each text (no special tokens, cut to what one
   * side of a pair holds within its max length): LCE groups for luyug/Reranker.
   */
  tokenIds(model: ModelRef, texts: string[]): Promise<number[][]>;
  /** Cross-encoder scores for (query, document) pairs, in input order. */
  score(req: ScoreRequest, onProgress?: (p: ScoreProgress) => void): Promise<Float32Array>;
  /** Ask a running job to stop after its current model call. */
  cancel(jobId: string): Promise<void>;
  /** Free a loaded model's sessions. */
  unload(model: ModelRef): Promise<void>;
}
