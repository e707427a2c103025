// Imports under faults, in real Chromium: storage full (CDP quota override), the browser
// closed mid-import and reopened at once, a second tab during an import and a cancel, a
// Cancel pressed as the import ends, a truncated .gz, and an upgrade from the previous schema
// with real rows. Each test checks what is stored afterwards (raw IndexedDB) and what the
// page says.
import { chromium, expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LATEST_SCHEMA_VERSION, SCHEMA_V1, SCHEMA_V2 } from '../src/db/migrations';
import { countCorpusRows, createProject, expectCounts, importFiles, jsonl, readCorpusRows, readStore, waitForImport } from './helpers';

// The service worker precaches the bundled models (tens of MB) in the background: that
// would make storage usage, and so the quota tests, depend on timing.
test.use({ serviceWorkers: 'block' });

/** A corpus of `n` documents with text that does not compress away (so it really takes space). */
function corpus(n: number, prefix = 'd', words = 40): Buffer {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const word = () => rnd().toString(36);
  const rows = Array.from({ length: n }, (_, i) => ({
    _id: `${prefix}${i}`,
    title: `pkg-${i}`,
    text: Array.from({ length: words }, word).join(' '),
  }));
  return Buffer.from(jsonl(rows));
}

async function countStore(page: Page, store: string): Promise<number> {
  return page.evaluate(
    (store) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('quarry');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(store, 'readonly').objectStore(store).count();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  );
}

interface ImportRow {
  id: string;
  status: string;
  files: string[];
}

/**
 * Starts an import without waiting for it. `paceMs` slows it down (a pause before each
 * 8,000-row chunk): a 60k-row import takes only seconds now, too short for a test that
 * acts while it runs.
 */
async function startImport(page: Page, name: string, buffer: Buffer, paceMs?: number): Promise<void> {
  const dismiss = page.getByTestId('import-status').getByRole('button', { name: 'Dismiss' });
  if (await dismiss.isVisible()) await dismiss.click();
  await setImportPace(page, paceMs);
  await page.getByTestId('file-input').setInputFiles([{ name, mimeType: 'application/octet-stream', buffer }]);
}

/** Sets (or clears) the pace the next import starts with (read at its start). */
async function setImportPace(page: Page, paceMs: number | undefined): Promise<void> {
  await page.evaluate((pace) => {
    const w = window as unknown as { __quarryTest?: Record<string, unknown> };
    w.__quarryTest = { ...(w.__quarryTest ?? {}), importPaceMs: pace };
  }, paceMs);
}

/** Waits until the import has stored at least one chunk (8,000 rows). */
async function waitForStoredRows(page: Page): Promise<void> {
  await expect(page.getByTestId('import-status')).toContainText(/[1-9][\d,]{4,} rows/, { timeout: 90_000 });
}

/**
 * Holds the next import of the page once its worker has read `afterBytes` of the file, until
 * `release` is called: the worker's script is served with a prelude that makes its next
 * stream read first wait for a request the test answers then (app code unchanged). So the
 * import can neither go on nor end meanwhile, whatever the machine's load; and it waits
 * between reads, not inside an IndexedDB transaction (the write in flight finishes), so other
 * tabs read as usual. `held` resolves once the import waits. Call before the import starts.
 */
async function holdNextImport(page: Page, afterBytes: number): Promise<{ held: Promise<void>; release: () => Promise<void> }> {
  const holdPath = '/__e2e-hold-import';
  const script = '**/assets/import.worker-*.js';
  let reached!: () => void;
  const held = new Promise<void>((resolve) => (reached = resolve));
  let answer: (() => Promise<void>) | undefined;
  await page.route(`**${holdPath}`, async (route) => {
    answer = () => route.fulfill({ status: 204 });
    reached();
  });
  const prelude = (holdPath: string, afterBytes: number) => {
    const proto = ReadableStreamDefaultReader.prototype;
    const read = proto.read;
    let bytes = 0;
    proto.read = async function (this: ReadableStreamDefaultReader<Uint8Array>) {
      if (bytes >= afterBytes) {
        proto.read = read;
        await fetch(holdPath);
        return read.call(this);
      }
      const r = await read.call(this);
      bytes += r.value?.byteLength ?? 0;
      return r;
    } as typeof read;
  };
  await page.route(script, async (route) => {
    await page.unroute(script);
    const response = await route.fetch();
    const body = `(${prelude.toString()})(${JSON.stringify(holdPath)}, ${afterBytes});\n${await response.text()}`;
    await route.fulfill({ response, body });
  });
  return {
    held,
    release: async () => {
      await answer!();
      await page.unroute(`**${holdPath}`);
    },
  };
}

