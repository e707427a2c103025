// First-hour polish: the favicon exists, the bundled demo models offer only the weights
// they ship (q8), and a new run starts from the members the last run used.
import { expect, test } from '@playwright/test';

test('favicon.ico is served as an icon', async ({ request }) => {
  const r = await request.get('/favicon.ico');
  expect(r.status()).toBe(200);
  const body = await r.body();
  // ICO header: reserved 0, type 1 (icon), at least one image.
  expect([body.readUInt16LE(0), body.readUInt16LE(2)]).toEqual([0, 1]);
  expect(body.readUInt16LE(4)).toBeGreaterThan(0);
});

test('Mine: bundled models offer q8 only; a new run defaults to the last run members', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.locator('[data-page="data"]')).toBeVisible();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Mine' }).click();
  const form = page.getByRole('form', { name: 'Mining configuration' });
  // The demo run (pkgs-minilm + pkgs-static + BM25, reranker pkgs-rerank) is the last run.
  await expect(page.getByTestId('run-list').locator('tbody tr', { hasText: 'Demo run' })).toHaveCount(1);
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  await page.reload();
  for (const name of ['pkgs-minilm', 'pkgs-static', 'bm25']) await expect(form.locator(`input[data-member="${name}"]`)).toBeChecked();
  for (const name of ['pkgs-minilm', 'pkgs-static']) {
    // Give the weight probe time to answer, then only q8 is there.
    await page.waitForTimeout(500);
    await expect(form.getByLabel(`dtype of ${name}`).locator('option')).toHaveText(['q8']);
  }
  await expect(form.getByLabel('reranker', { exact: true })).toHaveValue('pkgs-rerank');
  await expect(form.getByLabel('reranker dtype').locator('option')).toHaveText(['q8']);
});
