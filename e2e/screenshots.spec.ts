// Screenshots of every page in light and dark mode, written to docs/screenshots as
// <page>-light.png and <page>-dark.png (1280×800; Evaluate whole, it is long). Run with
// `npm run screenshots`, which builds the app and runs this spec with QUARRY_SCREENSHOTS=1;
// the normal test run skips it and writes nothing.
//
// It works as a user would: open the demo, let its run start (the Mine page shows it embedding),
// cancel it (the full demo run takes many minutes on a small machine), mine BM25 + pkgs-static
// with the pkgs-rerank cross-encoder, review a dozen candidates by keyboard, then visit each page.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const OUT = 'docs/screenshots';

test.skip(!process.env.QUARRY_SCREENSHOTS, 'writes docs/screenshots: run it with `npm run screenshots`');

/** Closes the review guidelines that open by themselves on a project's first review. */
async function closeDialogs(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  if (await dialog.isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  }
}

test('screenshots of every page, light and dark', async ({ page }) => {
  test.setTimeout(1_800_000);
  mkdirSync(OUT, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });

  // 1. The demo: imported, and its run starts by itself.
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.locator('[data-page="data"]')).toBeVisible();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
  const project = /#\/p\/([^/]+)\//.exec(page.url())![1];
  const at = (path: string) => `/#/p/${project}/${path}`;

  // 2. Mine: wait for the demo run to embed, cancel it, mine a lighter configuration.
  await page.goto(at('mine'));
  const demoRun = page.locator('section.mine-progress').first();
  await expect(demoRun).toBeVisible({ timeout: 120_000 });
  const demoRunId = (await demoRun.getAttribute('data-run'))!;
  await expect(demoRun.getByRole('listitem').filter({ hasText: /Embed · pkgs-minilm\s*[1-9][\d,]*\s*\// })).toBeVisible({ timeout: 600_000 });
  await demoRun.getByRole('button', { name: 'Cancel' }).click();
  await expect(demoRun).toHaveAttribute('data-status', 'cancelled', { timeout: 120_000 });
  const form = page.getByRole('form', { name: 'Mining configuration' });
  for (const box of await form.locator('input[type=checkbox][data-member]').all()) {
    if (['bm25', 'pkgs-static'].includes((await box.getAttribute('data-member')) ?? '')) await box.check();
    else await box.uncheck();
  }
  await form.getByLabel('reranker', { exact: true }).selectOption('pkgs-rerank');
  await form.getByRole('button', { name: 'Start mining' }).click();
  const run = page.locator(`section.mine-progress:not([data-run="${demoRunId}"])`).first();
  await expect(run).toHaveAttribute('data-status', /^(done|failed)$/, { timeout: 1_200_000 });
  expect(await run.getAttribute('data-status'), (await run.locator('.mine-error').textContent().catch(() => '')) ?? '').toBe('done');
  const runId = (await run.getAttribute('data-run'))!;

  // 3. Review a dozen candidates by keyboard: accepted, rejected, one promoted, one skipped.
  await page.goto(at(`review/${runId}`));
  await expect(page.locator('[data-testid="candidate"][data-active]')).toBeVisible({ timeout: 60_000 });
  await closeDialogs(page);
  for (const key of ['a', 'a', 'x', 'a', 'a', 'p', 'a', 'x', 'a', ' ', 'a', 'a']) {
    const before = await page.getByTestId('count-reviewed').textContent();
    await page.keyboard.press(key);
    if (key !== ' ') await expect(page.getByTestId('count-reviewed')).not.toHaveText(before ?? '');
  }

  // 4. Every page in both schemes.
  const pages: Array<{ name: string; path: string; ready: string; fullPage?: boolean; then?: (p: Page) => Promise<void> }> = [
    { name: 'projects', path: '/#/', ready: '[data-page="projects"]' },
    { name: 'data', path: at('data'), ready: '[data-testid="count-documents"]' },
    { name: 'models', path: at('models'), ready: '[data-page="models"]' },
    { name: 'mine', path: at('mine'), ready: '[data-testid="metrics-table"]' },
    { name: 'review', path: at(`review/${runId}`), ready: '[data-testid="candidate"][data-active]' },
    {
      name: 'review-help',
      path: at(`review/${runId}`),
      ready: '[data-testid="candidate"][data-active]',
      then: async (p) => {
        await p.keyboard.press('?');
        await expect(p.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      },
    },
    { name: 'evaluate', path: at(`evaluate/${runId}`), ready: '.evaluate-hist', fullPage: true },
    { name: 'export', path: at(`export/${runId}`), ready: '[data-page="export"]' },
  ];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const p of pages) {
      await page.goto(p.path);
      await expect(page.locator(p.ready).first()).toBeVisible({ timeout: 60_000 });
      await closeDialogs(page);
      await p.then?.(page);
      // Let late loads (previews, charts, fonts) paint; no hover tooltip in the picture.
      await page.mouse.move(1275, 795);
      await page.waitForTimeout(1200);
      await page.screenshot({ path: `${OUT}/${p.name}-${scheme}.png`, fullPage: p.fullPage ?? false });
    }
  }
});
