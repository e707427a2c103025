// Node side of model loading: resolve a SPEC's model (folder or HF id) to a ModelSource,
// keep transformers.js offline, and give onnxruntime-node every core.
import { createHash } from 'node:crypto';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import type { Dtype, ModelSource } from '../model-source';

let configured = false;

/** No downloads at run time: models come from local folders only. */
export function configureNodeRuntime(): void {
  if (configured) return;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  configured = true;
}

/** Session options for onnxruntime-node: intra-op threads = the machine's cores. */
export function nodeSessionOptions(): Record<string, unknown> {
  return { intraOpNumThreads: availableParallelism(), interOpNumThreads: 1 };
}

/**
 * A model folder (relative to the working directory) → ModelSource with localModelPath = its
 * parent. The cache key is the folder name plus a hash of the weights file's size and its
 * first and last MiB, so two folders with the same name but different weights never share
 * cached vectors, and the key survives moving the folder.
 */
export function localModelSource(model: string, dtype: Dtype): ModelSource {
  configureNodeRuntime();
  const dir = resolve(model);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `model "${model}" is not a folder (looked at ${dir}); remote models are disabled, so give a local transformers.js model folder`,
    );
  }
  const file = resolve(dir, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  if (!existsSync(file)) throw new Error(`model folder ${dir} has no ${dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx'} (dtype ${dtype})`);
  for (const f of ['config.json', 'tokenizer.json']) {
    if (!existsSync(resolve(dir, f))) throw new Error(`model folder ${dir} has no ${f}`);
  }
  return { id: basename(dir), localModelPath: dirname(dir) + '/', key: `${basename(dir)}@${weightsFingerprint(file)}` };
}

function weightsFingerprint(file: string): string {
  const size = statSync(file).size;
  const h = createHash('sha256').update(String(size));
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(Math.min(1 << 20, size));
    readSync(fd, chunk, 0, chunk.length, 0);
    h.update(chunk);
    readSync(fd, chunk, 0, chunk.length, Math.max(0, size - chunk.length));
    h.update(chunk);
  } finally {
    closeSync(fd);
  }
  return h.digest('hex').slice(0, 12);
}
