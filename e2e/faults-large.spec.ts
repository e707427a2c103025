// A 20 MB line: one document whose text alone is 20 MB, between ordinary lines. It is data like
// any other: imported whole (not cut, not skipped), counted, findable, and the page stays usable.
import { expect, test } from '@playwright/test';
import { createProject, expectCounts, importFiles, jsonl, readCorpusRows } from './helpers';

test.use({ serviceWorkers: 'block' });

test('a 20 MB line imports whole, is counted and stored intact, and the Data page stays responsive', async ({ page }) => {
  const big = 'x'.repeat(20 * 1024 * 1024 - 64) + ' needle-at-the-end';
  const corpus = jsonl([
    { _id: 'small-1', title: 'a', text: 'first small document' },
    { _id: 'huge', title: 'huge', text: big },
    { _id: 'small-2', title: 'b', text: 'second small document' },
  ]);
  expect(Buffer.byteLength(corpus)).toBeGreaterThan(20 * 1024 * 1024);
  const projectId = await createProject(page, 'Large line');
  const state = await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(corpus) }]);
  expect(state).toBe('done');
  await expectCounts(page, { documents: '3' });
  await expect(page.getByTestId('import-status')).not.toContainText(/bad line|skipped/i);
  const docs = await readCorpusRows<{ projectId: string; id: string; text: string }>(page, 'documents');
  const huge = docs.find((d) => d.projectId === projectId && d.id === 'huge');
  expect(huge?.text.length).toBe(big.length);
  expect(huge?.text.endsWith('needle-at-the-end')).toBe(true);
  // the page stays usable: the list shows the huge document, a search finds a small one, and
  // opening the huge one shows it (its start, and how long it is) without freezing the tab
  await expect(page.getByTestId('doc-list')).toContainText('huge');
  await page.getByLabel('Search documents').fill('second');
  await expect(page.getByTestId('list-count')).toContainText('1 matching');
  await page.getByLabel('Search documents').fill('');
  await page.getByTestId('doc-list').getByText('huge', { exact: true }).first().click();
  const detail = page.getByTestId('doc-detail');
  await expect(detail).toContainText('xxxxxxxx', { timeout: 15_000 });
  await expect(detail).toContainText(/20(\.0)? MB|20,971,\d{3} characters/);
  const rendered = await page.evaluate(() => document.body.textContent?.length ?? 0);
  expect(rendered).toBeLessThan(2_000_000);
});
