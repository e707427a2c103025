// What core needs from a model, as plain interfaces. src/runtime implements them with
// transformers.js / onnxruntime; tests implement them with tiny fakes. No runtime type
// crosses into core.

export type TextRole = 'query' | 'document';

/** A bi-encoder: texts in, L2-normalised vectors out. */
export interface TextEmbedder {
  /** Stable key for caching: model id + every setting that changes the vectors. */
  readonly key: string;
  readonly dim: number;
  /** Returns texts.length × dim floats, row-major. Prefixes and truncation are the embedder's job. */
  embed(texts: string[], role: TextRole): Promise<Float32Array>;
  /** Token spans of a text under this model's tokenizer (for token-window chunking). */
  tokenSpans?(text: string): Promise<Array<[start: number, end: number]>>;
}

/** A cross-encoder: (query, document) pairs in, raw logits out. */
export interface PairScorer {
  readonly key: string;
  score(pairs: Array<[query: string, document: string]>): Promise<Float32Array>;
}

/** Progress of a long job. */
export interface Progress {
  done: number;
  total: number;
  /** Items per second over the job so far. */
  rate?: number;
}
