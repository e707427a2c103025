// Bench rows "runtime": embedding throughput of the demo models in headless Chromium
// (WASM, through the embedding worker on the runtime lab page) and in onnxruntime-node
// (through the same runtime adapters), on the same Debian documents with the same batch
// size, in one run, with the browser/native ratio; cross-encoder pairs/s; cold and cached
// model load; time to first embedding in a fresh worker.
//   QUARRY_BENCH_RUNTIME_DOCS (default 1000) documents, QUARRY_BENCH_RUNTIME_PAIRS (200) pairs.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { docText } from '../../src/core/types';
import { loadCrossEncoder } from '../../src/runtime/cross-encoder';
import { loadEmbedder } from '../../src/runtime/embedder';
import { DEFAULT_BATCH_SIZE } from '../../src/runtime/model-batches';
import { localModelSource, nodeSessionOptions } from '../../src/runtime/node/local-model';
import { sampleDebianDocs } from '../lib/debian-sample';
import { DEBIAN, fmt, headlessChromium, previewServer, SHARED } from '../lib/env';
import type { Row } from '../types';

export const name = 'runtime (browser vs native)';

const N_DOCS = Number(process.env.QUARRY_BENCH_RUNTIME_DOCS ?? 1000);
const N_PAIRS = Number(process.env.QUARRY_BENCH_RUNTIME_PAIRS ?? 200);
// The browser worker batches by the embedder's default (DEFAULT_BATCH_SIZE); Node is given the same.
const BATCH = DEFAULT_BATCH_SIZE;
const LAB = '/src/workers/embed/lab/index.html';
/** Timed passes over the texts per runtime; the best counts (one pass swings with other load). */
const PASSES = 2;
const CONFIGS: Array<[string, 'fp32' | 'q8']> = [
  ['pkgs-minilm', 'fp32'],
  ['pkgs-minilm', 'q8'],
  ['pkgs-static', 'fp32'],
  ['pkgs-static', 'q8'],
];

type LabHandle = {
  ref(path: string, dtype: string, kind?: string): unknown;
  load(m: unknown): Promise<{ loadMs: number; numThreads: number; ortBuild: string; device: string }>;
  embed(m: unknown, texts: string[], role: string, batch?: number): Promise<number[]>;
  score(m: unknown, pairs: Array<[string, string]>): Promise<number[]>;
  resetClient(): void;
};

async function openLab(context: BrowserContext, url: string): Promise<Page> {
  // fp32 weights are not in public/: serve them from ../shared/models, as e2e/runtime.spec.ts does.
  await context.route('**/models-fp32/**', async (route) => {
    const m = /\/models-fp32\/([\w.-]+)\/(.+)$/.exec(new URL(route.request().url()).pathname);
    const file = m && !m[2].includes('..') ? join(SHARED, 'models', m[1], m[2]) : null;
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ path: file });
  });
  const page = await context.newPage();
  await page.goto(url + LAB);
  await page.locator('#status').filter({ hasText: 'ready' }).waitFor();
  return page;
}

const pathOf = (model: string, dtype: string) => (dtype === 'fp32' ? `/models-fp32/${model}` : model);

async function browserDocsPerS(page: Page, model: string, dtype: string, texts: string[]) {
  return page.evaluate(
    async ({ path, dtype, texts, batch, passes }) => {
      const lab = (globalThis as unknown as { quarryLab: LabHandle }).quarryLab;
      const m = lab.ref(path, dtype);
      const info = await lab.load(m);
      await lab.embed(m, texts.slice(0, 8), 'document', batch); // warm-up: first batch compiles kernels
      let best = 0;
      for (let pass = 0; pass < passes; pass++) {
        const t0 = performance.now();
        await lab.embed(m, texts, 'document', batch);
        best = Math.max(best, texts.length / ((performance.now() - t0) / 1000));
      }
      return { perS: best, info };
    },
    { path: pathOf(model, dtype), dtype, texts, batch: BATCH, passes: PASSES },
  );
}

async function nodeDocsPerS(model: string, dtype: 'fp32' | 'q8', texts: string[]) {
  const e = await loadEmbedder(localModelSource(join(SHARED, 'models', model), dtype), { dtype, batchSize: BATCH, sessionOptions: nodeSessionOptions() });
  try {
    await e.embed(texts.slice(0, 8), 'document');
    let best = 0;
    for (let pass = 0; pass < PASSES; pass++) {
      const t0 = performance.now();
      await e.embed(texts, 'document');
      best = Math.max(best, texts.length / ((performance.now() - t0) / 1000));
    }
    return best;
  } finally {
    await e.dispose();
  }
}