test('storage full during an import: it fails, nothing of it is kept or counted, the message says what is stored, and the next import works', async ({ page }) => {
  await page.goto('/#/');
  // Lower the quota before the app writes anything: Chromium caches the space left for a
  // while, so an override made later may not apply to the next writes yet.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 8 * 1024 * 1024 });
  await createProject(page, 'Quota');
  expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(jsonl([{ _id: 'keep', title: 'Kept', text: 'stored before' }])) }])).toBe('done');
  await expectCounts(page, { documents: '1' });

  // About 17 MB of text: it cannot fit.
  await startImport(page, 'corpus.jsonl', corpus(60_000));
  expect(await waitForImport(page)).toBe('failed');
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('QuotaExceededError');
  // The rollback only deletes, so it finishes even on a full disk; the page says so and
  // what the project holds.
  await expect(result).toHaveAttribute('data-rollback', 'done');
  await expect(result).toContainText('nothing was changed');
  await expect(result).toContainText('The project holds 1 document, 0 queries and 0 qrels, as before.');
  await expectCounts(page, { documents: '1' });
  expect(await countCorpusRows(page, 'documents')).toBe(1);
  const imports = await readStore<ImportRow>(page, 'imports');
  expect(imports.map((i) => i.status).sort()).toEqual(['committed', 'rolled-back']);
  expect(await countStore(page, 'importStaged')).toBe(0);

  // Later imports are not refused (with room again).
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: corpus(500, 'n') }])).toBe('done');
  await expectCounts(page, { documents: '501' });
  await page.reload();
  await expectCounts(page, { documents: '501' });
});

test('browser closed mid-import and reopened at once: the half import is never shown, is rolled back at start, and a new import is accepted', async ({ baseURL }, testInfo) => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'quarry-e2e-'));
  const launch = () =>
    chromium.launchPersistentContext(userDataDir, {
      baseURL,
      headless: true,
      executablePath: testInfo.project.use.launchOptions?.executablePath,
      args: testInfo.project.use.launchOptions?.args,
      serviceWorkers: 'block',
    });
  try {
    let ctx = await launch();
    let page = ctx.pages()[0] ?? (await ctx.newPage());
    const projectId = await createProject(page, 'Crash');
    expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(jsonl([{ _id: 'keep', title: 'Kept', text: 'stored before' }])) }])).toBe('done');
    await startImport(page, 'corpus.jsonl', corpus(60_000), 3000);
    await waitForStoredRows(page);
    await ctx.close(); // the whole browser goes, worker and all, mid-import

    ctx = await launch();
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`/#/p/${encodeURIComponent(projectId)}/data`);
    // Right away (no 60 s window): only what was committed is shown.
    await expectCounts(page, { documents: '1', queries: '0', qrels: '0' });
    // Recovery ran at start: the import is rolled back, its rows are gone, and it says so.
    await expect(page.getByTestId('import-report').first()).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('import-report').first()).toContainText('interrupted');
    await expect.poll(async () => (await readStore<ImportRow>(page, 'imports')).map((i) => i.status).sort()).toEqual(['committed', 'rolled-back']);
    expect(await countCorpusRows(page, 'documents')).toBe(1);
    // Searching for a title of the half import finds nothing.
    await page.getByPlaceholder(/Search documents/).fill('pkg-1');
    await expect(page.getByTestId('list-count')).toHaveText('0 matching of 1');
    // A new import is accepted at once.
    expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: corpus(300, 'n') }])).toBe('done');
    await expectCounts(page, { documents: '301' });
    await ctx.close();
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

