// What a decision costs the Review page in reads: the decision itself and the pair it wrote,
// never every decision of the project or every candidate of the run again (that re-read grew
// with the decisions stored and made each key press wait behind it; issue 14 item 8).
// Counted by the read counter the test hook installs (src/db/read-counter.ts), not timed.
import { expect, test, type Page } from '@playwright/test';
import type { ReadCounts } from '../src/db/read-counter';

const PROJECT = 'review-fixture';
const RUN = 'review-fixture-run';

type Hook = { seedFixture(): Promise<unknown>; readCounts(): ReadCounts; resetReadCounts(): void; decisions(p: string): Promise<unknown[]> };
type Hooked = { __quarryTest?: { review?: Hook } };
const counts = (page: Page) => page.evaluate(() => (window as unknown as Hooked).__quarryTest!.review!.readCounts());
const rows = (c: ReadCounts, table: string) => c.rows[table] ?? 0;

/** Waits until the page stops reading (the counts hold still for a second), and returns them. */
async function settled(page: Page): Promise<ReadCounts> {
  let last = '';
  let still = 0;
  for (let i = 0; i < 120; i++) {
    const now = JSON.stringify(await counts(page));
    still = now === last ? still + 1 : 0;
    if (still >= 4) return JSON.parse(now) as ReadCounts;
    last = now;
    await page.waitForTimeout(250);
  }
  throw new Error(`the page kept reading: ${last}`);
}

test('a decision reads back only the pair it wrote: not every decision of the project, not the run', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/#/');
  await page.waitForFunction(() => !!(window as unknown as Hooked).__quarryTest?.review);
  await page.evaluate(() => (window as unknown as Hooked).__quarryTest!.review!.seedFixture());
  await page.goto(`/#/p/${PROJECT}/review/${RUN}`);
  await expect(page.locator('[data-testid="candidate"][data-active]')).toBeVisible();
  if (await page.getByRole('dialog').count()) await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('count-reviewed')).toHaveText('0');

  // 32 decisions stored first (four queries accepted whole), so a re-read of them would show.
  for (let i = 1; i <= 4; i++) {
    await page.keyboard.press('Shift+A');
    await expect(page.getByTestId('count-reviewed')).toHaveText(String(8 * i));
  }
  // Let the page take those in, then count from zero.
  await settled(page);
  await page.evaluate(() => (window as unknown as Hooked).__quarryTest!.review!.resetReadCounts());

  const keys = ['a', 'x', 'a', 'a', 'x'];
  for (let i = 0; i < keys.length; i++) {
    await page.keyboard.press(keys[i]);
    await expect(page.getByTestId('count-reviewed')).toHaveText(String(33 + i));
  }
  // The page follows its own writes like another tab's: one log event and one record each
  // (5 decisions; a re-read of the project's would be 33 + 34 + … records).
  const c = await settled(page);
  expect(rows(c, 'decisions'), JSON.stringify(c)).toBe(5);
  expect(rows(c, 'decisionEvents'), JSON.stringify(c)).toBe(5);
  expect(rows(c, 'candidates'), JSON.stringify(c)).toBe(0);
  expect(c.cursors.decisions ?? 0).toBe(0);
  expect(c.cursors.candidates ?? 0).toBe(0);
  expect(await page.evaluate((p) => (window as unknown as Hooked).__quarryTest!.review!.decisions(p), PROJECT)).toHaveLength(37);
});
