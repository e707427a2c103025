// What the mining pipeline needs from the model runtime, as two small interfaces. The
// worker implements them with the browser embedding runtime (src/workers/embed) and the
// cross-encoder adapter; unit tests implement them with deterministic fakes. Keeping the
// pipeline behind these ports means there is exactly one embedding path in the app.
import type { DenseSpec, RerankerSpec } from '../../core/spec/member-spec';

export interface EmbedItem {
  /** `q:<queryId>`, `d:<docId>` or `c:<chunker>|<docId>#<chunk>` (EmbeddingBlockRecord id convention). */
  id: string;
  text: string;
  role: 'query' | 'document';
}

export interface EmbedProgress {
  done: number;
  total: number;
  /** Items per second over the job so far. */
  rate?: number;
  /** Device the items are being embedded on, and why it is not the one asked for (e.g. WebGPU failed). */
  device?: string;
  notice?: string;
}

/** A block of vectors the embedding job has just stored (ids.length × dim, row-major). */
export type { StoredBlockMessage as StoredBlock } from '../embed/api';
import type { StoredBlockMessage as StoredBlock } from '../embed/api';

export interface EmbedPort {
  /**
   * Makes sure every item is embedded and stored as blocks in the `embeddings` table of
   * `projectId` (skipping ids already stored) and returns the modelKey the blocks are
   * stored under. Must stop early (rejecting with an AbortError) when `signal` aborts;
   * blocks stored so far stay.
   */
  ensureEmbedded(
    projectId: string,
    member: DenseSpec,
    items: EmbedItem[],
    onProgress: (p: EmbedProgress) => void,
    signal: AbortSignal,
    /**
     * Hears each block this call embeds and stores, as soon as it is stored (not blocks stored
     * before; a block may also arrive after the call returned: read the store then).
     */
    onBlock?: (block: StoredBlock) => void,
  ): Promise<{ modelKey: string; device?: string; notice?: string }>;

  /**
   * Character spans [start, end) of the tokens of each text, by the member's tokenizer (no
   * special tokens): what token-window chunking counts in.
   */
  tokenSpans(member: DenseSpec, texts: string[], signal: AbortSignal): Promise<Array<Array<[number, number]>>>;
}

export interface RerankPort {
  /** Raw logits of (query, document) pairs, in order; `onProgress` hears how many pairs are scored so far. */
  score(reranker: RerankerSpec, pairs: Array<[string, string]>, signal: AbortSignal, onProgress?: (pairsDone: number) => void): Promise<Float32Array>;
}

export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortedError();
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