test('a second tab during an import sees none of its rows, cannot start a second import, sees nothing after cancel, and sees the next commit without reload', async ({ page, context }) => {
  const projectId = await createProject(page, 'Two tabs');
  expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(jsonl([{ _id: 'keep', title: 'Kept', text: 'stored before' }])) }])).toBe('done');
  // The import waits after about 4 MB (its first 8,000-row chunk is stored): under load it
  // could otherwise end before Cancel is pressed.
  const hold = await holdNextImport(page, 4 << 20);
  await startImport(page, 'corpus.jsonl', corpus(60_000));
  await waitForStoredRows(page);
  await hold.held;
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'running');
  const storedRows = /([\d,]+) rows/.exec(await page.getByTestId('import-status').innerText())?.[1];

  const other = await context.newPage();
  await other.goto(`/#/p/${encodeURIComponent(projectId)}/data`);
  await expectCounts(other, { documents: '1' });
  await other.getByPlaceholder(/Search documents/).fill('pkg-');
  await expect(other.getByTestId('list-count')).toHaveText('0 matching of 1');
  await other.getByPlaceholder(/Search documents/).fill('');
  // The project's import lock is held by the first tab.
  await other.getByTestId('file-input').setInputFiles([{ name: 'corpus.jsonl', mimeType: 'application/octet-stream', buffer: corpus(10, 'x') }]);
  await expect(other.getByTestId('import-status')).toHaveAttribute('data-state', 'failed');
  await expect(other.getByTestId('import-result')).toContainText('Another import into this project is running');
  await expectCounts(other, { documents: '1' });

  await expect(page.getByTestId('import-status')).toContainText(`${storedRows} rows`); // still held
  await page.getByTestId('cancel-import').click();
  await expect(page.getByTestId('import-status')).toContainText('Cancelling…');
  await hold.release();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'cancelled', { timeout: 60_000 });
  await expect(page.getByTestId('import-result')).toContainText('nothing was changed');
  await expectCounts(page, { documents: '1' });
  await expectCounts(other, { documents: '1' });
  expect(await countCorpusRows(other, 'documents')).toBe(1);

  // A commit in the first tab shows in the second without a reload (shared data version).
  expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: corpus(200, 'n') }])).toBe('done');
  await expectCounts(other, { documents: '201' });
  await other.close();
});

test('Cancel pressed just as the import ends does not dismiss its result', async ({ page }) => {
  await createProject(page, 'Late cancel');
  const hold = await holdNextImport(page, 1 << 20);
  await startImport(page, 'corpus.jsonl', corpus(10_000));
  await hold.held;
  const status = page.getByTestId('import-status');
  await expect(status).toHaveAttribute('data-state', 'running');
  // The pointer goes down on Cancel while the import runs and comes up after it has ended:
  // the press began on Cancel, so it must not act as the Dismiss that took its place.
  const box = (await page.getByTestId('cancel-import').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await hold.release();
  await expect(status).toHaveAttribute('data-state', 'done');
  await page.mouse.up();
  await expect(page.getByTestId('import-result')).toContainText('Imported 10,000 documents');
  await expect(status).toHaveAttribute('data-state', 'done');
  await expectCounts(page, { documents: '10,000' });
});

test('a truncated .gz fails the import and keeps nothing of it; the truncation is not a skipped bad line', async ({ page }) => {
  await createProject(page, 'Truncated');
  expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: Buffer.from(jsonl([{ _id: 'keep', title: 'Kept', text: 'stored before' }])) }])).toBe('done');
  const gz = gzipSync(corpus(2000));
  const status = await importFiles(page, [{ name: 'corpus.jsonl.gz', buffer: gz.subarray(0, Math.floor(gz.length / 2)) }]);
  expect(status).toBe('failed');
  const result = page.getByTestId('import-result');
  await expect(result).toContainText(/corpus\.jsonl\.gz: could not read past line \d+, the file is incomplete or corrupt/);
  await expect(result).toContainText('nothing was changed');
  await expect(result).not.toContainText('bad line');
  await expectCounts(page, { documents: '1' });
  expect(await countCorpusRows(page, 'documents')).toBe(1);
  await expect(page.getByTestId('import-report').first()).toHaveAttribute('data-status', 'failed');
});

