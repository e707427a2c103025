// Long jobs show wherever the user is: the shell's activity indicator lists the demo import,
// then the demo mining run, with progress and a link to the page that shows the job.
import { expect, test } from '@playwright/test';

test('the activity indicator follows the demo import and mining run from any page', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/');
  // The demo import takes well under a second now: pace it (a pause before each chunk) so
  // the indicator can be seen while it runs.
  await page.evaluate(() => {
    const w = window as unknown as { __quarryTest?: Record<string, unknown> };
    w.__quarryTest = { ...(w.__quarryTest ?? {}), importPaceMs: 1500 };
  });
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.locator('[data-page="data"]')).toBeVisible();
  const projectId = decodeURIComponent(/#\/p\/([^/]+)\//.exec(page.url())![1]);
  const activity = page.getByTestId('activity');

  // The import shows while it runs, linking to the Data page.
  const imp = activity.locator('.activity-item[data-kind="import"]');
  await expect(imp).toBeVisible();
  await expect(imp).toHaveAttribute('href', `#/p/${projectId}/data`);

  // Then the demo run, on every page, with its stage and a link to its Mine page.
  await page.goto('/#/');
  const mining = activity.locator('.activity-item[data-kind="mining"]');
  await expect(mining).toBeVisible({ timeout: 300_000 });
  await expect(imp).toHaveCount(0);
  await expect(mining).toHaveAttribute('href', new RegExp(`^#/p/${projectId}/mine/[^/]+$`));
  await expect(mining.locator('.activity-label')).toHaveText(/^Mining · .+ \(\d+\/\d+\)$/);
  // Progress moves and an ETA appears once there is a rate.
  await expect(mining.locator('.activity-count')).toHaveText(/\d+% · .+ left/, { timeout: 300_000 });
  await mining.click();
  await expect(page.locator('[data-page="mine"]')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  await expect(mining).toHaveCount(0);
});
