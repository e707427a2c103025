// Bench rows "ort-kernels": raw ONNX Runtime speed of pkgs-minilm, with no Quarry code in
// the timed loop, in headless Chromium (onnxruntime-web, plain WASM build
// ort-wasm-simd-threaded) and in Node (onnxruntime-node), on the same padded token batches,
// with 1 and with 2 threads, as WASM/native ratios; and, from ORT-web's own profiler, the
// share of WASM kernel time spent in MatMul-family ops.
// Why: the "runtime" rows show the browser well behind native. These rows show where the gap
// lives: if the ratio is the same with 1 and 2 threads and MatMul ops take most of the WASM
// time, the gap is ORT-web's WASM GEMM kernels (128-bit SIMD, no FMA, vs native AVX2+FMA),
// per core — not our pipeline (tokenizing, pooling, worker messaging) nor threading.
//   Documents: as the runtime rows (QUARRY_BENCH_RUNTIME_DOCS, default 1000), batch 32.
// onnxruntime-web reads env.wasm.numThreads once per page (at WASM init), so every browser
// measurement runs in a fresh page. A small COOP/COEP server (not vite preview) serves the page,
// the ORT files, the models and the batches: without cross-origin isolation WASM gets 1 thread.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import type { Browser } from 'playwright-core';
import { loadEmbedder } from '../../src/runtime/embedder';
import { localModelSource } from '../../src/runtime/node/local-model';
import { lengthBatches } from '../../src/runtime/text/bert-inputs';
import { sampleDebianDocs } from '../lib/debian-sample';
import { fmt, headlessChromium, onCleanup, ROOT, SHARED } from '../lib/env';
import type { Row } from '../types';

export const name = 'ort-kernels (ORT web vs node, per thread)';

const N_DOCS = Number(process.env.QUARRY_BENCH_RUNTIME_DOCS ?? 1000);
const BATCH = Number(process.env.QUARRY_BENCH_RUNTIME_BATCH ?? 32);
const MAX_TOKENS = 8192;
const MODEL = 'pkgs-minilm';
const MODEL_DIR = join(SHARED, 'models', MODEL);
const FILES = { fp32: 'model.onnx', q8: 'model_quantized.onnx' } as const;
type Dtype = keyof typeof FILES;
const THREADS = [1, 2];
const ORT_DIST = join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');
/** Only these ORT files are served: the WASM-only bundle and the plain (non-JSEP, non-asyncify) build it loads. */
const ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];

/** One padded batch, built once in Node and used as-is by both runtimes. */
interface Batch {
  dims: [number, number];
  ids: number[];
  mask: number[];
}

interface WebResult {
  perS: number;
  numThreads: number;
  isolated: boolean;
}

/** The runtime rows' Debian documents (bench/lib/debian-sample.ts), tokenized by our embedder, in length batches. */
async function makeBatches(): Promise<{ batches: Batch[]; docs: number; tokens: number }> {
  const texts = sampleDebianDocs(N_DOCS);
  const e = await loadEmbedder(localModelSource(MODEL_DIR, 'fp32'), { dtype: 'fp32' });
  try {
    const enc = e.encode(texts, 'document');
    const groups = lengthBatches(
      enc.map((x) => x.inputIds.length),
      BATCH,
      MAX_TOKENS,
    );
    // Pad id 0 ([PAD] in this vocabulary) with mask 0, as runModel pads; padded tokens cost
    // the same compute whatever their id.
    const batches = groups.map((rows): Batch => {
      const L = Math.max(...rows.map((r) => enc[r].inputIds.length));
      const ids = new Array<number>(rows.length * L).fill(0);
      const mask = new Array<number>(rows.length * L).fill(0);
      rows.forEach((r, i) =>
        enc[r].inputIds.forEach((v, j) => {
          ids[i * L + j] = v;
          mask[i * L + j] = 1;
        }),
      );
      return { dims: [rows.length, L], ids, mask };
    });
    return { batches, docs: texts.length, tokens: batches.reduce((s, b) => s + b.dims[0] * b.dims[1], 0) };
  } finally {
    await e.dispose();
  }
}

