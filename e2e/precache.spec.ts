// The service worker's precache (Workbox, src/sw/sw.ts), read back with the Cache Storage
// API: every built file the app needs is there (app shell, workers, ORT's WASM build, the
// bundled models and demos), ORT's WebGPU build (no adapter in this Chromium) and the
// runtime lab page are not; an update re-downloads only the files whose revision changed;
// responses served from the cache carry the cross-origin isolation headers.
import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { waitForPrecache } from './helpers';

const DIST = 'dist';

function builtFiles(dir = DIST): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? builtFiles(full) : ['/' + relative(DIST, full).split(sep).join('/')];
  });
}

test('precache holds every file the app uses, not the WebGPU build nor the runtime lab', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  const { names, keys } = await waitForPrecache(page);
  expect(names).toHaveLength(1);
  const all = builtFiles();
  const lab = all.filter((f) => f.startsWith('/src/workers/embed/lab/') || /^\/assets\/runtime-lab-[^/]+\.js$/.test(f));
  const webgpu = all.filter((f) => /\/ort-wasm-simd-threaded\.asyncify-[^/]+\.(wasm|mjs)$/.test(f));
  expect(lab.length).toBeGreaterThanOrEqual(2);
  expect(webgpu).toHaveLength(2);
  const expected = all.filter((f) => !lab.includes(f) && !webgpu.includes(f) && f !== '/sw.js' && !/\.map$|\/README\.md$/.test(f));
  expect(expected.filter((f) => /\/ort-wasm-simd-threaded-[^/]+\.wasm$/.test(f))).toHaveLength(1);
  expect([...keys].sort()).toEqual(expected.sort());
});

test('an update re-downloads only the files whose revision changed, and drops the old worker\'s cache', async ({ page, context }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  const before = (await waitForPrecache(page)).keys;
  // A rebuild in which demo/manifest.json changed: same sw.js, that file's revision differs.
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  const entry = /\{"revision":"([0-9a-f]{32})","url":"demo\/manifest\.json"\}/.exec(sw);
  expect(entry).not.toBeNull();
  const updated = sw.replace(entry![0], entry![0].replace(entry![1], 'f'.repeat(32)));
  // Served under a new script URL: Chromium's update check for /sw.js bypasses request
  // interception, a registration with another script URL (same scope) does not.
  await context.route('**/sw-next.js', (route) => route.fulfill({ body: updated, contentType: 'text/javascript' }));
  const fetched: string[] = [];
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (r.serviceWorker() && url.pathname !== '/sw-next.js') fetched.push(url.pathname + url.search);
  });
  const installed = await page.evaluate(async () => {
    // What the hand-written worker before Workbox left behind: the next activation removes it.
    await (await caches.open('quarry-precache-0123456789abcdef')).put('/index.html', new Response('old'));
    const reg = await navigator.serviceWorker.register('/sw-next.js', { scope: '/' });
    const next = reg.installing ?? reg.waiting;
    if (!next) return 'no new worker';
    if (next.state !== 'activated') await new Promise<void>((r) => next.addEventListener('statechange', () => next.state === 'activated' && r()));
    return next.state;
  });
  expect(installed).toBe('activated');
  expect(fetched).toEqual(['/demo/manifest.json']);
  // The precache now holds the new revision of that file (the old one removed), the rest as they were.
  const { names, after } = await page.evaluate(async () => {
    const names = await caches.keys();
    const name = names.find((n) => n.startsWith('quarry-precache-'))!;
    return { names, after: (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search) };
  });
  expect(names).toEqual([expect.stringMatching(/^quarry-precache-v2-http:/)]);
  expect(after.filter((k) => k.startsWith('/demo/manifest.json'))).toEqual([`/demo/manifest.json?__WB_REVISION__=${'f'.repeat(32)}`]);
  expect(after).toHaveLength(before.length);
});

test('responses from the precache carry the cross-origin isolation headers', async ({ page, context }) => {
  test.setTimeout(300_000);
  // The server's copies lose their isolation headers: only the service worker can add them.
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    for (const h of ['cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cross-origin-resource-policy']) delete headers[h];
    await route.fulfill({ response, headers });
  });
  await page.goto('/');
  await waitForPrecache(page);
  await context.unrouteAll({ behavior: 'wait' });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const headers = await page.evaluate(async () => {
    const r = await fetch('/demo/manifest.json');
    return { coep: r.headers.get('cross-origin-embedder-policy'), coop: r.headers.get('cross-origin-opener-policy'), corp: r.headers.get('cross-origin-resource-policy') };
  });
  expect(headers).toEqual({ coep: 'require-corp', coop: 'same-origin', corp: 'same-origin' });
});
