// Review workbench end to end: keyboard-only review of 20 candidates with a promotion,
// an undo, a reload half-way and a second tab; screenshots of the main views.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { makeFixture } from '../src/ui/pages/Review/fixture';

const PROJECT = 'review-fixture';
const RUN = 'review-fixture-run';
const URL = `/#/p/${PROJECT}/review/${RUN}`;
// docs/screenshots is written only when asked (`npm run screenshots`); otherwise the test's output folder.
const SHOTS = process.env.QUARRY_SCREENSHOTS ? 'docs/screenshots' : 'test-results/review-shots';

// The queue in 'query' order: queries by id, candidates by fused rank.
const fixture = makeFixture();
const order = [...fixture.candidates].sort((a, b) => (a.queryId < b.queryId ? -1 : a.queryId > b.queryId ? 1 : a.rank - b.rank));

type Hooked = { __quarryTest?: { review?: { seedFixture(): Promise<unknown>; decisions(p: string): Promise<unknown[]> } } };
type Decision = { docId: string; label: string; reviewer: string };

async function decisions(page: Page): Promise<Decision[]> {
  return (await page.evaluate((p) => (window as unknown as Hooked).__quarryTest!.review!.decisions(p), PROJECT)) as Decision[];
}

async function activeDoc(page: Page): Promise<string | null> {
  return page.locator('[data-testid="candidate"][data-active]').getAttribute('data-doc');
}

async function expectActive(page: Page, i: number) {
  await expect(page.locator('[data-testid="candidate"][data-active]')).toHaveAttribute('data-doc', order[i].docId);
}

async function openSeeded(page: Page) {
  // Seed from the project list (the hook is installed with the app), then open Review.
  await page.goto('/#/');
  await page.waitForFunction(() => !!(window as unknown as Hooked).__quarryTest?.review);
  await page.evaluate(() => (window as unknown as Hooked).__quarryTest!.review!.seedFixture());
  await page.goto(URL);
}

