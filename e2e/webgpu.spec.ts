// The WebGPU path, run by the `webgpu` Playwright project: Chromium with
// --enable-unsafe-webgpu --enable-unsafe-swiftshader offers a SwiftShader adapter (Vulkan
// on the CPU), so ONNX Runtime's WebGPU EP really runs, slowly (its cost grows with the
// tokens embedded): a small slice of the Debian dev split checks correctness, not speed.
// Also: the fallback to WASM when WebGPU fails, and the Models page's test panel.
import { test, expect, type Page } from '@playwright/test';
import { readDocs, readReference, type RefRow } from './runtime-fixture';
import { compareWithReference, cosines, embedInLab, labPath, openLab, type BiModel, type Lab, type LoadInfo } from './runtime-lab';
import { createProject, waitForPrecache } from './helpers';

const QUERIES = 5;
/**
 * The slice: per query, the PER_LIST shortest documents of each bi-encoder's reference
 * top-50 (20 documents, 55-142 characters). Short texts keep SwiftShader's time down;
 * whole texts (no truncation) keep the PyTorch reference valid for them.
 */
const PER_LIST = 2;
/** Reranker pairs: the first 2 queries × the 5 shortest documents of their reference top-30. */
const RERANK_QUERIES = 2;
const RERANK_PER_QUERY = 5;
// q8 on WebGPU against q8 on WASM (same quantized graph, other kernels). Measured on this
// slice: see README "WebGPU"; the bounds leave headroom over the largest values seen.
const Q8_COS_TOL = 5e-3;
const Q8_LOGIT_TOL = 0.1;

let ref: RefRow[];
let docs: Map<string, string>;
let ids: string[];
let pairs: Array<[string, string]>;
let pairRef: number[];

test.beforeAll(async () => {
  ref = readReference(QUERIES);
  const listed = new Set<string>();
  for (const r of ref) for (const m of ['pkgs-minilm', 'pkgs-static', 'pkgs-rerank@pkgs-minilm-top30'] as const) r[m].forEach(([d]) => listed.add(d));
  docs = await readDocs(listed);
  expect(docs.size).toBe(listed.size);
  const shortest = (list: Array<[string, number]>, n: number, skip = new Set<string>()) =>
    [...list].filter(([d]) => !skip.has(d)).sort((a, b) => docs.get(a[0])!.length - docs.get(b[0])!.length).slice(0, n);
  const slice = new Set<string>();
  for (const r of ref) for (const m of ['pkgs-minilm', 'pkgs-static'] as const) shortest(r[m], PER_LIST, slice).forEach(([d]) => slice.add(d));
  ids = [...slice];
  const rr = ref.slice(0, RERANK_QUERIES).map((r) => shortest(r['pkgs-rerank@pkgs-minilm-top30'], RERANK_PER_QUERY));
  pairs = rr.flatMap((list, qi) => list.map(([d]) => [ref[qi].query, docs.get(d)!] as [string, string]));
  pairRef = rr.flatMap((list) => list.map(([, s]) => s));
});

