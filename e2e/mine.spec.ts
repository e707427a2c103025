// Mining in the browser: the demo starts its default run by itself; a run with BM25 + a
// bundled model ends with the evaluation table and stored candidates; a reload in the
// middle of a run resumes it from what is stored.
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { quarryEval, readCorpusRows, readStore } from './helpers';

test.describe.configure({ mode: 'serial' });

async function openDemo(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.locator('[data-page="data"]')).toBeVisible();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const m = /#\/p\/([^/]+)\//.exec(page.url());
  if (!m) throw new Error(`not on a project page: ${page.url()}`);
  return decodeURIComponent(m[1]);
}

interface StoredCandidate {
  runId: string;
  queryId: string;
  docId: string;
  rank: number;
  members: Record<string, { rank: number | null; score: number | null }>;
  flags: string[];
  ce?: number;
}

async function configure(page: Page, opts: { dense: string[]; bm25: boolean; reranker?: string; dtype?: 'q8' | 'fp32' }) {
  const form = page.getByRole('form', { name: 'Mining configuration' });
  for (const box of await form.locator('input[type=checkbox][data-member]').all()) {
    const name = await box.getAttribute('data-member');
    await box.setChecked(name === 'bm25' ? opts.bm25 : opts.dense.includes(name ?? ''));
  }
  for (const name of opts.dense) await form.getByLabel(`dtype of ${name}`).selectOption(opts.dtype ?? 'q8');
  await form.getByLabel('reranker', { exact: true }).selectOption(opts.reranker ?? '');
}

test('the demo starts its default run; a BM25 + pkgs-static run ends with metrics and candidates', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const projectId = await openDemo(page);

  // The default demo run started by itself (visible on the Mine page); stop it to keep the test short.
  await page.goto(`/#/p/${projectId}/mine`);
  const demoRun = page.getByTestId('run-list').locator('tbody tr', { hasText: 'Demo run' });
  await expect(demoRun).toHaveCount(1);
  await expect(page.locator('.mine-progress[data-status="running"]')).toBeVisible();
  await expect(page.locator('.mine-progress li[data-stage="embed:pkgs-minilm"]')).toBeVisible();
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');

  await configure(page, { dense: ['pkgs-static'], bm25: true });
  await page.getByRole('button', { name: 'Start mining' }).click();
  await expect(page.getByTestId('run-list').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 400_000 });

  const table = page.getByTestId('metrics-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  for (const member of ['pkgs-static', 'bm25', 'ensemble']) {
    const v = Number(await table.locator(`tr[data-member="${member}"] td[data-metric="ndcg@10"]`).textContent());
    expect(v).toBeGreaterThan(0.3);
    expect(v).toBeLessThanOrEqual(1);
  }
  const runId = /\/mine\/([^/]+)$/.exec(page.url())![1];
  const rows = (await readStore<StoredCandidate>(page, 'candidates')).filter((r) => r.runId === runId);
  const perQuery = new Map<string, number>();
  for (const r of rows) perQuery.set(r.queryId, (perQuery.get(r.queryId) ?? 0) + 1);
  const stats = {
    queries: perQuery.size,
    maxPerQuery: Math.max(...perQuery.values()),
    withBoth: rows.filter((r) => r.members['bm25'] && r.members['pkgs-static']).length,
    n: rows.length,
  };
  expect(stats.queries).toBeGreaterThan(250);
  expect(stats.maxPerQuery).toBe(5);
  expect(stats.withBoth).toBe(stats.n);
  await expect(page.getByTestId('run-list').locator(`tr[data-run="${runId}"] .mine-review-link`)).toHaveAttribute(
    'href',
    `#/p/${projectId}/review/${runId}`,
  );
  expect(errors).toEqual([]);
});

interface StoredRun {
  id: string;
  name: string;
  status: string;
  stages: Record<string, { done: number; total: number; status?: string }>;
  metrics?: Record<string, Record<string, number>>;
  error?: string;
}

