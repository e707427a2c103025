// Faults during review: two tabs of the same reviewer. What is stored afterwards and what
// each page says are both asserted.
import { expect, test, type Page } from '@playwright/test';
import { makeFixture } from '../src/ui/pages/Review/fixture';

const PROJECT = 'review-fixture';
const RUN = 'review-fixture-run';
const REVIEW_URL = `/#/p/${PROJECT}/review/${RUN}`;

const fixture = makeFixture();
const order = [...fixture.candidates].sort((a, b) => (a.queryId < b.queryId ? -1 : a.queryId > b.queryId ? 1 : a.rank - b.rank));

type Hooked = { __quarryTest?: { review?: { seedFixture(): Promise<unknown>; decisions(p: string): Promise<unknown[]> } } };
type Decision = { docId: string; label: string; reviewer: string };

async function stored(page: Page): Promise<Array<[string, string]>> {
  const ds = (await page.evaluate((p) => (window as unknown as Hooked).__quarryTest!.review!.decisions(p), PROJECT)) as Decision[];
  return ds.map((d): [string, string] => [d.docId, d.label]).sort();
}

async function openReview(page: Page, seed: boolean) {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/#/');
  await page.waitForFunction(() => !!(window as unknown as Hooked).__quarryTest?.review);
  if (seed) await page.evaluate(() => (window as unknown as Hooked).__quarryTest!.review!.seedFixture());
  await page.goto(REVIEW_URL);
  await expect(page.locator('[data-testid="candidate"][data-active]')).toBeVisible();
  if (await page.getByRole('dialog').count()) await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

const row = (page: Page, i: number) => page.locator(`[data-testid="candidate"][data-doc="${order[i].docId}"]`);

test("two tabs, one reviewer: B's later decision shows in A, and A's undo does not delete it", async ({ page: a, context }) => {
  await openReview(a, true);
  const b = await context.newPage();
  await openReview(b, false);
  await expect(row(a, 0)).toHaveAttribute('data-active', 'true');
  await expect(row(b, 0)).toHaveAttribute('data-active', 'true');

  await a.keyboard.press('a'); // tab A accepts candidate 0
  await expect(row(a, 0)).toHaveAttribute('data-label', 'accept');
  await expect(row(b, 0)).toHaveAttribute('data-label', 'accept'); // B sees it live
  await b.keyboard.press('x'); // tab B, still on candidate 0, rejects it
  await expect.poll(() => stored(a)).toEqual([[order[0].docId, 'reject']]);
  await expect(row(a, 0)).toHaveAttribute('data-label', 'reject'); // A shows the stored label, not its own stale one

  await a.keyboard.press('z'); // A's undo would restore "no decision" over B's reject
  await expect(a.getByTestId('review-conflict')).toContainText(`Not undone: ${order[0].docId} for query ${order[0].queryId} is now "reject"`);
  await expect(a.getByTestId('review-conflict')).toContainText('not the "accept" this action wrote; the stored decision was kept');
  expect(await stored(a)).toEqual([[order[0].docId, 'reject']]);
  await expect(row(a, 0)).toHaveAttribute('data-label', 'reject');
  await expect(row(b, 0)).toHaveAttribute('data-label', 'reject');
  // The refused entry left the history: a second z has nothing of A's left to undo.
  await a.keyboard.press('z');
  expect(await stored(a)).toEqual([[order[0].docId, 'reject']]);
  await b.close();
});
