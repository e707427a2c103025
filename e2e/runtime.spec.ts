// Browser runtime in headless Chromium (WASM; this Chromium has no WebGPU adapter):
// parity with PyTorch on a slice of the Debian dev split, offline loading, and resuming an
// embedding job after a reload. Uses the runtime lab page (src/workers/embed/lab).
import { test, expect, type Page } from '@playwright/test';
import { readDocs, readReference, type RefRow } from './runtime-fixture';
import { openLocalModelForm } from './helpers';
import { modelFolder } from '../src/cli/test-support/st-folder';
import { compareWithReference, embedInLab, openLab, type Lab } from './runtime-lab';

// 40 queries and the ~600 documents their top-10 lists name: CI-sized on a busy 2-core machine.
const QUERIES = 40;

let ref: RefRow[];
let docs: Map<string, string>;
test.beforeAll(async () => {
  ref = readReference(QUERIES);
  const want = new Set<string>();
  for (const r of ref) for (const m of ['pkgs-minilm', 'pkgs-static'] as const) r[m].slice(0, 10).forEach(([d]) => want.add(d));
  for (const r of ref.slice(0, 10)) r['pkgs-rerank@pkgs-minilm-top30'].forEach(([d]) => want.add(d));
  docs = await readDocs(want);
  expect(docs.size).toBe(want.size);
});

/** Embeds the slice in the page and compares with the reference in Node. */
async function parity(page: Page, model: 'pkgs-minilm' | 'pkgs-static', dtype: 'fp32' | 'q8') {
  const ids = [...docs.keys()];
  const out = await embedInLab(page, model, dtype, ref.map((r) => r.query), ids.map((id) => docs.get(id)!));
  const dim = out.d.length / ids.length;
  expect(dim).toBe(256);
  expect(out.info.device).toBe('wasm');
  const { overlap, maxDiff } = compareWithReference(ref, model, ids, out.q, out.d, dim);
  const docsPerS = ids.length / (out.docMs / 1000);
  console.log(
    `${model} ${dtype}: top-10 overlap ${overlap.toFixed(4)}, max |cos diff| ${maxDiff.toExponential(2)}, ` +
      `${ids.length} docs at ${docsPerS.toFixed(1)} docs/s, load ${Math.round(out.info.loadMs)} ms, ` +
      `${out.info.numThreads} threads, ORT ${out.info.ortBuild}`,
  );
  return { overlap, maxDiff };
}

test.describe('parity with PyTorch (WASM)', () => {
  test.describe.configure({ timeout: 420_000 });
  test('pkgs-minilm fp32', async ({ page }) => {
    await openLab(page);
    const { overlap, maxDiff } = await parity(page, 'pkgs-minilm', 'fp32');
    expect(overlap).toBeGreaterThanOrEqual(0.99);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
  });

  test('pkgs-static fp32', async ({ page }) => {
    await openLab(page);
    const { overlap, maxDiff } = await parity(page, 'pkgs-static', 'fp32');
    expect(overlap).toBeGreaterThanOrEqual(0.99);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
  });

  test('pkgs-minilm and pkgs-static q8 (bundled)', async ({ page }) => {
    await openLab(page);
    for (const model of ['pkgs-minilm', 'pkgs-static'] as const) {
      const { overlap } = await parity(page, model, 'q8');
      expect(overlap).toBeGreaterThanOrEqual(0.95);
    }
  });

  test('pkgs-rerank fp32 logits', async ({ page }) => {
    await openLab(page);
    const rows = ref.slice(0, 10);
    const pairs = rows.flatMap((r) => r['pkgs-rerank@pkgs-minilm-top30'].map(([d]) => [r.query, docs.get(d)!] as [string, string]));
    const want = rows.flatMap((r) => r['pkgs-rerank@pkgs-minilm-top30'].map(([, s]) => s));
    const got = await page.evaluate(async (pairs) => {
      const lab = (globalThis as unknown as { quarryLab: Lab }).quarryLab;
      return lab.score(lab.ref('/models-fp32/pkgs-rerank', 'fp32', 'cross-encoder'), pairs);
    }, pairs);
    const maxDiff = Math.max(...got.map((g, i) => Math.abs(g - want[i])));
    console.log(`pkgs-rerank fp32: ${pairs.length} pairs, max |logit diff| ${maxDiff.toExponential(2)}`);
    expect(got.length).toBe(pairs.length);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
  });
});

type JobLab = Lab & {
  client(): { dispose(): void; api: { unload(m: unknown): Promise<void> } };
  startJob(projectId: string, m: unknown, items: Array<{ id: string; text: string; role: string }>, blockSize?: number): string;
  modelKey(m: unknown): Promise<string>;
  storedCount(projectId: string, key: string): Promise<{ blocks: number; vectors: number }>;
  progress: Array<{ done: number; total: number; skipped: number; blocksWritten: number }>;
  lastJob?: Promise<{ ok: boolean; status?: string; embedded?: number; skipped?: number; error?: string }>;
};

