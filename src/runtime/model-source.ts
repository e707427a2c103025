// Where a model comes from, and the one place that points transformers.js at it.
// transformers.js resolves local models as `env.localModelPath + id`, and `env` is global,
// so loads are serialised while they change it.
import { env } from '@huggingface/transformers';
import type { Progress } from '../core/models';
import type { Dtype } from '../core/spec/member-spec';

export interface ModelSource {
  /** Model id as transformers.js resolves it: folder name under localModelPath, or an HF id. */
  id: string;
  /** Folder (Node) or URL path (browser) holding the model folder. */
  localModelPath?: string;
  /** Stable identity for caches; defaults to `id`. Node uses name + hash of the weights. */
  key?: string;
  /** Folder of the .onnx files inside the model folder: `onnx` (transformers.js layout, the default) or `` (model.onnx at the root). */
  subfolder?: string;
}

export type { Dtype };

/** Settings every transformers.js model runner takes (embedder and cross-encoder). */
export interface ModelRunSettings {
  dtype?: Dtype;
  /** Most inputs per model call. */
  batchSize?: number;
  /** Most padded tokens per model call. */
  maxBatchTokens?: number;
  /** transformers.js device ('cpu' in Node, 'wasm' | 'webgpu' in the browser). */
  device?: string;
  /** onnxruntime session options (Node sets intraOpNumThreads). */
  sessionOptions?: Record<string, unknown>;
  /** Called after every batch of a scoring/embedding call. */
  onProgress?: (p: Progress) => void;
}

/** from_pretrained options for `settings`, leaving device and session options at transformers.js defaults when unset. */
export function pretrainedOptions(dtype: Dtype, settings: ModelRunSettings, source?: ModelSource): { dtype: Dtype; device?: never; session_options?: never; subfolder?: string } {
  return {
    dtype,
    ...(source?.subfolder !== undefined ? { subfolder: source.subfolder } : {}),
    ...(settings.device ? { device: settings.device as never } : {}),
    ...(settings.sessionOptions ? { session_options: settings.sessionOptions as never } : {}),
  };
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `load` with env.localModelPath set for `source`, one load at a time. */
export function withModelSource<T>(source: ModelSource, load: () => Promise<T>): Promise<T> {
  const next = queue.then(async () => {
    const saved = env.localModelPath;
    if (source.localModelPath !== undefined) env.localModelPath = source.localModelPath;
    try {
      return await load();
    } finally {
      env.localModelPath = saved;
    }
  });
  queue = next.catch(() => undefined);
  return next;
}