test('upgrade from an old schema (v2, through v5 blocks) with real rows: data intact, an import v2 left running is rolled back', async ({ page }) => {
  // A page of the app's origin that does not run the app, to write a v2 database first.
  await page.route('**/v2-seed.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>seed</title>' }));
  await page.goto('/v2-seed.html');
  await page.addScriptTag({ content: readFileSync(new URL('../node_modules/dexie/dist/dexie.min.js', import.meta.url), 'utf8') });
  await page.evaluate(
    async ({ v1, v2 }) => {
      const Dexie = (window as unknown as { Dexie: new (name: string) => any }).Dexie;
      const db = new Dexie('quarry');
      db.version(1).stores(v1);
      db.version(2).stores(v2);
      await db.open();
      await db.table('projects').add({ id: 'old', name: 'From v2', createdAt: 1, updatedAt: 1, guidelines: '' });
      const docs = Array.from({ length: 3000 }, (_, i) => ({ projectId: 'old', id: `d${i}`, title: `T${i}`, text: `text ${i}` }));
      docs[0].text = 'overwritten by the unfinished import';
      docs.push({ projectId: 'old', id: 'half', title: '', text: 'from the unfinished import' });
      await db.table('documents').bulkAdd(docs);
      await db.table('queries').add({ projectId: 'old', id: 'q1', text: 'query one' });
      await db.table('qrels').add({ projectId: 'old', split: 'dev', queryId: 'q1', docId: 'd1', score: 1, source: 'import' });
      await db.table('imports').bulkAdd([
        { id: 'imp-done', projectId: 'old', status: 'committed', startedAt: 1, updatedAt: 1, files: ['corpus.jsonl'], freshTables: [] },
        { id: 'imp-cut', projectId: 'old', status: 'running', startedAt: 2, updatedAt: 2, files: ['more.jsonl'], freshTables: [] },
      ]);
      await db.table('importUndo').add({
        importId: 'imp-cut',
        seq: 0,
        table: 'documents',
        added: [['old', 'half']],
        replaced: [{ projectId: 'old', id: 'd0', title: 'T0', text: 'text 0' }],
      });
      db.close();
    },
    { v1: SCHEMA_V1, v2: SCHEMA_V2 },
  );

  await page.goto('/#/p/old/data');
  await expectCounts(page, { documents: '3,000', queries: '1', qrels: '1' });
  expect(await countCorpusRows(page, 'documents')).toBe(3000);
  const stores = await page.evaluate(
    () =>
      new Promise<{ version: number; names: string[] }>((resolve) => {
        const open = indexedDB.open('quarry');
        open.onsuccess = () => {
          const db = open.result;
          resolve({ version: db.version, names: [...db.objectStoreNames] });
          db.close();
        };
      }),
  );
  expect(stores.version).toBe(LATEST_SCHEMA_VERSION * 10); // Dexie stores version N as N * 10
  expect(stores.names).toContain('importStaged');
  expect(stores.names).not.toContain('importUndo');
  const imports = await readStore<ImportRow>(page, 'imports');
  expect(Object.fromEntries(imports.map((i) => [i.id, i.status]))).toEqual({ 'imp-done': 'committed', 'imp-cut': 'rolled-back' });
  const d0 = (await readCorpusRows<{ id: string; text: string }>(page, 'documents')).find((d) => d.id === 'd0');
  expect(d0?.text).toBe('text 0');
  // The upgraded project takes new imports.
  expect(await importFiles(page, [{ name: 'corpus.jsonl', buffer: corpus(10, 'n') }])).toBe('done');
  await expectCounts(page, { documents: '3,010' });
});

test('a mining run left running by a closed tab resumes at app start on the Review page, not only on Mine', async ({ page }) => {
  const projectId = await createProject(page, 'Resume');
  const docs = Array.from({ length: 40 }, (_, i) => ({ _id: `d${i}`, title: `package ${i}`, text: `tool number ${i} edits ${i % 2 ? 'text files' : 'images'}` }));
  const queries = Array.from({ length: 5 }, (_, i) => ({ _id: `q${i}`, text: `tool number ${i}` }));
  const qrels = 'query-id\tcorpus-id\tscore\n' + queries.map((q, i) => `${q._id}\td${i}\t1`).join('\n') + '\n';
  expect(
    await importFiles(page, [
      { name: 'corpus.jsonl', buffer: Buffer.from(jsonl(docs)) },
      { name: 'queries.jsonl', buffer: Buffer.from(jsonl(queries)) },
      { name: 'dev.tsv', buffer: Buffer.from(qrels) },
    ]),
  ).toBe('done');
  // A run as a tab leaves it when it is closed mid-run: 'running', nobody holding its lock.
  const runId = 'run-interrupted';
  await page.evaluate(
    ({ projectId, runId }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('quarry');
        open.onsuccess = () => {
          const tx = open.result.transaction('runs', 'readwrite');
          tx.objectStore('runs').put({
            id: runId,
            projectId,
            name: 'BM25 run cut short',
            createdAt: Date.now(),
            status: 'running',
            stages: {},
            config: {
              split: 'dev',
              members: [{ spec: 'bm25:k1=0.9:b=0.4', name: 'bm25', weight: 1 }],
              fusion: 'rrf',
              strategy: 'topk',
              range: [0, 30],
              negatives: 3,
              randomNegatives: 0,
              chunk: 'none',
              depth: 100,
            },
          });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { projectId, runId },
  );
  await page.goto(`/#/p/${encodeURIComponent(projectId)}/review/${runId}`);
  await page.reload(); // the app starts on the Review page
  await expect
    .poll(async () => (await readStore<{ id: string; status: string }>(page, 'runs')).find((r) => r.id === runId)?.status, { timeout: 120_000 })
    .toBe('done');
  expect(await countStore(page, 'candidates')).toBeGreaterThan(0);
  await expect(page.locator('[data-page="review"]')).toBeVisible();
});
