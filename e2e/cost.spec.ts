// What a run costs, shown on the Mine page before it starts: unknown until the model was
// measured, then texts to embed over the rate the Models page test measured on this device;
// an asymmetric member (queries by another bi-encoder) names its query model.
import { expect, test, type Page } from '@playwright/test';

async function openDemo(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const m = /#\/p\/([^/]+)\//.exec(page.url());
  if (!m) throw new Error(`not on a project page: ${page.url()}`);
  return decodeURIComponent(m[1]);
}

async function onlyStatic(page: Page) {
  const form = page.getByRole('form', { name: 'Mining configuration' });
  await expect(form.getByLabel('use pkgs-static')).toBeVisible();
  for (const box of await form.locator('input[type=checkbox][data-member]').all()) {
    const name = await box.getAttribute('data-member');
    await box.setChecked(name === 'bm25' || name === 'pkgs-static');
  }
  await form.getByLabel('reranker', { exact: true }).selectOption('');
  return form;
}

test('the Mine page estimates the embedding time from the Models page measurement', async ({ page }) => {
  test.setTimeout(400_000);
  const projectId = await openDemo(page);
  await page.goto(`/#/p/${projectId}/mine`);
  // The demo's default run starts with pkgs-minilm: stop it so nothing of pkgs-static is stored.
  await expect(page.locator('.mine-progress li[data-stage="embed:pkgs-minilm"]')).toBeVisible({ timeout: 60_000 });
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');

  await onlyStatic(page);
  const line = page.getByTestId('run-cost-line');
  await expect(line).toHaveCount(1);
  await expect(line).toHaveText('pkgs-static: 4,000 documents (0 stored) + 300 queries: unknown (test pkgs-static on the Models page)');

  await page.goto(`/#/p/${projectId}/models`);
  await page.locator('tr[data-model="pkgs-static"]').getByTestId('test-model').click();
  await page.getByTestId('run-test').click();
  await expect(page.getByTestId('test-result')).toBeVisible({ timeout: 120_000 });

  await page.goto(`/#/p/${projectId}/mine`);
  const form = await onlyStatic(page);
  const today = new Date().toISOString().slice(0, 10);
  // The lines follow the form asynchronously (stored vectors are counted in the database):
  // wait for the reranker line to go before reading the one left.
  await expect(line).toHaveCount(1);
  await expect(line).toHaveText(new RegExp(`^pkgs-static: 4,000 documents \\(0 stored\\) \\+ 300 queries ≈ (\\d+ h )?(\\d+ min )?(\\d+ s)? at [\\d.]+ docs/s measured ${today} on wasm$`));
  const text = (await line.textContent())!;
  // The arithmetic: 4,300 texts over the shown rate.
  const rate = Number(/at ([\d.]+) docs\/s/.exec(text)![1]);
  const shown = /≈ (?:(\d+) h )?(?:(\d+) min ?)?(?:(\d+) s)?/.exec(text)!;
  const secs = Number(shown[1] ?? 0) * 3600 + Number(shown[2] ?? 0) * 60 + Number(shown[3] ?? 0);
  console.info('[cost] Mine page estimate:', text);
  expect(Math.abs(secs - 4300 / rate)).toBeLessThanOrEqual(Math.max(1, 0.02 * secs) + 60 * Number(secs >= 3600));

  // Asymmetric: queries by pkgs-minilm (never measured here).
  await form.getByLabel('query model of pkgs-static').selectOption('pkgs-minilm');
  // The cancelled demo run may already have stored some pkgs-minilm query vectors (how many
  // depends on when Cancel landed): those count as stored.
  await expect(line).toHaveText(
    /^pkgs-static\(q:pkgs-minilm\): 4,000 documents \(0 stored\) \+ 300 queries( \(\d+ stored\))? by pkgs-minilm: unknown \(test pkgs-minilm on the Models page\)$/,
  );
});