test.describe('WebGPU (SwiftShader): parity with PyTorch', () => {
  test.describe.configure({ mode: 'serial', timeout: 300_000 });
  // One page (one worker, one ORT init) for the whole parity run.
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openLab(page);
  });
  test.afterAll(async () => page?.close());

  test('the browser offers a WebGPU adapter', async () => {
    const info = await page.evaluate(() => (globalThis as unknown as { quarryLab: { webgpuAdapterInfo(): Promise<unknown> } }).quarryLab.webgpuAdapterInfo());
    console.log('WebGPU adapter:', JSON.stringify(info));
    expect(info).not.toBeNull();
  });

  for (const model of ['pkgs-minilm', 'pkgs-static'] as const) {
    test(`${model} fp32: vectors match the PyTorch reference on webgpu`, async () => {
      const out = await embedInLab(page, model, 'fp32', ref.map((r) => r.query), ids.map((id) => docs.get(id)!));
      expectWebGpu(out.info);
      const dim = out.d.length / ids.length;
      expect(dim).toBe(256);
      const { maxDiff, orderMismatch } = compareWithReference(ref, model, ids, out.q, out.d, dim);
      console.log(
        `webgpu ${model} fp32: max |cos diff| ${maxDiff.toExponential(2)} over ${QUERIES} queries × ${ids.length} docs, ` +
          `load ${Math.round(out.info.loadMs)} ms, ${(ids.length / (out.docMs / 1000)).toFixed(1)} docs/s, adapter ${out.info.adapter}`,
      );
      expect(orderMismatch).toEqual([]);
      expect(maxDiff).toBeLessThanOrEqual(1e-3);
    });
  }

  test('pkgs-minilm and pkgs-static q8 (bundled): webgpu agrees with wasm', async () => {
    for (const model of ['pkgs-minilm', 'pkgs-static'] as BiModel[]) {
      const queries = ref.map((r) => r.query);
      const texts = ids.map((id) => docs.get(id)!);
      const gpu = await embedInLab(page, model, 'q8', queries, texts);
      const cpu = await embedInLab(page, model, 'q8', queries, texts, 'wasm');
      expectWebGpu(gpu.info);
      expect(cpu.info.device).toBe('wasm');
      const dim = gpu.d.length / ids.length;
      let maxDiff = 0;
      for (let qi = 0; qi < QUERIES; qi++) {
        const a = cosines(gpu.q, gpu.d, qi, dim);
        const b = cosines(cpu.q, cpu.d, qi, dim);
        a.forEach((x, i) => (maxDiff = Math.max(maxDiff, Math.abs(x - b[i]))));
      }
      const vsRef = compareWithReference(ref, model, ids, gpu.q, gpu.d, dim);
      const wasmVsRef = compareWithReference(ref, model, ids, cpu.q, cpu.d, dim);
      console.log(
        `webgpu ${model} q8: max |cos diff| vs wasm q8 ${maxDiff.toExponential(2)}, vs PyTorch fp32 ${vsRef.maxDiff.toExponential(2)} ` +
          `(wasm q8 vs PyTorch ${wasmVsRef.maxDiff.toExponential(2)}), order mismatches vs PyTorch ${vsRef.orderMismatch.length}/${QUERIES} ` +
          `(wasm q8 ${wasmVsRef.orderMismatch.length}/${QUERIES})`,
      );
      expect(maxDiff).toBeLessThanOrEqual(Q8_COS_TOL);
    }
  });

  test('pkgs-rerank: fp32 logits match PyTorch, q8 agrees with wasm', async () => {
    const got = await page.evaluate(
      async ({ pairs, fp32, q8 }) => {
        const lab = (globalThis as unknown as { quarryLab: Lab }).quarryLab;
        const m = lab.ref(fp32, 'fp32', 'cross-encoder');
        const info = await lab.load(m);
        const fp32Logits = await lab.score(m, pairs);
        const q8Gpu = lab.ref(q8, 'q8', 'cross-encoder');
        const q8Info = await lab.load(q8Gpu);
        const q8Logits = await lab.score(q8Gpu, pairs);
        const q8Wasm = await lab.score(lab.ref(q8, 'q8', 'cross-encoder', 'wasm'), pairs);
        return { info, q8Info, fp32Logits, q8Logits, q8Wasm };
      },
      { pairs, fp32: labPath('pkgs-rerank', 'fp32'), q8: labPath('pkgs-rerank', 'q8') },
    );
    expectWebGpu(got.info);
    expectWebGpu(got.q8Info);
    expect(got.fp32Logits.length).toBe(pairs.length);
    const fp32Diff = Math.max(...got.fp32Logits.map((g, i) => Math.abs(g - pairRef[i])));
    const q8Diff = Math.max(...got.q8Logits.map((g, i) => Math.abs(g - got.q8Wasm[i])));
    const q8VsRef = Math.max(...got.q8Wasm.map((g, i) => Math.abs(g - pairRef[i])));
    console.log(
      `webgpu pkgs-rerank: ${pairs.length} pairs (logits ${Math.min(...pairRef).toFixed(2)} to ${Math.max(...pairRef).toFixed(2)}), ` +
        `fp32 max |logit diff| vs PyTorch ${fp32Diff.toExponential(2)}, q8 vs wasm q8 ${q8Diff.toExponential(2)} (wasm q8 vs PyTorch fp32 ${q8VsRef.toExponential(2)})`,
    );
    expect(fp32Diff).toBeLessThanOrEqual(1e-3);
    expect(q8Diff).toBeLessThanOrEqual(Q8_LOGIT_TOL);
  });
});

function expectWebGpu(info: LoadInfo) {
  expect(info.device).toBe('webgpu');
  expect(info.ortBuild).toBe('asyncify');
  expect(info.adapter).toBeTruthy();
  expect(info.notice).toBeUndefined();
}

type JobLab = Lab & {
  startJob(projectId: string, m: unknown, items: Array<{ id: string; text: string; role: string }>, blockSize?: number): string;
  modelKey(m: unknown): Promise<string>;
  storedCount(projectId: string, key: string): Promise<{ blocks: number; vectors: number }>;
  progress: Array<{ done: number; skipped: number; blocksWritten: number; device: string; notice?: string }>;
  lastJob?: Promise<{ ok: boolean; status?: string; embedded?: number; skipped?: number; error?: string; load?: LoadInfo }>;
};

