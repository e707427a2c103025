// Batching shared by the embedder and the cross-encoder: length-bucketed batches under the
// settings' size and token limits, with onProgress reported as each batch is consumed.
import { lengthBatches, type EncodedInput } from './text/bert-inputs';
import type { ModelRunSettings } from './model-source';

/** Texts (or pairs) per model call unless settings say otherwise. */
export const DEFAULT_BATCH_SIZE = 32;

/**
 * Yields the row indices of each batch of `inputs` (at most batchSize rows, default 32, and
 * maxBatchTokens padded tokens, default 8192). Progress for a batch is reported when the
 * caller's loop body for it has finished, so a failing batch reports nothing.
 */
export function* modelBatches(inputs: readonly EncodedInput[], settings: ModelRunSettings): Generator<number[]> {
  const batches = lengthBatches(
    inputs.map((x) => x.inputIds.length),
    settings.batchSize ?? DEFAULT_BATCH_SIZE,
    settings.maxBatchTokens ?? 8192,
  );
  const started = Date.now();
  let done = 0;
  for (const rows of batches) {
    yield rows;
    done += rows.length;
    settings.onProgress?.({ done, total: inputs.length, rate: done / Math.max((Date.now() - started) / 1000, 1e-3) });
  }
}
