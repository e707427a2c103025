// The embedding worker: loads models (one copy per model+settings in this worker), runs
// embedding jobs into the `embeddings` table and cross-encoder scoring, with progress and
// cancel. Talks comlink; see api.ts for the surface and client.ts for the page side.
import * as Comlink from 'comlink';
import type { TextRole } from '../../core/models';
import { getDB } from '../../db/db';
import { loadBrowserModel, loadBrowserPairTokenizer, type LoadedBrowserModel } from '../../runtime/browser/load-model';
import type { PairTokenizer } from '../../runtime/cross-encoder';
import { parseWebGpuFault, simulateWebGpuFault } from '../../runtime/browser/webgpu-faults';
import type { EmbedJobProgress, EmbedJobReply, EmbedJobRequest, EmbedWorkerApi, LoadInfo, ModelRef, ScoreProgress, ScoreRequest, StoredBlockMessage } from './api';
import { runEmbedJob } from './embed-job';
import { DEFAULT_BATCH_SIZE } from '../../runtime/model-batches';
import { modelKey, modelKeyText } from './model-key';

// Tests only: a simulated WebGPU failure asked for in the page's query (webgpu-faults.ts).
simulateWebGpuFault(parseWebGpuFault((globalThis as { name?: string }).name ?? ''));

const loaded = new Map<string, Promise<LoadedBrowserModel>>();
const cancelled = new Set<string>();
const tokenizers = new Map<string, Promise<PairTokenizer>>();

function refKey(m: ModelRef): string {
  return JSON.stringify([m.kind, modelKeyText(m), m.settings.device, m.queryMaxLength ?? 32]);
}

async function getModel(m: ModelRef): Promise<{ model: LoadedBrowserModel; cached: boolean }> {
  const key = refKey(m);
  const existing = loaded.get(key);
  if (existing) return { model: await existing, cached: true };
  const p = loadBrowserModel(m);
  loaded.set(key, p);
  try {
    return { model: await p, cached: false };
  } catch (err) {
    loaded.delete(key); // let a corrected source retry
    throw err;
  }
}

/**
 * Runs `use` on the model. If it fails while running on WebGPU (a lost device, a kernel
 * the EP gets wrong at run time), the model is reloaded on WASM, replaces the WebGPU copy
 * for later calls, and `use` runs again there: an embedding job then skips every block
 * the WebGPU run already stored. Failures on WASM, and cancels, are passed on.
 */
async function onModel<T>(m: ModelRef, use: (model: LoadedBrowserModel, cached: boolean) => Promise<T>): Promise<T> {
  const { model, cached } = await getModel(m);
  try {
    return await use(model, cached);
  } catch (err) {
    if (model.device !== 'webgpu' || err instanceof ModelKindError || /cancelled/.test(String(err))) throw err;
    const key = refKey(m);
    // Another call on the same model failed first and already reloaded it: use that copy.
    const current = loaded.get(key);
    const other = current ? await current.catch(() => null) : null;
    if (other && other !== model) return use(other, true);
    const why = (err instanceof Error ? err.message : String(err)).slice(0, 200);
    const wasm = loadBrowserModel({ ...m, settings: { ...m.settings, device: 'wasm' } }).then((w) => ({
      ...w,
      notice: `WebGPU failed while running (${why}): continued on WASM (CPU).`,
    }));
    loaded.set(key, wasm);
    wasm.catch(() => loaded.delete(key));
    await model.dispose().catch(() => undefined); // a lost device may refuse to release
    return use(await wasm, false);
  }
}

function info(model: LoadedBrowserModel, m: ModelRef, cached: boolean, ms: number): LoadInfo {
  return {
    device: model.device,
    adapter: model.adapter,
    dtype: m.settings.dtype,
    notice: model.notice,
    loadMs: ms,
    cached,
    dim: model.embedder?.dim,
    numThreads: model.onnx.numThreads,
    ortBuild: model.onnx.build,
    crossOriginIsolated: model.onnx.crossOriginIsolated,
  };
}

/** A model asked for what its kind cannot do: no device would help, so no fallback. */
class ModelKindError extends Error {}

function needEmbedder(model: LoadedBrowserModel) {
  if (!model.embedder) throw new ModelKindError('this model is a cross-encoder: it scores (query, document) pairs and cannot embed texts');
  return model.embedder;
}

