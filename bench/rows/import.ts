// Bench row "import": the full Debian corpus + queries + qrels (train, dev) imported
// into IndexedDB by the app in headless Chromium, through the Data page's file input
// (Playwright setInputFiles), exactly as a user would. The time is the one the page
// reports (import worker: first byte read → commit).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DEBIAN, fmt, headlessChromium, previewServer } from '../lib/env';
import type { Row } from '../types';

export const name = 'import (browser)';

export async function run(): Promise<Row[]> {
  const url = await previewServer();
  const browser = await headlessChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/#/`);
    await page.getByLabel('New project').fill('Import bench');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('file-input').waitFor({ state: 'attached' });
    const files = ['corpus.jsonl', 'queries.jsonl', 'qrels/train.tsv', 'qrels/dev.tsv'].map((f) => join(DEBIAN, f));
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    const t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles(files);
    const status = page.getByTestId('import-status');
    await status.and(page.locator('[data-state="done"], [data-state="failed"], [data-state="cancelled"]')).waitFor({ timeout: 300_000 });
    const wall = (Date.now() - t0) / 1000;
    const state = await status.getAttribute('data-state');
    if (state !== 'done') throw new Error(`import ended ${state}: ${await status.textContent()}`);
    const ms = Number(await status.getAttribute('data-ms'));
    const docs = Number((await page.getByTestId('count-documents').textContent())!.replace(/,/g, ''));
    const queries = Number((await page.getByTestId('count-queries').textContent())!.replace(/,/g, ''));
    const qrels = Number((await page.getByTestId('count-qrels').textContent())!.replace(/,/g, ''));
    const rows = docs + queries + qrels;
    return [
      {
        row: 'import: Debian corpus+queries+qrels → IndexedDB (Chromium)',
        value: Math.round(ms / 100) / 10,
        unit: 's',
        detail: `${fmt(docs)} docs, ${fmt(queries)} queries, ${fmt(qrels)} qrels, ${fmt(bytes / 1e6, 1)} MB; ${fmt(wall, 1)} s from setInputFiles to done`,
      },
      { row: 'import: documents per second', value: Math.round(docs / (ms / 1000)), unit: 'docs/s', detail: `${fmt(rows / (ms / 1000))} rows/s overall` },
    ];
  } finally {
    await context.close();
  }
}
