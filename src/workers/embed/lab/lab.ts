// The runtime lab page: the embedding worker client on a bare page, for Playwright tests
// (e2e/runtime.spec.ts, e2e/privacy.spec.ts) and the benchmark (bench/rows/runtime.ts).
// Built as a second entry (vite.config.ts); it holds no app state of its own.
import { getDB } from '../../../db/db';
import { createEmbedClient, type EmbedClient, type EmbedJobProgress, type ModelRef } from '../client';
import { hasWebGpuAdapter, webGpuAdapterInfo } from '../../../runtime/browser/device';

let client: EmbedClient | null = null;
const progress: EmbedJobProgress[] = [];

const lab = {
  client(): EmbedClient {
    client ??= createEmbedClient();
    return client;
  },
  /** Ref of a model with the demo defaults (documents 256 tokens, queries 32). */
  ref(path: string, dtype: 'fp32' | 'q8', kind: ModelRef['kind'] = 'bi-encoder', device: ModelRef['settings']['device'] = 'auto'): ModelRef {
    return {
      kind,
      source: { type: 'bundled', path },
      settings: {
        pooling: 'mean',
        normalize: true,
        queryPrefix: '',
        docPrefix: '',
        maxLength: kind === 'cross-encoder' ? 192 : 256,
        dtype,
        device,
      },
    };
  },
  /** Terminate the worker and start a fresh one on next use (a cold load). */
  resetClient() {
    client?.dispose();
    client = null;
  },
  load: (m: ModelRef) => lab.client().api.load(m),
  /** Embeds and returns plain arrays (Playwright serialises them). */
  async embed(m: ModelRef, texts: string[], role: 'query' | 'document', batchSize?: number): Promise<number[]> {
    return Array.from(await lab.client().api.embedTexts(m, texts, role, batchSize));
  },
  async score(m: ModelRef, pairs: Array<[string, string]>): Promise<number[]> {
    return Array.from(await lab.client().score({ model: m, pairs }).result);
  },
  /** Start an embedding job in the background; progress lands in lab.progress. */
  startJob(projectId: string, m: ModelRef, items: Array<{ id: string; text: string; role: 'query' | 'document' }>, blockSize = 64) {
    const job = lab.client().embedJob({ projectId, model: m, items, blockSize, batchSize: 16 }, (p) => progress.push(p));
    (lab as { lastJob?: unknown }).lastJob = job.result.then(
      (r) => ({ ok: true, ...r }),
      (e: unknown) => ({ ok: false, error: String(e) }),
    );
    return job.jobId;
  },
  cancel: (jobId: string) => lab.client().api.cancel(jobId),
  progress,
  modelKey: (m: ModelRef) => lab.client().api.modelKey(m),
  async storedCount(projectId: string, key: string): Promise<{ blocks: number; vectors: number }> {
    let blocks = 0;
    let vectors = 0;
    await getDB().embeddings.where('[projectId+modelKey]').equals([projectId, key]).each((b) => {
      blocks++;
      vectors += b.ids.length;
    });
    return { blocks, vectors };
  },
  webgpuAdapter: () => hasWebGpuAdapter(),
  /** The page's view of the adapter ({vendor, architecture, description} or null). */
  webgpuAdapterInfo: () => webGpuAdapterInfo(),
  isolated: () => globalThis.crossOriginIsolated === true,
};

(globalThis as unknown as { quarryLab: typeof lab }).quarryLab = lab;
document.getElementById('status')!.textContent = 'ready';
