// Mining in the browser: the demo starts its default run by itself; a run with BM25 + a
// bundled model ends with the evaluation table and stored candidates; a reload in the
// middle of a run resumes it from what is stored.
import { expect, test, type Page } from '@playwright/test';

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

/** Reads stored rows straight from IndexedDB (the app's `quarry` database). */
async function idb<T>(page: Page, store: string, fn: string): Promise<T> {
  return page.evaluate(
    ([store, fn]) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('quarry');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, 'readonly');
          const req = tx.objectStore(store).getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(new Function('rows', `return (${fn})(rows)`)(req.result) as T);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    [store, fn] as const,
  );
}

async function configure(page: Page, opts: { dense: string[]; bm25: boolean; reranker?: string }) {
  const form = page.getByRole('form', { name: 'Mining configuration' });
  for (const box of await form.locator('input[type=checkbox][data-member]').all()) {
    const name = await box.getAttribute('data-member');
    await box.setChecked(name === 'bm25' ? opts.bm25 : opts.dense.includes(name ?? ''));
  }
  await form.getByLabel('reranker', { exact: true }).selectOption(opts.reranker ?? '');
}

test('the demo starts its default run; a BM25 + pkgs-static run ends with metrics and candidates', async ({ page }) => {
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
  const stats = await idb<{ n: number; queries: number; maxPerQuery: number; withBoth: number }>(
    page,
    'candidates',
    `rows => { const mine = rows.filter(r => r.runId === ${JSON.stringify(runId)}); const per = {};
      for (const r of mine) per[r.queryId] = (per[r.queryId] || 0) + 1;
      return { n: mine.length, queries: Object.keys(per).length, maxPerQuery: Math.max(...Object.values(per)),
               withBoth: mine.filter(r => r.members['bm25'] && r.members['pkgs-static']).length }; }`,
  );
  expect(stats.queries).toBeGreaterThan(250);
  expect(stats.maxPerQuery).toBe(5);
  expect(stats.withBoth).toBe(stats.n);
  await expect(page.getByTestId('run-list').locator(`tr[data-run="${runId}"] .mine-review-link`)).toHaveAttribute(
    'href',
    `#/p/${projectId}/review/${runId}`,
  );
  expect(errors).toEqual([]);
});