test('a reload in the middle of a run resumes it by itself from what is stored', async ({ page }) => {
  // Minutes on a busy 2-core runner: the cross-encoder scores ~3,000 pairs in WASM.
  test.setTimeout(900_000);
  const projectId = await openDemo(page);
  await page.goto(`/#/p/${projectId}/mine`);
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  // pkgs-static + BM25, denoised by pkgs-rerank: the cross-encoder stage is the long one here.
  await configure(page, { dense: ['pkgs-static'], bm25: true, reranker: 'pkgs-rerank' });
  await page.getByRole('button', { name: 'Start mining' }).click();
  await expect(page).toHaveURL(/\/mine\/[^/]+$/);
  const runId = /\/mine\/([^/]+)$/.exec(page.url())![1];
  const stored = async () => (await readStore<StoredRun>(page, 'runs')).find((r) => r.id === runId)!;

  // Reload once a few batches of the rerank stage are stored.
  await expect.poll(async () => (await stored()).stages.rerank?.done ?? 0, { timeout: 400_000, intervals: [500] }).toBeGreaterThanOrEqual(50);
  const before = await stored();
  expect(before.status).toBe('running');
  expect(before.stages.rerank.done).toBeLessThan(before.stages.rerank.total);
  const checkpoints = (await readStore<{ id: string; updatedAt: number }>(page, 'jobs')).filter((j) => j.id.startsWith(`mine:${runId}:`));
  await page.reload();

  // The run continues without a click, from the stored batch: no stage goes back.
  await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 30_000 });
  const after = await stored();
  expect(after.stages.rerank.done).toBeGreaterThanOrEqual(before.stages.rerank.done);
  expect(after.stages.select).toEqual(before.stages.select);
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 400_000 });
  // Retrieval was not redone: its checkpoints are the ones written before the reload.
  const later = (await readStore<{ id: string; updatedAt: number }>(page, 'jobs')).filter((j) => j.id.startsWith(`mine:${runId}:`));
  expect(later).toEqual(checkpoints);

  const rows = (await readStore<StoredCandidate>(page, 'candidates')).filter((r) => r.runId === runId);
  expect(rows.length).toBeGreaterThan(1000);
  // Every candidate carries its cross-encoder score: the batches before and after the reload.
  expect(rows.filter((r) => typeof r.ce !== 'number')).toEqual([]);
  expect(rows.some((r) => r.flags.includes('suspected-false-negative'))).toBe(true);
  await expect(page.getByTestId('metrics-table').locator('tbody tr')).toHaveCount(3);
});

test('token-window chunking in the browser: windows by the model tokenizer, the winning chunk shows in review', async ({ page }) => {
  test.setTimeout(600_000);
  const projectId = await openDemo(page);
  await page.goto(`/#/p/${projectId}/mine`);
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  await configure(page, { dense: ['pkgs-static'], bm25: false });
  const form = page.getByRole('form', { name: 'Mining configuration' });
  await form.getByLabel('chunking').selectOption('tokens');
  await form.getByLabel('chunk window tokens').fill('24');
  await form.getByLabel('chunk overlap tokens').fill('8');
  await page.getByRole('button', { name: 'Start mining' }).click();
  await expect(page).toHaveURL(/\/mine\/[^/]+$/);
  const runId = /\/mine\/([^/]+)$/.exec(page.url())![1];
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 400_000 });

  // Chunks are windows of the body, keyed by the tokenizer's model, offsets into the text.
  const chunks = (await readStore<{ chunker: string; docId: string; idx: number; text: string; start: number; end: number }>(page, 'chunks')).filter(
    (c) => c.chunker === 'tokens:24:8@pkgs-static',
  );
  const docs = new Map((await readCorpusRows<{ id: string; text: string }>(page, 'documents')).map((d) => [d.id, d.text]));
  expect(chunks.length).toBeGreaterThan(docs.size * 1.5);
  for (const c of chunks.slice(0, 500)) expect(docs.get(c.docId)!.slice(c.start, c.end)).toBe(c.text);

  // Every candidate remembers the chunk that won MaxP, and review shows it.
  const rows = (await readStore<StoredCandidate & { chunk?: { idx: number; text: string } }>(page, 'candidates')).filter((r) => r.runId === runId);
  expect(rows.length).toBeGreaterThan(1000);
  expect(rows.filter((r) => !r.chunk)).toEqual([]);
  expect(rows.some((r) => r.chunk!.idx > 0)).toBe(true);
  await page.goto(`/#/p/${projectId}/review/${runId}`);
  await expect(page.getByTestId('candidate-list').locator('.rv-badge', { hasText: /^chunk \d+$/ }).first()).toBeVisible();
});

