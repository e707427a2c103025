// Faults during review: two tabs of the same reviewer, and a full disk (real quota, not a
// simulated error). What is stored afterwards and what each page says are both asserted.
import { expect, test, type Page } from '@playwright/test';
import { makeFixture } from '../src/ui/pages/Review/fixture';
import { readStore } from './helpers';

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

// A full disk, for real: the origin's quota is lowered through CDP before the app's first
// write, then a filler database takes what is left until Chromium itself refuses writes
// with QuotaExceededError. (Chromium lets a bucket spend a cached "space left" for up to 30 s
// without asking its quota manager again, so an override made after the app has written can
// take that long to apply; made before the first write, it applies at once.) The service
// worker is blocked: its background precache would take the space at a time of its choosing.
test.describe('a full disk during review', () => {
  test.use({ serviceWorkers: 'block' });

  const FILLER = 'quarry-e2e-filler';

  /** Writes incompressible values into a database of its own until the browser refuses even 16 bytes. */
  async function fillStorage(page: Page): Promise<{ bytes: number; refused: string }> {
    return page.evaluate(async (name) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => open.result.createObjectStore('filler');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const put = (key: number, size: number) =>
        new Promise<string | null>((resolve) => {
          const value = new Uint8Array(size);
          for (let i = 0; i < size; i += 65536) crypto.getRandomValues(value.subarray(i, Math.min(size, i + 65536)));
          const tx = db.transaction('filler', 'readwrite');
          tx.objectStore('filler').put(value, key);
          tx.oncomplete = () => resolve(null);
          tx.onabort = () => resolve(tx.error?.name ?? 'aborted');
        });
      let bytes = 0;
      let key = 0;
      let refused = '';
      // Halving the chunk leaves less than 16 bytes: no decision fits.
      for (let size = 32768; size >= 16; size >>= 1) {
        for (;;) {
          const err = await put(key++, size);
          if (err) {
            refused = err;
            break;
          }
          bytes += size;
          if (bytes > 512 * 1024 * 1024) throw new Error('the quota override did not apply: 512 MB written');
        }
      }
      db.close();
      return { bytes, refused };
    }, FILLER);
  }

  async function freeStorage(page: Page): Promise<void> {
    await page.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const del = indexedDB.deleteDatabase(name);
          del.onsuccess = () => resolve();
          del.onerror = () => reject(del.error);
          del.onblocked = () => reject(new Error('filler database still open'));
        }),
      FILLER,
    );
  }

  const rawDecisions = async (page: Page) => (await readStore<Decision>(page, 'decisions')).map((d): [string, string] => [d.docId, d.label]).sort();

  test('storage full during review: the page says the decision was not stored and stays on the candidate; nothing stored is lost; after space is freed the same key stores it', async ({
    page,
    context,
    baseURL,
  }) => {
    const cdp = await context.newCDPSession(page);
    const origin = new URL(baseURL!).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 64 * 1024 * 1024 });
    await openReview(page, true);

    await page.keyboard.press('a'); // stored while there is room
    await expect(row(page, 0)).toHaveAttribute('data-label', 'accept');
    await expect(row(page, 1)).toHaveAttribute('data-active', 'true');
    await expect.poll(() => rawDecisions(page)).toEqual([[order[0].docId, 'accept']]);

    const filled = await fillStorage(page);
    expect(filled.refused).toBe('QuotaExceededError');
    expect(filled.bytes).toBeGreaterThan(0);
    const eventsBefore = await readStore<unknown>(page, 'decisionEvents');

    await page.keyboard.press('x'); // reject candidate 1: the write is refused
    const error = page.getByTestId('review-error');
    await expect(error).toContainText("the browser's storage for this site is full (QuotaExceededError): this decision was not stored");
    await expect(error).toContainText('free space');
    // Not shown as made, and the reviewer is still on it.
    await expect(row(page, 1)).toHaveAttribute('data-active', 'true');
    await expect(row(page, 1)).toHaveAttribute('data-label', '');
    await expect(row(page, 0)).toHaveAttribute('data-label', 'accept');
    expect(await rawDecisions(page)).toEqual([[order[0].docId, 'accept']]);
    expect(await readStore<unknown>(page, 'decisionEvents')).toEqual(eventsBefore);
    // Still refused on a second try while the disk is full; still nothing written, no move.
    await page.keyboard.press('x');
    await expect(error).toContainText('this decision was not stored');
    await expect(row(page, 1)).toHaveAttribute('data-active', 'true');
    expect(await rawDecisions(page)).toEqual([[order[0].docId, 'accept']]);

    await freeStorage(page);
    await page.keyboard.press('x'); // the same key again, with room
    await expect.poll(() => rawDecisions(page)).toEqual([[order[0].docId, 'accept'], [order[1].docId, 'reject']].sort());
    await expect(row(page, 1)).toHaveAttribute('data-label', 'reject');
    await expect(row(page, 2)).toHaveAttribute('data-active', 'true');
    await expect(error).toHaveCount(0);
    expect(await readStore<unknown>(page, 'decisionEvents')).toHaveLength(eventsBefore.length + 1);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  });
});