const api: EmbedWorkerApi = {
  async load(m) {
    const t0 = performance.now();
    const { model, cached } = await getModel(m);
    return info(model, m, cached, cached ? performance.now() - t0 : model.loadMs);
  },

  async embedTexts(m, texts: string[], role: TextRole, batchSize = DEFAULT_BATCH_SIZE) {
    const out = await onModel(m, async (model) => {
      const embedder = needEmbedder(model);
      const out = new Float32Array(texts.length * embedder.dim);
      // Slices keep each call's padding and memory bounded; the adapter sorts within a call.
      for (let i = 0; i < texts.length; i += batchSize * 8) {
        out.set(await embedder.embed(texts.slice(i, i + batchSize * 8), role), i * embedder.dim);
      }
      return out;
    });
    return Comlink.transfer(out, [out.buffer]);
  },

  async tokenSpans(m, texts: string[]) {
    const embedder = needEmbedder((await getModel(m)).model);
    const out: Array<Array<[number, number]>> = [];
    for (const t of texts) out.push(await embedder.tokenSpans(t));
    return out;
  },

  async tokenIds(m, texts: string[]) {
    if (m.kind !== 'cross-encoder') throw new Error('this model is a bi-encoder: LCE token ids come from the reranker (a cross-encoder)');
    // The tokenizer alone: no ONNX session (or weights of the right dtype) needed to write ids.
    const key = refKey(m);
    let tok = tokenizers.get(key);
    if (!tok) {
      tok = loadBrowserPairTokenizer(m);
      tokenizers.set(key, tok);
      tok.catch(() => tokenizers.delete(key));
    }
    const t = await tok;
    return texts.map((x) => t.tokenIds(x));
  },

  modelKey: (m) => modelKey(m),

  async embedJob(req: EmbedJobRequest, onProgress?: (p: EmbedJobProgress) => void, onBlock?: (b: StoredBlockMessage) => void): Promise<EmbedJobReply> {
    cancelled.delete(req.jobId);
    const t0 = performance.now();
    const key = await modelKey(req.model);
    try {
      // Blocks are stored as they finish: a run that falls back to WASM skips them.
      return await onModel(req.model, async (model, cached) => {
        const load = info(model, req.model, cached, cached ? performance.now() - t0 : model.loadMs);
        const result = await runEmbedJob(getDB(), needEmbedder(model), req.items, {
          projectId: req.projectId,
          modelKey: key,
          blockSize: req.blockSize,
          batchSize: req.batchSize,
          isCancelled: () => cancelled.has(req.jobId),
          onProgress: (p) => void onProgress?.({ ...p, device: model.device, notice: model.notice }),
          // Not awaited: the caller scores the block while this worker embeds the next one.
          onBlock: onBlock
            ? (blockId, b) => {
                const vectors = b.vectors.slice();
                void onBlock(Comlink.transfer({ blockId, ids: b.ids, dim: b.dim, vectors }, [vectors.buffer]));
              }
            : undefined,
        });
        return { ...result, modelKey: key, load };
      });
    } finally {
      cancelled.delete(req.jobId);
    }
  },

  async score(req: ScoreRequest, onProgress?: (p: ScoreProgress) => void) {
    cancelled.delete(req.jobId);
    try {
      const out = await onModel(req.model, (model) => scorePairs(model, req, onProgress));
      return Comlink.transfer(out, [out.buffer]);
    } finally {
      cancelled.delete(req.jobId);
    }
  },

  async cancel(jobId) {
    cancelled.add(jobId);
  },

  async unload(m) {
    const key = refKey(m);
    const p = loaded.get(key);
    loaded.delete(key);
    if (p) await (await p).dispose();
  },
};

/** Scores the pairs, longest first in each call so padding stays low; results in input order. */
async function scorePairs(model: LoadedBrowserModel, req: ScoreRequest, onProgress?: (p: ScoreProgress) => void): Promise<Float32Array> {
  const scorer = model.scorer;
  if (!scorer) throw new ModelKindError('this model is a bi-encoder: choose a cross-encoder to score pairs');
  const batch = req.batchSize ?? DEFAULT_BATCH_SIZE;
  const out = new Float32Array(req.pairs.length);
  const t0 = performance.now();
  const order = req.pairs.map((_, i) => i).sort((a, b) => pairLen(req.pairs[b]) - pairLen(req.pairs[a]));
  for (let i = 0; i < order.length; i += batch) {
    if (cancelled.has(req.jobId)) throw new Error(`scoring job ${req.jobId} cancelled`);
    const rows = order.slice(i, i + batch);
    const logits = await scorer.score(rows.map((r) => req.pairs[r]));
    rows.forEach((r, j) => {
      out[r] = req.sigmoid ? 1 / (1 + Math.exp(-logits[j])) : logits[j];
    });
    const done = Math.min(i + batch, order.length);
    const rate = done / Math.max((performance.now() - t0) / 1000, 1e-9);
    onProgress?.({ done, total: order.length, rate, etaS: (order.length - done) / rate });
  }
  return out;
}

function pairLen([q, d]: [string, string]): number {
  return q.length + d.length;
}

Comlink.expose(api);