test.describe('parity with the CLI', () => {
  // The fp32 weights are not in public/ (size): the page's requests for them are answered
  // from ../shared/models. The service worker is blocked so every request reaches page.route.
  test.use({ serviceWorkers: 'block' });

  test('same config in the browser and `quarry eval` (Node) on the demo slice: same metrics to 1e-3', async ({ page }) => {
    test.setTimeout(process.env.QUARRY_E2E_FULL ? 1_800_000 : 600_000);
    const shared = path.resolve(process.env.QUARRY_SHARED ?? '../shared');
    await page.route((url) => /^\/models\/(pkgs-minilm|pkgs-static)\/onnx\/model\.onnx$/.test(url.pathname), (route) => {
      const name = /\/models\/([\w-]+)\/onnx\//.exec(new URL(route.request().url()).pathname)![1];
      return route.fulfill({ path: path.join(shared, 'models', name, 'onnx/model.onnx'), contentType: 'application/octet-stream' });
    });
    // The CLI runs at the same time as the browser (it reads the demo's own files).
    // pkgs-static + BM25 by default (minutes on a busy 2-core runner); QUARRY_E2E_FULL=1 adds pkgs-minilm.
    const dense = process.env.QUARRY_E2E_FULL ? ['pkgs-minilm', 'pkgs-static'] : ['pkgs-static'];
    const cli = quarryEval([
      '--data', 'public/demo', '--split', 'dev', '--fusion', 'soft-z',
      ...dense.flatMap((m) => ['--member', `dense:${path.join(shared, 'models', m)}:dtype=fp32`]),
      '--member', 'bm25:k1=0.9:b=0.4',
    ]);

    const projectId = await openDemo(page);
    await page.goto(`/#/p/${projectId}/mine`);
    await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('cancelled');
    await configure(page, { dense, bm25: true, dtype: 'fp32' });
    await page.getByRole('button', { name: 'Start mining' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 550_000 });
    const runId = /\/mine\/([^/]+)$/.exec(page.url())![1];
    const run = (await readStore<StoredRun>(page, 'runs')).find((r) => r.id === runId)!;

    const node = await cli;
    expect(Object.keys(run.metrics!).sort()).toEqual([...dense, 'bm25', 'ensemble'].sort());
    expect(node.queries).toBe(run.metrics!.bm25.queries);
    const compare: Array<[string, Record<string, number>, Record<string, number>]> = [
      ...Object.entries(node.members).map(([name, m]): [string, Record<string, number>, Record<string, number>] => [name, m, run.metrics![name]]),
      ['ensemble', node.ensemble, run.metrics!.ensemble],
    ];
    let worst = 0;
    for (const [, want, got] of compare) for (const k of Object.keys(want)) worst = Math.max(worst, Math.abs(got[k] - want[k]));
    test.info().annotations.push({ type: 'parity', description: `max |browser − node| over ${compare.length} rows × 4 metrics: ${worst.toExponential(2)}` });
    await page.screenshot({ path: test.info().outputPath('mine-page.png'), fullPage: true });
    for (const [name, want, got] of compare) {
      for (const k of ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100']) {
        expect(Math.abs(got[k] - want[k]), `${name} ${k}: browser ${got[k]} vs node ${want[k]}`).toBeLessThanOrEqual(1e-3);
      }
    }
  });
});

test('the Mine page names the rank-range semantics and shows what SimANS sampling does', async ({ page }) => {
  test.setTimeout(300_000);
  const projectId = await openDemo(page);
  await page.goto(`/#/p/${projectId}/mine`);
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  const form = page.getByRole('form', { name: 'Mining configuration' });
  const semantics = form.getByLabel('rank range semantics');
  await expect(semantics.locator('option')).toHaveText(['window (FlagEmbedding)', 'st (sentence-transformers)']);
  await expect(semantics).toHaveValue('window');
  await expect(semantics).toHaveAttribute('title', /FlagEmbedding range_for_sampling: fused ranks MIN < rank ≤ MAX, positives counted/);
  await semantics.selectOption('st');
  await expect(semantics).toHaveAttribute('title', /sentence-transformers range_min\/range_max/);
  await expect(form.getByLabel('sampling', { exact: true }).locator('option')).toHaveText(['top N', 'uniform random']);
  await form.getByLabel('strategy', { exact: true }).selectOption('simans');
  // a = 100 on cosines: 0.38 of one draw's mass on the top 10 of a typical pool, against 0.10 uniform
  await expect(page.getByTestId('simans-hint')).toContainText('lands in the top 10 with probability 0.38 (uniform 0.10)');
});