// The page: plain JS, one measurement per page load (numThreads is fixed at WASM init).
const PAGE = `<!doctype html><meta charset="utf-8"><title>loading</title><script type="module">
import * as ort from '/ort/ort.wasm.min.mjs';
globalThis.runOrt = async ({ dtype, threads, reps, profile }) => {
  ort.env.wasm.wasmPaths = { mjs: '/ort/ort-wasm-simd-threaded.mjs', wasm: '/ort/ort-wasm-simd-threaded.wasm' };
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  const batches = await (await fetch('/batches.json')).json();
  const bytes = new Uint8Array(await (await fetch('/model/' + dtype)).arrayBuffer());
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], enableProfiling: !!profile });
  const feeds = batches.map(({ dims, ids, mask }) => {
    const f = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), dims),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(mask, BigInt), dims),
    };
    if (s.inputNames.includes('token_type_ids')) f.token_type_ids = new ort.Tensor('int64', new BigInt64Array(ids.length), dims);
    return f;
  });
  const docs = batches.reduce((n, b) => n + b.dims[0], 0);
  if (!profile) await s.run(feeds[0]); // warm-up on the longest batch: kernels, memory growth
  let best = 0;
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    for (const f of feeds) await s.run(f);
    best = Math.max(best, docs / ((performance.now() - t0) / 1000));
  }
  if (profile) s.endProfiling(); // prints the Chrome-trace events to the console
  await s.release();
  return { perS: best, numThreads: ort.env.wasm.numThreads, isolated: globalThis.crossOriginIsolated };
};
document.title = 'ready';
</script>`;

/** COOP/COEP server on a free port; closed by bench/run.ts. */
async function startServer(batchesJson: string): Promise<string> {
  const srv: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let body: string | Buffer | null = null;
    let type = 'application/octet-stream';
    if (path === '/') [body, type] = [PAGE, 'text/html; charset=utf-8'];
    else if (path === '/batches.json') [body, type] = [batchesJson, 'application/json'];
    else if (path.startsWith('/ort/') && ORT_FILES.includes(path.slice(5))) {
      body = readFileSync(join(ORT_DIST, path.slice(5)));
      type = path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    } else if (path === '/model/fp32' || path === '/model/q8') body = readFileSync(join(MODEL_DIR, 'onnx', FILES[path.slice(7) as Dtype]));
    res.writeHead(body === null ? 404 : 200, {
      'content-type': body === null ? 'text/plain' : type,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((res, rej) => {
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => res());
  });
  onCleanup(
    () =>
      new Promise<void>((res) => {
        srv.closeAllConnections(); // Chromium keeps connections alive; close() would wait for them
        srv.close(() => res());
      }),
  );
  const addr = srv.address();
  if (!addr || typeof addr !== 'object') throw new Error('ort-kernels: server has no port');
  return `http://127.0.0.1:${addr.port}/`;
}

/** One measurement in a fresh page; returns the result and the page's console lines. */
async function inFreshPage(browser: Browser, url: string, cfg: { dtype: Dtype; threads: number; reps: number; profile: boolean }) {
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(...m.text().split('\n')));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.title === 'ready');
    const r = await page.evaluate((c) => (globalThis as unknown as { runOrt(c: unknown): Promise<WebResult> }).runOrt(c), cfg);
    if (!r.isolated) throw new Error('page is not cross-origin isolated (COOP/COEP missing): WASM would be single-threaded');
    if (r.numThreads !== cfg.threads) throw new Error(`ORT-web ran with ${r.numThreads} threads, asked for ${cfg.threads}`);
    return { ...r, consoleLines };
  } finally {
    await page.close();
  }
}

