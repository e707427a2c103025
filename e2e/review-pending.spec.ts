// Review during mining: candidates stored before the cross-encoder scored them. The page says
// scores and flags are still coming, and shows them when the next batch lands, without a reload.
import { expect, test, type Page } from '@playwright/test';
import { makeFixture } from '../src/ui/pages/Review/fixture';

const f = makeFixture({ projectId: 'pending-e2e', runId: 'pending-e2e-run', queries: 6, candidatesPerQuery: 4 });
const nq = f.queries.length;
const first = [...f.candidates].sort((a, b) => (a.queryId < b.queryId ? -1 : a.queryId > b.queryId ? 1 : a.rank - b.rank))[0];
const mining = (rerankDone: number) => ({
  ...f.run,
  status: 'running',
  config: { ...f.run.config, reranker: 'pkgs-rerank' },
  stages: { select: { done: nq, total: nq, status: 'done' }, rerank: { done: rerankDone, total: nq, status: 'running' } },
});
const unscored = f.candidates.map((c) => ({ ...c, ce: undefined, cePositive: undefined, flags: [] }));

type Hooked = { __quarryTest: { export: { seed(d: unknown): Promise<void> } } };
const seed = (page: Page, data: unknown) => page.evaluate((d) => (window as unknown as Hooked).__quarryTest.export.seed(d), data);

test('review while the cross-encoder runs: scores and flags are announced as coming, then appear', async ({ page }) => {
  await page.goto('/#/');
  await page.waitForFunction(() => !!(window as unknown as Partial<Hooked>).__quarryTest?.export);
  await seed(page, { ...f, run: mining(0), candidates: unscored, decisions: [] });
  await page.goto(`/#/p/${f.project.id}/review/${f.run.id}`);
  await page.keyboard.press('Escape'); // the guidelines open by themselves the first time
  const note = page.getByTestId('review-scores-pending');
  await expect(note).toContainText('scores and suspected-false-negative flags are still coming');
  await expect(note).toContainText(`0 queries of ${nq} scored so far`);
  await expect(note).toContainText('This query is not scored yet');
  const firstRow = page.locator(`[data-testid="candidate"][data-doc="${first.docId}"]`);
  await expect(firstRow.locator('.rv-flag-suspected-false-negative')).toHaveCount(0);

  // The first batch lands: the first query's candidates get scores, one a flag.
  const scored = unscored.map((c) => (c.queryId === first.queryId ? { ...c, ce: 2.5, cePositive: 3, flags: c.docId === first.docId ? ['suspected-false-negative'] : [] } : c));
  await seed(page, { ...f, run: mining(1), candidates: scored, decisions: [] });
  await expect(firstRow.locator('.rv-flag-suspected-false-negative')).toBeVisible();
  await expect(note).toContainText(`1 query of ${nq} scored so far`);
  await expect(note).not.toContainText('This query is not scored yet');

  // Mining ends: the note goes.
  await seed(page, { ...f, run: { ...mining(nq), status: 'done', stages: { rerank: { done: nq, total: nq, status: 'done' } } }, candidates: scored, decisions: [] });
  await expect(note).toHaveCount(0);
});