test('review by keyboard: decisions persist, undo works, reload resumes, a second tab agrees', async ({ page, context }) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1400, height: 900 });
  await openSeeded(page);

  // First open: the guidelines show by themselves; Escape closes them.
  await expect(page.getByRole('dialog', { name: 'Review guidelines' })).toBeVisible();
  await expect(page.getByRole('dialog')).toContainText('hard negative');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectActive(page, 0);
  await expect(page.getByTestId('query-text')).toHaveText('compression library for zlib 0');

  // 10 decisions; the first five typed as a burst without waiting: none may be lost or reordered.
  const keys = ['a', 'a', 'x', 'a', 'a', 'a', 'x', 'a', 'a', 'a'];
  for (const k of keys.slice(0, 5)) await page.keyboard.press(k);
  await expectActive(page, 5);
  for (let i = 5; i < 10; i++) {
    await page.keyboard.press(keys[i]);
    await expectActive(page, i + 1);
  }
  await expect(page.getByTestId('count-reviewed')).toHaveText('10');

  // Reload half-way: every decision is there and the queue resumes at candidate 11.
  await page.reload();
  await expectActive(page, 10);
  await expect(page.getByRole('dialog')).toHaveCount(0); // guidelines only the first time
  let ds = await decisions(page);
  expect(ds.map((d) => [d.docId, d.label]).sort()).toEqual(order.slice(0, 10).map((c, i) => [c.docId, keys[i] === 'a' ? 'accept' : 'reject']).sort());
  await expect(page.getByTestId('count-reviewed')).toHaveText('10');
  await expect(page.getByTestId('count-accept')).toHaveText('8');
  await expect(page.getByTestId('count-reject')).toHaveText('2');

  // Ten more, one of them promoted to positive (candidate 12 = q0001's second: "c1-data").
  const more = ['a', 'p', 'a', 'x', 'a', 'a', 'a', 'a', 'x', 'a'];
  for (let i = 0; i < more.length; i++) {
    await page.keyboard.press(more[i] === 'p' ? 'p' : more[i]);
    await expectActive(page, 11 + i);
  }
  await expect(page.getByTestId('count-reviewed')).toHaveText('20');
  await expect(page.getByTestId('count-positive')).toHaveText('1');
  await page.screenshot({ path: test.info().outputPath('review.png') });

  // Undo the last decision: it is gone from the db and the cursor is back on it.
  await page.keyboard.press('z');
  await expectActive(page, 19);
  await expect(page.getByTestId('count-reviewed')).toHaveText('19');
  ds = await decisions(page);
  expect(ds).toHaveLength(19);
  expect(ds.find((d) => d.docId === order[19].docId)).toBeUndefined();
  expect(ds.find((d) => d.docId === order[11].docId)?.label).toBe('positive');

  // The promoted document is now a positive of its query.
  for (let i = 0; i < 8; i++) await page.keyboard.press('k');
  await expectActive(page, 11);
  await expect(page.locator('[data-testid="positive"]')).toHaveCount(2);
  await expect(page.locator(`[data-testid="positive"][data-doc="${order[11].docId}"]`)).toContainText('promoted in review');

  // A second tab sees the same decisions, and a decision made in the first shows up there live.
  const page2 = await context.newPage();
  await page2.setViewportSize({ width: 1400, height: 900 });
  await page2.goto(URL);
  await expect(page2.getByTestId('count-reviewed')).toHaveText('19');
  await expect(page2.getByTestId('count-positive')).toHaveText('1');
  await page.keyboard.press('Shift+Z'); // redo the undone decision
  await expect(page.getByTestId('count-reviewed')).toHaveText('20');
  await expect(page2.getByTestId('count-reviewed')).toHaveText('20');
  await page2.close();

  // Help overlay: generated from the action registry.
  await page.keyboard.press('?');
  const help = page.getByTestId('help');
  await expect(help).toContainText('Accept as negative');
  await expect(help).toContainText('Promote to positive');
  await page.screenshot({ path: test.info().outputPath('review-help.png') });
  await page.keyboard.press('Escape');

  // A second reviewer in overlap mode disagrees on two pairs: the conflict view lists them.
  await page.getByLabel('Overlap').check();
  const name = page.getByLabel('Reviewer name');
  await name.fill('bob');
  await name.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Review guidelines' })).toBeVisible(); // bob's first open
  await page.keyboard.press('Escape');
  await expectActive(page, 0);
  await page.keyboard.press('x'); // reviewer 1 accepted it
  await expectActive(page, 1);
  await page.keyboard.press('a'); // agrees
  await expectActive(page, 2);
  await page.keyboard.press('a'); // reviewer 1 rejected it
  await expectActive(page, 3);
  await page.keyboard.press('c');
  const conflicts = page.getByTestId('conflicts');
  await expect(conflicts.locator('tbody tr')).toHaveCount(2);
  // 3 pairs both reviewed, 1 agreement: p_o = 1/3; bob (reject, accept, accept) vs reviewer (accept, accept, reject):
  // p_e = (2/3)(2/3) + (1/3)(1/3) = 5/9, κ = (1/3 − 5/9)/(1 − 5/9) = −0.5.
  await expect(page.getByTestId('kappa')).toContainText('-0.500');
  await page.screenshot({ path: `${SHOTS}/review-conflicts.png` });
  await conflicts.locator('tbody tr').first().getByRole('button', { name: 'reject' }).click();
  await expect(conflicts.locator('tbody tr')).toHaveCount(1);
});

