// The embedding job: embeds the items not yet stored for (project, modelKey), block by
// block, and stores each block as soon as it is done. Pure of any worker/DOM detail so
// it runs in the worker and in unit tests (fake-indexeddb + a fake TextEmbedder).
import type { TextEmbedder, TextRole } from '../../core/models';
import type { QuarryDB } from '../../db/db';
import type { EmbeddingBlockRecord } from '../../db/schema';
import { putBlock, storedSummary } from './block-store';
import { DEFAULT_BATCH_SIZE } from '../../runtime/model-batches';

export interface EmbedItem {
  /** Stored id: `d:<docId>`, `q:<queryId>` or `c:<chunker>|<docId>#<chunk>`. */
  id: string;
  text: string;
  role: TextRole;
}

export interface JobProgress {
  /** Items stored for this job so far (already-stored ones included). */
  done: number;
  total: number;
  /** Items found already stored when the job started (skipped, not re-embedded). */
  skipped: number;
  /** Items embedded per second in this session. */
  rate: number;
  /** Seconds left at the current rate (null before the first batch). */
  etaS: number | null;
  blocksWritten: number;
}

export interface EmbedJobOptions {
  projectId: string;
  modelKey: string;
  /** Vectors per stored block (one IndexedDB record). */
  blockSize?: number;
  /** Texts per model call; small enough that cancel and progress stay responsive. */
  batchSize?: number;
  isCancelled?: () => boolean;
  onProgress?: (p: JobProgress) => void;
  /**
   * Called after each block is committed, with the block (the mining run scores it while the
   * next one embeds; tests use it to interrupt a job). The job waits for what it returns.
   */
  onBlock?: (blockId: number, block: EmbeddingBlockRecord) => void | Promise<void>;
}

export interface EmbedJobResult {
  status: 'done' | 'cancelled';
  embedded: number;
  skipped: number;
  blocksWritten: number;
  ms: number;
  dim: number;
}

export class JobCancelled extends Error {
  constructor() {
    super('embedding job cancelled');
  }
}

/**
 * Embed `items` with `embedder`, skipping ids already stored. Items are grouped by role
 * and sorted by text length (longest first) so each model call pads little; blocks keep
 * that order. Cancelling stops between model calls; blocks already stored stay.
 */
export async function runEmbedJob(
  db: QuarryDB,
  embedder: TextEmbedder,
  items: readonly EmbedItem[],
  opts: EmbedJobOptions,
): Promise<EmbedJobResult> {
  const t0 = performance.now();
  const blockSize = opts.blockSize ?? 256;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const stored = await storedSummary(db, opts.projectId, opts.modelKey);
  const seen = new Set<string>();
  const todo: EmbedItem[] = [];
  let skipped = 0;
  for (const it of items) {
    if (seen.has(it.id)) continue;
    seen.add(it.id);
    if (stored.ids.has(it.id)) skipped++;
    else todo.push(it);
  }
  const total = seen.size;
  // concat, not push(...): a corpus of 64k items overflows a worker's stack as arguments.
  const byRole = (role: TextRole) => todo.filter((t) => t.role === role).sort((a, b) => b.text.length - a.text.length);
  const order: EmbedItem[] = byRole('query').concat(byRole('document'));

  let blockId = stored.nextBlockId;
  let embedded = 0;
  let blocksWritten = 0;
  const dim = embedder.dim;
  // `inFlight`: texts embedded in the current block, not stored yet (lost on a reload).
  const report = (inFlight = 0) => {
    const secs = (performance.now() - t0) / 1000;
    const n = embedded + inFlight;
    const rate = secs > 0 ? n / secs : 0;
    opts.onProgress?.({
      done: skipped + n,
      total,
      skipped,
      rate,
      etaS: n > 0 && rate > 0 ? (total - skipped - n) / rate : null,
      blocksWritten,
    });
  };
  report();

  for (let start = 0; start < order.length; start += blockSize) {
    const block = order.slice(start, start + blockSize);
    const vectors = new Float32Array(block.length * dim);
    let filled = 0;
    while (filled < block.length) {
      if (opts.isCancelled?.()) {
        return { status: 'cancelled', embedded, skipped, blocksWritten, ms: performance.now() - t0, dim };
      }
      // A model call holds one role only (prefixes and max length differ per role).
      const role = block[filled].role;
      let end = filled;
      while (end < block.length && end - filled < batchSize && block[end].role === role) end++;
      const out = await embedder.embed(block.slice(filled, end).map((b) => b.text), role);
      if (out.length !== (end - filled) * dim) {
        throw new Error(`embedder returned ${out.length} floats for ${end - filled} texts of dim ${dim}`);
      }
      vectors.set(out, filled * dim);
      filled = end;
      report(filled);
    }
    const record: EmbeddingBlockRecord = { projectId: opts.projectId, modelKey: opts.modelKey, blockId, ids: block.map((b) => b.id), dim, vectors };
    await putBlock(db, record);
    embedded += block.length;
    blocksWritten++;
    await opts.onBlock?.(blockId, record);
    blockId++;
    report();
  }
  return { status: 'done', embedded, skipped, blocksWritten, ms: performance.now() - t0, dim };
}