/** onnxruntime-node on the same batches: warm-up on one batch, best of `reps` passes. */
async function nodeDocsPerS(dtype: Dtype, threads: number, batches: Batch[], reps: number): Promise<number> {
  const s = await ortNode.InferenceSession.create(join(MODEL_DIR, 'onnx', FILES[dtype]), {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  try {
    const feeds = batches.map(({ dims, ids, mask }) => {
      const f: Record<string, ortNode.Tensor> = {
        input_ids: new ortNode.Tensor('int64', BigInt64Array.from(ids, BigInt), dims),
        attention_mask: new ortNode.Tensor('int64', BigInt64Array.from(mask, BigInt), dims),
      };
      if (s.inputNames.includes('token_type_ids')) f.token_type_ids = new ortNode.Tensor('int64', new BigInt64Array(ids.length), dims);
      return f;
    });
    const docs = batches.reduce((n, b) => n + b.dims[0], 0);
    await s.run(feeds[0]);
    let best = 0;
    for (let k = 0; k < reps; k++) {
      const t0 = performance.now();
      for (const f of feeds) await s.run(f);
      best = Math.max(best, docs / ((performance.now() - t0) / 1000));
    }
    return best;
  } finally {
    await s.release();
  }
}

/** Sums `dur` (µs) of ORT profiler kernel events per op type, from console lines like `{"cat" : "Node", ...},`. */
function kernelTimeByOp(lines: string[]): Map<string, number> {
  const byOp = new Map<string, number>();
  for (const raw of lines) {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{') || !line.endsWith('}')) continue;
    let ev: { cat?: string; name?: string; dur?: number; args?: { op_name?: string } };
    try {
      ev = JSON.parse(line) as typeof ev;
    } catch {
      continue;
    }
    if (ev.cat !== 'Node' || !ev.name?.endsWith('_kernel_time') || typeof ev.dur !== 'number' || !ev.args?.op_name) continue;
    byOp.set(ev.args.op_name, (byOp.get(ev.args.op_name) ?? 0) + ev.dur);
  }
  return byOp;
}

export async function run(): Promise<Row[]> {
  const { batches, docs, tokens } = await makeBatches();
  const url = await startServer(JSON.stringify(batches));
  const browser = await headlessChromium();
  const load = () => `load avg ${fmt(loadavg()[0], 1)} on ${cpus().length} cores`;
  const inputs = `${docs} Debian docs in ${batches.length} padded batches of ≤${BATCH} (${fmt(tokens)} tokens)`;
  const rows: Row[] = [];

  for (const dtype of ['fp32', 'q8'] as const) {
    const perThreads: Array<{ threads: number; web: number; native: number }> = [];
    for (const threads of THREADS) {
      const web = await inFreshPage(browser, url, { dtype, threads, reps: 2, profile: false });
      const loadWeb = load();
      const native = await nodeDocsPerS(dtype, threads, batches, 2);
      const loadNative = load();
      perThreads.push({ threads, web: web.perS, native });
      const scaling =
        threads > 1
          ? `; ${threads}/1-thread speed-up WASM ${fmt(web.perS / perThreads[0].web, 2)}×, native ${fmt(native / perThreads[0].native, 2)}×`
          : '';
      rows.push({
        row: `ort: ${MODEL} ${dtype} WASM / native, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: Math.round((web.perS / native) * 100) / 100,
        unit: '×',
        detail: `WASM ${fmt(web.perS, 1)} docs/s (${loadWeb}), native ${fmt(native, 1)} docs/s (${loadNative})${scaling}; ${inputs}, best of 2 passes`,
      });
    }

    const prof = await inFreshPage(browser, url, { dtype, threads: 1, reps: 1, profile: true });
    const byOp = kernelTimeByOp(prof.consoleLines);
    const total = [...byOp.values()].reduce((a, b) => a + b, 0);
    if (total === 0) throw new Error(`no ORT profiler kernel events in the page console (${dtype})`);
    const matmul = [...byOp].filter(([op]) => op.includes('MatMul')).reduce((a, [, d]) => a + d, 0);
    const top = [...byOp]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([op, d]) => `${op} ${fmt((100 * d) / total, 1)}%`)
      .join(', ');
    rows.push({
      row: `ort: ${MODEL} ${dtype} WASM time in MatMul ops`,
      value: Math.round((1000 * matmul) / total) / 10,
      unit: '%',
      detail: `top ops: ${top}; of ${fmt(total / 1e6, 1)} s kernel time (ORT profiler, 1 thread, 1 pass, ${byOp.size} op types; ${fmt(prof.perS, 1)} docs/s while profiling, ${load()})`,
    });
  }
  return rows;
}
