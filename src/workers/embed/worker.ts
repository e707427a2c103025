// The embedding worker: loads models (one copy per model+settings in this worker), runs
// embedding jobs into the `embeddings` table and cross-encoder scoring, with progress and
// cancel. Talks comlink; see api.ts for the surface and client.ts for the page side.
import * as Comlink from 'comlink';
import type { TextRole } from '../../core/models';
import { getDB } from '../../db/db';
import { loadBrowserModel, loadBrowserPairTokenizer, type LoadedBrowserModel } from '../../runtime/browser/load-model';
import type { PairTokenizer } from '../../runtime/cross-encoder';
import type { EmbedJobReply, EmbedJobRequest, EmbedWorkerApi, LoadInfo, ModelRef, ScoreProgress, ScoreRequest } from './api';
import { runEmbedJob, type JobProgress } from './embed-job';
import { DEFAULT_BATCH_SIZE } from '../../runtime/model-batches';
import { modelKey, modelKeyText } from './model-key';

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

function info(model: LoadedBrowserModel, m: ModelRef, cached: boolean, ms: number): LoadInfo {
  return {
    device: model.device,
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

function needEmbedder(model: LoadedBrowserModel) {
  if (!model.embedder) throw new Error('this model is a cross-encoder: it scores (query, document) pairs and cannot embed texts');
  return model.embedder;
}

const api: EmbedWorkerApi = {
  async load(m) {
    const t0 = performance.now();
    const { model, cached } = await getModel(m);
    return info(model, m, cached, cached ? performance.now() - t0 : model.loadMs);
  },

  async embedTexts(m, texts: string[], role: TextRole, batchSize = DEFAULT_BATCH_SIZE) {
    const embedder = needEmbedder((await getModel(m)).model);
    const out = new Float32Array(texts.length * embedder.dim);
    // Slices keep each call's padding and memory bounded; the adapter sorts within a call.
    for (let i = 0; i < texts.length; i += batchSize * 8) {
      out.set(await embedder.embed(texts.slice(i, i + batchSize * 8), role), i * embedder.dim);
    }
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

  async embedJob(req: EmbedJobRequest, onProgress?: (p: JobProgress) => void): Promise<EmbedJobReply> {
    cancelled.delete(req.jobId);
    const t0 = performance.now();
    const { model, cached } = await getModel(req.model);
    const load = info(model, req.model, cached, cached ? performance.now() - t0 : model.loadMs);
    const key = await modelKey(req.model);
    try {
      const result = await runEmbedJob(getDB(), needEmbedder(model), req.items, {
        projectId: req.projectId,
        modelKey: key,
        blockSize: req.blockSize,
        batchSize: req.batchSize,
        isCancelled: () => cancelled.has(req.jobId),
        onProgress: (p) => void onProgress?.(p),
      });
      return { ...result, modelKey: key, load };
    } finally {
      cancelled.delete(req.jobId);
    }
  },

  async score(req: ScoreRequest, onProgress?: (p: ScoreProgress) => void) {
    cancelled.delete(req.jobId);
    const { model } = await getModel(req.model);
    if (!model.scorer) throw new Error('this model is a bi-encoder: choose a cross-encoder to score pairs');
    const batch = req.batchSize ?? DEFAULT_BATCH_SIZE;
    const out = new Float32Array(req.pairs.length);
    const t0 = performance.now();
    try {
      // Longest pairs first in each call so padding stays low; results go back in input order.
      const order = req.pairs.map((_, i) => i).sort((a, b) => pairLen(req.pairs[b]) - pairLen(req.pairs[a]));
      for (let i = 0; i < order.length; i += batch) {
        if (cancelled.has(req.jobId)) throw new Error(`scoring job ${req.jobId} cancelled`);
        const rows = order.slice(i, i + batch);
        const logits = await model.scorer.score(rows.map((r) => req.pairs[r]));
        rows.forEach((r, j) => {
          out[r] = req.sigmoid ? 1 / (1 + Math.exp(-logits[j])) : logits[j];
        });
        const done = Math.min(i + batch, order.length);
        const rate = done / Math.max((performance.now() - t0) / 1000, 1e-9);
        onProgress?.({ done, total: order.length, rate, etaS: (order.length - done) / rate });
      }
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

function pairLen([q, d]: [string, string]): number {
  return q.length + d.length;
}

Comlink.expose(api);