export async function run(): Promise<Row[]> {
  const url = await previewServer();
  const browser = await headlessChromium();
  const texts = sampleDebianDocs(N_DOCS);
  const rows: Row[] = [];
  const cond = () => `${texts.length} Debian docs, batch ${BATCH}, load avg ${fmt(loadavg()[0], 1)} on ${cpus().length} cores`;

  // Load times first, in a context with empty caches.
  const context = await browser.newContext();
  try {
    const page = await openLab(context, url);
    const loads = await page.evaluate(async () => {
      const lab = (globalThis as unknown as { quarryLab: LabHandle }).quarryLab;
      const m = lab.ref('pkgs-minilm', 'q8');
      const cold = await lab.load(m);
      lab.resetClient(); // a fresh worker: ORT and weights from Cache Storage / HTTP cache
      const cached = await lab.load(m);
      lab.resetClient();
      const t0 = performance.now();
      await lab.load(m);
      await lab.embed(m, ['open free fiasco firmware flasher'], 'query');
      return { cold: cold.loadMs, cached: cached.loadMs, first: performance.now() - t0, threads: cold.numThreads, build: cold.ortBuild, device: cold.device };
    });
    rows.push(
      { row: 'runtime: cold model load (pkgs-minilm q8, browser)', value: Math.round(loads.cold), unit: 'ms', detail: `empty caches; ORT ${loads.build} build, ${loads.threads} threads, ${loads.device}` },
      { row: 'runtime: cached model load (fresh worker)', value: Math.round(loads.cached), unit: 'ms', detail: 'ORT + weights from Cache Storage; includes a 1-text probe run' },
      { row: 'runtime: cached load + first embedding', value: Math.round(loads.first), unit: 'ms', detail: `goal < 2000 ms; load avg ${fmt(loadavg()[0], 1)}` },
    );

    for (const [model, dtype] of CONFIGS) {
      const b = await browserDocsPerS(page, model, dtype, texts);
      const n = await nodeDocsPerS(model, dtype, texts);
      rows.push(
        { row: `runtime: ${model} ${dtype} browser WASM`, value: Math.round(b.perS * 10) / 10, unit: 'docs/s', detail: `${b.info.numThreads} threads, ORT ${b.info.ortBuild}; ${cond()}` },
        { row: `runtime: ${model} ${dtype} onnxruntime-node`, value: Math.round(n * 10) / 10, unit: 'docs/s', detail: cond() },
        { row: `runtime: ${model} ${dtype} browser/native`, value: Math.round((b.perS / n) * 100) / 100, unit: '×', detail: `goal ≥ 0.5×; best of ${PASSES} passes each` },
      );
    }

    // Cross-encoder: (query, document) pairs of the reference's top-30 lists.
    const ref = readFileSync(join(SHARED, 'reference/debian-pkgs-dev.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, Math.ceil(N_PAIRS / 30));
    const byId = new Map<string, string>();
    for (const l of readFileSync(join(DEBIAN, 'corpus.jsonl'), 'utf8').split('\n')) {
      if (!l) continue;
      const d = JSON.parse(l) as { _id: string; title: string; text: string };
      byId.set(d._id, docText(d));
    }
    const pairs = ref
      .flatMap((l) => {
        const r = JSON.parse(l) as { query: string; 'pkgs-rerank@pkgs-minilm-top30': Array<[string, number]> };
        return r['pkgs-rerank@pkgs-minilm-top30'].map(([d]) => [r.query, byId.get(d) ?? ''] as [string, string]);
      })
      .slice(0, N_PAIRS);
    for (const dtype of ['fp32', 'q8'] as const) {
      const bPerS = await page.evaluate(
        async ({ path, dtype, pairs }) => {
          const lab = (globalThis as unknown as { quarryLab: LabHandle }).quarryLab;
          const m = lab.ref(path, dtype, 'cross-encoder');
          await lab.load(m);
          await lab.score(m, pairs.slice(0, 8));
          const t0 = performance.now();
          await lab.score(m, pairs);
          return pairs.length / ((performance.now() - t0) / 1000);
        },
        { path: pathOf('pkgs-rerank', dtype), dtype, pairs },
      );
      const ce = await loadCrossEncoder(localModelSource(join(SHARED, 'models', 'pkgs-rerank'), dtype), { dtype, batchSize: BATCH, sessionOptions: nodeSessionOptions() });
      await ce.score(pairs.slice(0, 8));
      const t0 = performance.now();
      await ce.score(pairs);
      const nPerS = pairs.length / ((performance.now() - t0) / 1000);
      await ce.dispose();
      rows.push(
        { row: `runtime: pkgs-rerank ${dtype} browser WASM`, value: Math.round(bPerS * 10) / 10, unit: 'pairs/s', detail: `${pairs.length} pairs (192 tokens)` },
        { row: `runtime: pkgs-rerank ${dtype} onnxruntime-node`, value: Math.round(nPerS * 10) / 10, unit: 'pairs/s', detail: `browser/native ${fmt(bPerS / nPerS, 2)}×` },
      );
    }
  } finally {
    await context.close();
  }
  return rows;
}