test.describe('WebGPU fallback to WASM', () => {
  test('a WebGPU session that cannot be created: the model loads on WASM with a notice', async ({ page }) => {
    await openLab(page, '?webgpu-fault=session');
    const out = await embedInLab(page, 'pkgs-static', 'q8', ['a tiling window manager'], ['i3: tiling window manager']);
    expect(out.info.device).toBe('wasm');
    expect(out.info.notice).toMatch(/^WebGPU failed \(simulated: WebGPU session creation failed\): running on WASM/);
    expect(out.d.length).toBe(256);
  });

  test('the device lost during an embedding job: the job continues on WASM, stored blocks are not redone', async ({ page }) => {
    test.setTimeout(300_000);
    // Four model calls of 16 texts run on WebGPU (two blocks of 32 stored), then every call fails.
    await openLab(page, '?webgpu-fault=run:4');
    const all = await readDocs(null, 160);
    const items = [...all].map(([id, text]) => ({ id: `d:${id}`, text, role: 'document' }));
    const projectId = `fallback-${Date.now()}`;
    const { result, key, progress } = await page.evaluate(
      async ({ projectId, items }) => {
        const lab = (globalThis as unknown as { quarryLab: JobLab }).quarryLab;
        const m = lab.ref('pkgs-static', 'q8');
        lab.startJob(projectId, m, items, 32);
        return { result: await lab.lastJob!, key: await lab.modelKey(m), progress: lab.progress };
      },
      { projectId, items },
    );
    const stored = await page.evaluate(({ p, k }) => (globalThis as unknown as { quarryLab: JobLab }).quarryLab.storedCount(p, k), { p: projectId, k: key });
    const onGpu = progress.filter((p) => p.device === 'webgpu');
    const onCpu = progress.filter((p) => p.device === 'wasm');
    console.log(`fallback: ${JSON.stringify(result)}; stored ${stored.vectors} vectors in ${stored.blocks} blocks`);
    expect(onGpu.length).toBeGreaterThan(0);
    expect(Math.max(...onGpu.map((p) => p.blocksWritten))).toBe(2);
    // The WASM run found the 64 vectors WebGPU stored and embedded only the rest.
    expect(result).toMatchObject({ ok: true, status: 'done', skipped: 64, embedded: items.length - 64 });
    expect(result.load?.device).toBe('wasm');
    expect(result.load?.notice).toMatch(/^WebGPU failed while running \(simulated: the WebGPU device was lost\): continued on WASM/);
    expect(onCpu[0]).toMatchObject({ skipped: 64, done: 64 });
    expect(onCpu.every((p) => p.notice === result.load?.notice)).toBe(true);
    expect(stored).toEqual({ vectors: items.length, blocks: 2 + Math.ceil((items.length - 64) / 32) });
  });
});

test.describe('Models page on WebGPU', () => {
  test('"test a model" shows webgpu with the adapter, load time and throughput', async ({ page }) => {
    const projectId = await createProject(page, 'WebGPU test');
    await page.goto(`/#/p/${encodeURIComponent(projectId)}/models`);
    await expect(page.getByTestId('ort-builds')).toContainText('WebGPU adapter found');
    // The page asked the service worker to cache ORT's WebGPU build; it did.
    await expect(page.getByTestId('ort-builds')).toContainText('It is cached for offline use in this browser.', { timeout: 60_000 });
    const { keys } = await waitForPrecache(page);
    expect(keys.filter((k) => /\/ort-wasm-simd-threaded\.asyncify[^/]*\.(wasm|mjs)$/.test(k))).toHaveLength(2);
    await page.locator('tr[data-model="pkgs-static"]').getByTestId('test-model').click();
    await page.getByTestId('run-test').click();
    await expect(page.getByTestId('test-result')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('test-device')).toHaveText('webgpu');
    await expect(page.getByTestId('test-adapter')).not.toBeEmpty();
    await expect(page.getByTestId('test-load')).toHaveText(/^\d+\.\d\d s$/);
    await expect(page.getByTestId('test-throughput')).toHaveText(/^\d+(\.\d)? texts\/s( \(kept for the Mine page's cost estimate\))?$/);
    await expect(page.getByTestId('device-notice')).toHaveCount(0);
  });

  test('"test a model" when WebGPU fails: wasm and the notice', async ({ page }) => {
    const projectId = await createProject(page, 'WebGPU fallback test');
    await page.goto(`/?webgpu-fault=session#/p/${encodeURIComponent(projectId)}/models`);
    await page.locator('tr[data-model="pkgs-static"]').getByTestId('test-model').click();
    await page.getByTestId('run-test').click();
    await expect(page.getByTestId('test-result')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('test-device')).toHaveText('wasm');
    await expect(page.getByTestId('device-notice')).toContainText('WebGPU failed (simulated: WebGPU session creation failed): running on WASM (CPU) instead.');
  });
});
