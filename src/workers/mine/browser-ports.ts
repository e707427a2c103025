// The pipeline's ports on the browser runtime: embedding and cross-encoder scoring go
// through the embedding worker's client (src/workers/embed), the app's single embedding
// path (length bucketing, stored blocks, resume, device choice). The mining worker starts
// it as a nested worker on first use.
import { getDB } from '../../db/db';
import type { ModelRecord } from '../../db/schema';
import { parseRerankerSpec, type DenseSpec, type RerankerSpec } from '../../core/spec/member-spec';
import { createEmbedClient, type EmbedClient, type ModelRef } from '../embed/client';
import { withBundled } from './bundled';
import { storedSummary } from '../embed/block-store';
import { AbortedError, type EmbedPort, type RerankPort } from './ports';

let client: EmbedClient | null = null;
const getClient = () => (client ??= createEmbedClient());

/** Finds a model of the Models list by id, else by name. */
export async function findModel(idOrName: string): Promise<ModelRecord> {
  const db = getDB();
  const byId = await db.models.get(idOrName);
  if (byId) return byId;
  const all = withBundled(await db.models.toArray());
  const found = all.find((m) => m.id === idOrName) ?? all.find((m) => m.name === idOrName);
  if (found) return found;
  throw new Error(`model "${idOrName}" is not in the Models list (add it on the Models page)`);
}

/**
 * The weights a spec asks for: the dtype it writes, else the model record's (the weights
 * that model has: the bundled folders ship q8 only, so a spec's fp32 default would be a 404).
 */
function specDtype(rec: ModelRecord, spec: DenseSpec | RerankerSpec): ModelRecord['settings']['dtype'] {
  return spec.given.includes('dtype') ? spec.dtype : rec.settings.dtype;
}

/** The model as the spec asks for it: the record's source, the spec's vector settings. */
export function denseModelRef(rec: ModelRecord, spec: DenseSpec): ModelRef {
  return {
    kind: 'bi-encoder',
    source: rec.source,
    settings: {
      ...rec.settings,
      dtype: specDtype(rec, spec),
      pooling: spec.pooling,
      queryPrefix: spec.queryPrefix,
      docPrefix: spec.docPrefix,
      maxLength: spec.maxLen,
      normalize: spec.normalize,
    },
    queryMaxLength: spec.queryMaxLen,
  };
}

export function rerankerModelRef(rec: ModelRecord, spec: RerankerSpec): ModelRef {
  return { kind: 'cross-encoder', source: rec.source, settings: { ...rec.settings, dtype: specDtype(rec, spec), maxLength: spec.maxLen } };
}

/** Rejects with AbortedError when the signal aborts (never resolves otherwise). */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new AbortedError());
    else signal.addEventListener('abort', () => reject(new AbortedError()), { once: true });
  });
}

export const browserEmbedPort: EmbedPort = {
  async ensureEmbedded(projectId, member, items, onProgress, signal, onBlock) {
    if (signal.aborted) throw new AbortedError();
    const rec = await findModel(member.model);
    const model = denseModelRef(rec, member);
    // Everything stored already (a resumed run): skip loading the model at all.
    const modelKey = await getClient().api.modelKey(model);
    const stored = await storedSummary(getDB(), projectId, modelKey);
    if (items.every((it) => stored.ids.has(it.id))) {
      onProgress({ done: items.length, total: items.length });
      return { modelKey };
    }
    const job = getClient().embedJob(
      { projectId, model, items },
      (p) => onProgress({ done: p.done, total: p.total, rate: p.rate, device: p.device, notice: p.notice }),
      onBlock,
    );
    const stop = () => void job.cancel();
    signal.addEventListener('abort', stop);
    if (signal.aborted) stop(); // aborted while the model was being looked up
    try {
      // Cancel answers at once; the embedding worker stops after its current model call
      // and keeps every block it stored.
      const reply = await Promise.race([job.result, aborted(signal)]);
      if (reply.status === 'cancelled' || signal.aborted) throw new AbortedError();
      return { modelKey: reply.modelKey, device: reply.load.device, notice: reply.load.notice };
    } finally {
      signal.removeEventListener('abort', stop);
    }
  },

  async tokenSpans(member, texts, signal) {
    if (signal.aborted) throw new AbortedError();
    const rec = await findModel(member.model);
    return getClient().api.tokenSpans(denseModelRef(rec, member), texts);
  },
};

/** Token ids of `texts` under the tokenizer of the reranker `rerankerSpec` names (LCE export). */
export async function rerankerTokenIds(rerankerSpec: string, texts: string[]): Promise<number[][]> {
  const spec = parseRerankerSpec(rerankerSpec);
  const rec = await findModel(spec.model);
  return getClient().api.tokenIds(rerankerModelRef(rec, spec), texts);
}

/** Cross-encoder logits of `pairs` by the reranker `rerankerSpec` names (teacher scores in the export). */
export function rerankerScores(rerankerSpec: string, pairs: Array<[string, string]>): Promise<Float32Array> {
  return browserRerankPort.score(parseRerankerSpec(rerankerSpec), pairs, new AbortController().signal);
}

export const browserRerankPort: RerankPort = {
  async score(reranker, pairs, signal, onProgress) {
    const rec = await findModel(reranker.model);
    const job = getClient().score({ model: rerankerModelRef(rec, reranker), pairs }, onProgress ? (p) => onProgress(p.done) : undefined);
    const stop = () => void job.cancel();
    signal.addEventListener('abort', stop);
    if (signal.aborted) stop();
    try {
      const out = await Promise.race([job.result, aborted(signal)]);
      if (signal.aborted) throw new AbortedError();
      return out;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  },
};
