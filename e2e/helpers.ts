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

/** Creates a project, opens its Models page and the Add model form with a local folder as source. */
export async function openLocalModelForm(page: Page, projectName: string) {
  const projectId = await createProject(page, projectName);
  await page.goto(`/#/p/${encodeURIComponent(projectId)}/models`);
  await expect(page.locator('tr[data-model="pkgs-rerank"]')).toBeVisible();
  await page.getByRole('button', { name: 'Add model' }).click();
  const form = page.getByTestId('add-model');
  await form.getByLabel('Source').selectOption('local');
  return { projectId, form };
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

/**
 * Waits until the service worker is installed (everything precached), activated and
 * controlling the page (clients.claim); returns the state, the names of Quarry's caches
 * (Workbox's precache, and ORT's WebGPU build where it was cached) and their paths.
 */
export async function waitForPrecache(page: Page): Promise<{ active: string | undefined; names: string[]; keys: string[] }> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const names = (await caches.keys()).filter((n) => n.startsWith('quarry-'));
    const keys: string[] = [];
    for (const name of names) for (const r of await (await caches.open(name)).keys()) keys.push(new URL(r.url).pathname);
    return { active: reg.active?.state, names, keys };
  });
}

/**
 * Paths of this page's same-origin responses that did not come from the service worker (the
 * array fills as they arrive). blob: URLs (ONNX Runtime's factory, the zip download) report
 * the page origin but are not network.
 */
export function sameOriginNetwork(page: Page): string[] {
  const fromNetwork: string[] = [];
  const origin = new URL(page.url()).origin;
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'blob:' && u.origin === origin && !r.fromServiceWorker()) fromNetwork.push(u.pathname);
  });
  return fromNetwork;
}

type ExportHooked = { __quarryTest?: { export?: { seed(d: unknown): Promise<void> } } };

/** Waits for the page's export test hook (installed under automation) and seeds a run with it. */
export async function seedExport(page: Page, data: unknown): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as ExportHooked).__quarryTest?.export);
  await page.evaluate((d) => (window as unknown as ExportHooked).__quarryTest!.export!.seed(d), data);
}

type CorpusKind = 'documents' | 'queries' | 'qrels';

/**
 * Rows of one kind as stored on disk (schema v5: blocks of rows in `corpusBlocks`), of
 * every import, committed or not: what a fault test checks was kept or removed.
 */
export async function readCorpusRows<T>(page: Page, kind: CorpusKind): Promise<T[]> {
  const blocks = await readStore<Record<string, unknown[]> & { projectId: string; kind: string }>(page, 'corpusBlocks');
  const rows: Record<string, unknown>[] = [];
  for (const b of blocks.filter((x) => x.kind === kind)) {
    b.ids.forEach((id, i) => {
      if (kind === 'documents') rows.push({ projectId: b.projectId, id, title: b.titles[i], text: b.texts[i] });
      else if (kind === 'queries') rows.push({ projectId: b.projectId, id, text: b.texts[i] });
      else rows.push({ projectId: b.projectId, split: b.splits[i], queryId: id, docId: b.docIds[i], score: b.scores[i] });
    });
  }
  return rows as T[];
}

/** How many rows of one kind are stored on disk (committed or not), from the block index (no texts read). */
export async function countCorpusRows(page: Page, kind: CorpusKind): Promise<number> {
  const index = await readStore<{ kind: string; keys: string[] }>(page, 'corpusIndex');
  return index.filter((r) => r.kind === kind).reduce((n, r) => n + r.keys.length, 0);
}