test('per-query bulk actions, undo of a batch, filters and guideline editing', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await openSeeded(page);
  await expect(page.getByRole('dialog', { name: 'Review guidelines' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectActive(page, 0);

  // q0000 has three flagged candidates (near-duplicate, suspected false negative, random).
  const flagged = order.filter((c) => c.queryId === 'q0000' && c.flags.length > 0).map((c) => c.docId);
  expect(flagged).toHaveLength(3);
  await page.keyboard.press('Shift+X');
  await expect(page.getByTestId('count-reject')).toHaveText('3');
  await expect(page.locator('[data-testid="candidate"][data-label="reject"]')).toHaveCount(3);
  await page.keyboard.press('Shift+A'); // the 5 left in this query
  await expect(page.getByTestId('count-accept')).toHaveText('5');
  await expectActive(page, 8); // first candidate of the next query
  await expect(page.getByTestId('query-text')).toHaveText('compiler gnu for c 1');

  // One undo reverts the whole batch.
  await page.keyboard.press('z');
  await expect(page.getByTestId('count-accept')).toHaveText('0');
  await expect(page.getByTestId('count-reviewed')).toHaveText('3');

  // Filters: status "to do" hides the three rejected; search narrows to matching queries/documents.
  await page.getByLabel('Status').selectOption('todo');
  await expect(page.getByTestId('queue-size')).toContainText('93 of 96');
  await page.getByLabel('Search').fill('truetype');
  await expect(page.getByTestId('queue-size')).not.toContainText('93 of 96');
  const n = Number((await page.getByTestId('queue-size').textContent())!.split(' ')[0]);
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(93);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('queue-size')).toContainText('96 of 96');

  // Guidelines: edit, save, and the Markdown renders as elements, never as HTML.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('g');
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Guidelines (Markdown)').fill('## New rule\n\nReject **siblings** <img src=x onerror="window.__pwned=1">');
  await page.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Review guidelines' });
  await expect(dialog.locator('h3')).toHaveText('New rule');
  await expect(dialog.locator('strong')).toHaveText('siblings');
  await expect(dialog).toContainText('<img src=x');
  expect(await dialog.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a later round: earlier decisions carry over, only-new filter and run comparison', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await openSeeded(page);
  await expect(page.getByRole('dialog', { name: 'Review guidelines' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Round 1: reject the first three candidates of q0000.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('x');
    await expectActive(page, i + 1);
  }
  // Round 2: same project, a new run with partly different candidates.
  const round2 = makeFixture({ variant: 1, runId: 'review-fixture-run-2' });
  await page.evaluate(() =>
    (window as unknown as { __quarryTest: { review: { seedFixture(o: unknown): Promise<unknown> } } }).__quarryTest.review.seedFixture({ variant: 1, runId: 'review-fixture-run-2' }),
  );
  await page.goto(`/#/p/${PROJECT}/review/review-fixture-run-2`);
  await expect(page.getByTestId('count-reviewed')).toBeVisible();

  // Expected figures, computed here from the two fixtures.
  const key = (c: { queryId: string; docId: string }) => `${c.queryId}/${c.docId}`;
  const before = new Set(fixture.candidates.map(key));
  const fresh = round2.candidates.filter((c) => !before.has(key(c)));
  const rejected = new Set(order.slice(0, 3).map(key));
  const stillHigh = round2.candidates.filter((c) => rejected.has(key(c)) && c.rank <= 10).length;
  expect(fresh.length).toBeGreaterThan(0);
  expect(stillHigh).toBeGreaterThan(0); // the siblings are proposed again

  // Earlier decisions show on the new run.
  await expect(page.getByTestId('count-reject')).toHaveText(String(stillHigh));
  await expect(page.locator(`[data-testid="candidate"][data-doc="${order[0].docId}"]`)).toHaveAttribute('data-label', 'reject');

  await page.keyboard.press('r');
  const cmp = page.getByTestId('compare');
  await expect(cmp).toContainText(`New (not in the earlier run)${fresh.length}`);
  await expect(cmp).toContainText(`Earlier rejections still ranked ≤ 10${stillHigh}`);
  await page.keyboard.press('Escape');

  await page.getByLabel('Only new candidates').check();
  await expect(page.getByTestId('queue-size')).toContainText(`${fresh.length} of ${round2.candidates.length}`);
});

test('the seeding hooks exist only under automation: a user tab (navigator.webdriver false) has none', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }));
  await page.goto('/#/');
  await expect(page.getByRole('button', { name: 'Open demo' }).first()).toBeVisible();
  expect(await page.evaluate(() => ({ webdriver: navigator.webdriver, hooks: typeof (window as unknown as Hooked).__quarryTest }))).toEqual({
    webdriver: false,
    hooks: 'undefined',
  });
});