test('offline: a bundled model loads and embeds with the network off', async ({ page, context }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const texts = ['open free fiasco firmware flasher', 'a tiling window manager'];
  const online = await page.evaluate(async (texts) => {
    const lab = (globalThis as unknown as { quarryLab: JobLab }).quarryLab;
    const m = lab.ref('pkgs-minilm', 'q8');
    const v = await lab.embed(m, texts, 'query');
    await lab.client().api.unload(m);
    return v;
  }, texts);
  await context.setOffline(true);
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  // The model was unloaded: tokenizer, config and weights must come from the browser's cache.
  const offline = await page.evaluate(async (texts) => {
    const lab = (globalThis as unknown as { quarryLab: JobLab }).quarryLab;
    const m = lab.ref('pkgs-minilm', 'q8');
    const info = await lab.load(m);
    return { info, v: await lab.embed(m, texts, 'query') };
  }, texts);
  await context.setOffline(false);
  expect(offline.info.cached).toBe(false);
  expect(offline.v.length).toBe(512);
  expect(Math.max(...offline.v.map((x, i) => Math.abs(x - online[i])))).toBeLessThan(1e-6);
  expect(failed).toEqual([]);
});

test('a reload during an embedding job resumes from the stored blocks', async ({ page }) => {
  test.setTimeout(420_000);
  await openLab(page);
  const all = await readDocs(null, 3000);
  const items = [...all].map(([id, text]) => ({ id: `d:${id}`, text, role: 'document' }));
  const projectId = `resume-${Date.now()}`;
  const key = await page.evaluate(
    async ({ projectId, items }) => {
      const lab = (globalThis as unknown as { quarryLab: JobLab }).quarryLab;
      const m = lab.ref('pkgs-static', 'q8');
      lab.startJob(projectId, m, items, 64);
      return lab.modelKey(m);
    },
    { projectId, items },
  );
  // Wait until a few blocks are stored, then reload in the middle of the job.
  await expect
    .poll(async () => (await page.evaluate(({ p, k }) => (globalThis as unknown as { quarryLab: JobLab }).quarryLab.storedCount(p, k), { p: projectId, k: key })).blocks, {
      timeout: 240_000,
      intervals: [100],
    })
    .toBeGreaterThanOrEqual(3);
  await page.reload();
  await expect(page.locator('#status')).toHaveText('ready');
  const before = await page.evaluate(({ p, k }) => (globalThis as unknown as { quarryLab: JobLab }).quarryLab.storedCount(p, k), { p: projectId, k: key });
  expect(before.vectors).toBeGreaterThan(0);
  expect(before.vectors).toBeLessThan(items.length);
  const result = await page.evaluate(
    async ({ projectId, items }) => {
      const lab = (globalThis as unknown as { quarryLab: JobLab }).quarryLab;
      lab.startJob(projectId, lab.ref('pkgs-static', 'q8'), items, 64);
      return lab.lastJob!;
    },
    { projectId, items },
  );
  const after = await page.evaluate(({ p, k }) => (globalThis as unknown as { quarryLab: JobLab }).quarryLab.storedCount(p, k), { p: projectId, k: key });
  console.log(`resume: ${before.vectors} vectors in ${before.blocks} blocks before the reload; then embedded ${result.embedded}, skipped ${result.skipped}; ${after.blocks} blocks after`);
  expect(result).toMatchObject({ ok: true, status: 'done', skipped: before.vectors, embedded: items.length - before.vectors });
  expect(after.vectors).toBe(items.length);
  expect(after.blocks).toBeGreaterThan(before.blocks);
});

test('Models page: a local folder is validated, stored in OPFS, and runs after a reload', async ({ page }) => {
  test.setTimeout(300_000);
  const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(join(tmpdir(), 'quarry-folder-'));
  // A broken folder: no tokenizer files, weights outside onnx/.
  const bad = join(root, 'broken-model');
  mkdirSync(bad);
  writeFileSync(join(bad, 'config.json'), '{"model_type":"bert"}');
  writeFileSync(join(bad, 'vocab.txt'), '[PAD]\n');
  writeFileSync(join(bad, 'model.onnx'), 'x');
  // A good one: the bundled pkgs-static (q8).
  const good = join(root, 'my-static');
  modelFolder('public/models/pkgs-static', good, [['onnx/model_quantized.onnx', 'onnx/model_quantized.onnx']], 'copy');

  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  const { form } = await openLocalModelForm(page, 'Local folder test');
  await form.getByTestId('folder-input').setInputFiles(bad);
  const report = form.getByTestId('folder-report');
  await expect(report).toContainText('no tokenizer.json (vocab.txt alone is not enough');
  await expect(report).toContainText('no tokenizer_config.json');
  await expect(report).toContainText('ONNX files found (model.onnx) but none where transformers.js looks');
  await form.getByRole('button', { name: 'Add model' }).click();
  await expect(form.getByRole('alert')).toContainText('Folder: no tokenizer.json');

  await form.getByTestId('folder-input').setInputFiles(good);
  await expect(report).toContainText('Looks usable: bi-encoder, bert, weights for q8.');
  await form.getByRole('button', { name: 'Add model' }).click();
  const row = page.locator('tr[data-model="my-static"]');
  await expect(row).toContainText('local folder');

  // After a reload the files come from OPFS through the fetch wrapper.
  await page.reload();
  await row.getByTestId('test-model').click();
  await page.getByTestId('run-test').click();
  await expect(page.getByTestId('test-result')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('test-device')).toHaveText('wasm');
  await expect(page.getByTestId('test-preview')).toContainText('dim 256 · norm 1.0000');
});
