// Shared steps for e2e tests: create a project, import files through the Data page.
import { expect, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';

export interface UploadFile {
  name: string;
  mimeType?: string;
  buffer: Buffer;
}

export const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Creates a project from the project list and lands on its Data page. Returns its id. */
export async function createProject(page: Page, name: string): Promise<string> {
  await page.goto('/#/');
  await page.getByLabel('New project').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('[data-page="data"]')).toBeVisible();
  await expect(page.getByTestId('project-name')).toHaveText(name);
  const m = /#\/p\/([^/]+)\//.exec(page.url());
  if (!m) throw new Error(`not on a project page: ${page.url()}`);
  return decodeURIComponent(m[1]);
}

/** Imports files through the Data page's file input and waits until the import ends. */
export async function importFiles(page: Page, files: UploadFile[]): Promise<string> {
  // Clear the previous import's status line so we wait for this one.
  const dismiss = page.getByTestId('import-status').getByRole('button', { name: 'Dismiss' });
  if (await dismiss.isVisible()) await dismiss.click();
  await page.getByTestId('file-input').setInputFiles(files.map((f) => ({ mimeType: 'application/octet-stream', ...f })));
  return waitForImport(page);
}

/** Waits for the running import to end; returns its status (done, failed, cancelled). */
export async function waitForImport(page: Page, timeout = 120_000): Promise<string> {
  const status = page.getByTestId('import-status');
  await expect(status).toHaveAttribute('data-state', /^(done|failed|cancelled)$/, { timeout });
  return (await status.getAttribute('data-state')) ?? '';
}

export async function expectCounts(page: Page, counts: { documents?: string; queries?: string; qrels?: string }): Promise<void> {
  if (counts.documents) await expect(page.getByTestId('count-documents')).toHaveText(counts.documents);
  if (counts.queries) await expect(page.getByTestId('count-queries')).toHaveText(counts.queries);
  if (counts.qrels) await expect(page.getByTestId('count-qrels')).toHaveText(counts.qrels);
}

/** Every row of an object store of the app's `quarry` IndexedDB database. */
export async function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (store) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('quarry');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(store, 'readonly').objectStore(store).getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result as T[]);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  );
}

export interface EvalJson {
  split: string;
  queries: number;
  members: Record<string, Record<string, number>>;
  ensemble: Record<string, number>;
}

export function quarryEval(args: string[]): Promise<EvalJson> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['bin/quarry.mjs', 'eval', ...args, '--json'], { maxBuffer: 1 << 24, timeout: 540_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`quarry eval failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as EvalJson);
    });
  });
}
