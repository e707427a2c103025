// Node side of model loading: resolve a SPEC's model (folder or HF id) to a ModelSource,
// keep transformers.js offline, and give onnxruntime-node every core.
import { createHash } from 'node:crypto';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { DTYPES, ONNX_FILE } from '../../core/spec/member-spec';
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

/** Where weights of a dtype may lie in a model folder: transformers.js' `onnx/`, or the folder itself. */
const WEIGHT_DIRS = ['onnx', ''] as const;

/** The weights files a folder holds, per dtype, as [subfolder, path]. */
export function folderWeights(dir: string): Array<{ dtype: Dtype; subfolder: string; file: string }> {
  const out: Array<{ dtype: Dtype; subfolder: string; file: string }> = [];
  for (const dtype of DTYPES) {
    for (const sub of WEIGHT_DIRS) {
      const file = resolve(dir, sub, ONNX_FILE[dtype]);
      if (existsSync(file)) {
        out.push({ dtype, subfolder: sub, file });
        break;
      }
    }
  }
  return out;
}

/**
 * The weights to load: the dtype asked for (onnx/<file>, else <file> at the folder root), or —
 * when the spec named no dtype (`strict` false) — the first that exists of fp32, fp16, q8, q4.
 */
export function pickWeights(dir: string, dtype: Dtype, strict = true): { dtype: Dtype; subfolder: string; file: string } {
  const have = folderWeights(dir);
  const found = have.find((w) => w.dtype === dtype) ?? (strict ? undefined : have[0]);
  if (found) return found;
  const names = have.map((w) => `${w.subfolder ? w.subfolder + '/' : ''}${ONNX_FILE[w.dtype]} (${w.dtype})`);
  throw new Error(
    `model folder ${dir} has no onnx/${ONNX_FILE[dtype]} (dtype ${dtype})${names.length ? `; it has ${names.join(', ')}: pass dtype=${have[0].dtype}` : ' nor any other ONNX weights (model.onnx, model_fp16.onnx, model_quantized.onnx, model_q4.onnx)'}`,
  );
}

/**
 * A model folder (relative to the working directory) → ModelSource with localModelPath = its
 * parent. The cache key is the folder name plus a hash of the weights file's size and its
 * first and last MiB, so two folders with the same name but different weights never share
 * cached vectors, and the key survives moving the folder. Without `strict`, a missing dtype
 * falls back to the weights the folder has (the returned `dtype`).
 */
export function localModelSource(model: string, dtype: Dtype, strict = true): ModelSource & { dtype: Dtype } {
  configureNodeRuntime();
  const dir = resolve(model);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `model "${model}" is not a folder (looked at ${dir}); remote models are disabled, so give a local transformers.js model folder`,
    );
  }
  const weights = pickWeights(dir, dtype, strict);
  for (const f of ['config.json', 'tokenizer.json']) {
    if (!existsSync(resolve(dir, f))) throw new Error(`model folder ${dir} has no ${f}`);
  }
  return {
    id: basename(dir),
    localModelPath: dirname(dir) + '/',
    key: `${basename(dir)}@${weightsFingerprint(weights.file)}`,
    dtype: weights.dtype,
    ...(weights.subfolder === 'onnx' ? {} : { subfolder: weights.subfolder }),
  };
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
