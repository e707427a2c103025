// The app's data foundation in a real browser: demo import, persistence across reloads,
// line-numbered import reports with earlier data intact, imported text never run as HTML.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createProject, expectCounts, importFiles, jsonl } from './helpers';

const demo = JSON.parse(readFileSync(new URL('../public/demo/manifest.json', import.meta.url), 'utf8')) as {
  counts: { documents: number; queries: number; qrels: number };
};
const n = (x: number) => x.toLocaleString('en-US');

test('first run: open the demo in one click, see its counts, and they survive a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.locator('[data-page="data"]')).toBeVisible();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expectCounts(page, { documents: n(demo.counts.documents), queries: n(demo.counts.queries), qrels: n(demo.counts.qrels) });
  await expect(page.getByTestId('split-dev')).toContainText(n(demo.counts.queries));
  await expect(page.getByTestId('storage')).toBeVisible();

  await page.reload();
  await expectCounts(page, { documents: n(demo.counts.documents), queries: n(demo.counts.queries), qrels: n(demo.counts.qrels) });
  // The virtualised list renders only what is on screen, not 4,000 rows.
  const rows = await page.getByTestId('doc-list').locator('[role=option]').count();
  expect(rows).toBeGreaterThan(5);
  expect(rows).toBeLessThan(200);
  // A query shows its positives.
  await page.getByRole('tab', { name: 'Queries' }).click();
  await page.getByTestId('query-list').locator('[role=option]').first().click();
  await expect(page.getByTestId('query-detail').getByTestId('positive').first()).toBeVisible();

  // Opening the demo again goes to the same project instead of importing twice.
  await page.goto('/#/');
  await expect(page.getByTestId('project-list')).toContainText('Debian packages (demo)');
  await expect(page.getByTestId('project-list').locator('tbody tr')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('bad lines are reported with file and line, valid rows kept; a failed import leaves earlier data intact; titles render as text', async ({ page }) => {
  await createProject(page, 'Corrupt input');
  const xssTitle = '<img src=x onerror="window.__xss=1">';
  const good = [
    { _id: 'd1', title: 'Vim', text: 'Vi IMproved, a highly configurable text editor' },
    { _id: 'd2', title: xssTitle, text: 'a title that looks like HTML' },
    { _id: 'd3', title: 'nano', text: 'small, friendly text editor' },
  ];
  const corpus = jsonl(good.slice(0, 2)) + '{"_id": "broken", "title": \n' + jsonl([good[2], { _id: 'd1', title: 'dup', text: 'x' }]);
  const status = await importFiles(page, [
    { name: 'corpus.jsonl', buffer: Buffer.from(corpus) },
    { name: 'queries.jsonl', buffer: Buffer.from(jsonl([{ _id: 'q1', text: 'text editor' }])) },
    { name: 'dev.tsv', buffer: Buffer.from('query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td9\t1\n') },
  ]);
  expect(status).toBe('done');
  await expectCounts(page, { documents: '3', queries: '1', qrels: '1' });
  const issues = page.getByTestId('import-report').first().getByTestId('issues');
  await expect(issues.locator('tbody tr')).toHaveCount(3);
  await expect(issues.locator('tbody tr').nth(0)).toContainText('corpus.jsonl');
  await expect(issues.locator('tbody tr').nth(0).locator('td').nth(1)).toHaveText('3');
  await expect(issues.locator('tbody tr').nth(0)).toContainText('invalid JSON');
  await expect(issues.locator('tbody tr').nth(1).locator('td').nth(1)).toHaveText('5');
  await expect(issues.locator('tbody tr').nth(1)).toContainText('duplicate _id "d1"');
  await expect(issues.locator('tbody tr').nth(2)).toContainText('dev.tsv');
  await expect(issues.locator('tbody tr').nth(2)).toContainText('unknown document "d9"');

  // A file of the wrong kind is refused before anything starts.
  await page.getByTestId('file-input').setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
  await expect(page.getByRole('alert')).toContainText('notes.txt: unknown file type');
  // A training file with no usable row fails as a whole; the earlier data stays as it was.
  const failed = await importFiles(page, [{ name: 'pairs.jsonl', buffer: Buffer.from(jsonl([{ query: '', pos: ['x'] }, { query: 'q', pos: [] }])) }]);
  expect(failed).toBe('failed');
  await expect(page.getByTestId('import-result')).toContainText('nothing was changed');
  await expect(page.getByTestId('import-report').first()).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('import-report').first().getByTestId('issues').locator('tbody tr')).toHaveCount(2);
  await expectCounts(page, { documents: '3', queries: '1', qrels: '1' });

  // The HTML-looking title is shown as text and never executed.
  await page.getByLabel('Search documents').fill('looks like html');
  await expect(page.getByTestId('list-count')).toContainText('1 matching');
  const row = page.getByTestId('doc-list').locator('[role=option]').first();
  await expect(row).toContainText(xssTitle);
  await row.click();
  await expect(page.getByTestId('doc-detail').locator('.detail-title')).toHaveText(xssTitle);
  expect(await page.locator('[data-page="data"] img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // Reload: both reports are stored with the project, newest first.
  await page.reload();
  await expect(page.getByTestId('import-report')).toHaveCount(2);
  await expect(page.getByTestId('import-report').nth(0)).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('import-report').nth(1)).toContainText('corpus.jsonl');
});

test('a pairs CSV asks for its columns, imports the pairs, and keeps its negatives as a run to review', async ({ page }) => {
  const projectId = await createProject(page, 'Pairs');
  const csv = 'question,answer,negative\n"What edits text?","vim, a text editor",gimp\nWhat paints?,gimp,"vim, a text editor"\n';
  await page.getByTestId('file-input').setInputFiles([{ name: 'pairs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
  const mapping = page.getByTestId('column-mapping');
  await expect(mapping).toBeVisible();
  // Detected from the header; the user can change them.
  await expect(mapping.getByLabel('Query column')).toHaveValue('question');
  await expect(mapping.getByLabel('Positive column')).toHaveValue('answer');
  await mapping.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'done');
  await expectCounts(page, { documents: '2', queries: '2', qrels: '2' });
  await expect(page.getByTestId('split-train')).toContainText('2');
  // The negatives are candidates of an "imported negatives" run.
  const runs = await page.evaluate(async (pid) => {
    const open = indexedDB.open('quarry');
    const db: IDBDatabase = await new Promise((res) => (open.onsuccess = () => res(open.result)));
    const all: { name: string; projectId: string }[] = await new Promise((res) => {
      const r = db.transaction('runs').objectStore('runs').getAll();
      r.onsuccess = () => res(r.result);
    });
    return all.filter((r) => r.projectId === pid).map((r) => r.name);
  }, projectId);
  expect(runs).toEqual(['imported negatives']);
});

test('cancelling an import midway rolls back what it had stored; earlier data stays', async ({ page }) => {
  await createProject(page, 'Cancel');
  expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(jsonl([{ _id: 'keep', title: 'Kept', text: 'stored before' }])) }])).toBe('done');
  await expectCounts(page, { documents: '1' });
  const big = jsonl(Array.from({ length: 40_000 }, (_, i) => ({ _id: `d${i}`, title: `pkg-${i}`, text: 'lorem ipsum '.repeat(30) })));
  await page.getByTestId('import-status').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByTestId('file-input').setInputFiles([{ name: 'corpus.jsonl', mimeType: 'application/octet-stream', buffer: Buffer.from(big) }]);
  // Wait until the first chunk is in IndexedDB, then cancel.
  await expect(page.getByTestId('import-status')).toContainText(/[1-9][\d,]* rows/, { timeout: 60_000 });
  await page.getByTestId('cancel-import').click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'cancelled', { timeout: 60_000 });
  await expect(page.getByTestId('import-result')).toContainText('nothing was changed');
  await expectCounts(page, { documents: '1' });
  await page.reload();
  await expectCounts(page, { documents: '1' });
  await expect(page.getByTestId('import-report').first()).toHaveAttribute('data-status', 'cancelled');
});

test('projects: rename in place, delete only after confirming, other projects untouched', async ({ page }) => {
  await createProject(page, 'Keep me');
  await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(jsonl([{ _id: 'a', title: 'A', text: 'kept' }])) }]);
  await createProject(page, 'Scratch');
  await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(jsonl([{ _id: 'b', title: 'B', text: 'gone' }])) }]);
  await page.goto('/#/');
  const list = page.getByTestId('project-list');
  const row = (name: string) => list.locator('tbody tr', { hasText: name });
  await row('Scratch').getByRole('button', { name: 'Rename' }).click();
  await list.getByLabel('Project name').fill('Scratch v2');
  await list.getByLabel('Project name').press('Enter');
  await expect(row('Scratch v2')).toBeVisible();
  await row('Scratch v2').getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete project?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(row('Scratch v2')).toBeVisible();
  await row('Scratch v2').getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(list.locator('tbody tr')).toHaveCount(1);
  await expect(row('Keep me')).toContainText('1');
  await page.reload();
  await expect(list.locator('tbody tr')).toHaveCount(1);
  await row('Keep me').getByRole('button', { name: 'Open' }).click();
  await expectCounts(page, { documents: '1' });
});
