// Privacy: a demo session (open the demo, load a bundled model, embed) talks to nobody but
// the app's own origin, and the production build carries the Content Security Policy that
// enforces it (only 'self', plus the Hugging Face hosts a hub model would need).
import { test, expect } from '@playwright/test';

test('a demo session only ever requests the app origin', async ({ page, context, baseURL }) => {
  const ORIGIN = new URL(baseURL ?? 'http://127.0.0.1:4173').origin;
  test.setTimeout(600_000);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  // Workers' and the service worker's requests too (Chromium reports them on the context).
  page.on('worker', (w) => requests.push(w.url()));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));

  await page.goto('/#/');
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.locator('[data-page="data"]')).toBeVisible({ timeout: 120_000 });
  const projectId = decodeURIComponent(/#\/p\/([^/]+)\//.exec(page.url())![1]);

  await page.goto(`/#/p/${encodeURIComponent(projectId)}/models`);
  const row = page.locator('tr[data-model="pkgs-minilm"]');
  await expect(row).toBeVisible();
  await row.getByTestId('test-model').click();
  await page.getByTestId('run-test').click();
  await expect(page.getByTestId('test-result')).toBeVisible({ timeout: 300_000 });
  // Headless Chromium has no WebGPU adapter: the page says so and runs WASM.
  await expect(page.getByTestId('test-device')).toHaveText('wasm');
  await expect(page.getByTestId('device-notice')).toContainText('WASM');
  await expect(page.getByTestId('test-preview')).toContainText('dim 256 · norm 1.0000');

  const outside = requests.filter((u) => !u.startsWith(ORIGIN + '/') && !u.startsWith('blob:') && !u.startsWith('data:'));
  console.log(`${requests.length} requests, ${outside.length} outside ${ORIGIN}`);
  expect(requests.length).toBeGreaterThan(10);
  expect(outside).toEqual([]);
});

test('the production build ships a same-origin Content Security Policy', async ({ page, request }) => {
  const res = await request.get('/');
  const header = res.headers()['content-security-policy'];
  const html = await res.text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1].replace(/&#39;/g, "'");
  for (const csp of [header, meta]) {
    expect(csp).toBeTruthy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toMatch(/connect-src 'self' blob: data: https:\/\/huggingface\.co https:\/\/\*\.huggingface\.co https:\/\/\*\.hf\.co;/);
    expect(csp).not.toContain("'unsafe-eval'");
    // The only host sources anywhere in the policy are the Hub's.
    const hosts = csp!.split(/[\s;]+/).filter((t) => /^https?:|\*/.test(t));
    expect(hosts).toEqual(['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co']);
  }
  // No origin may frame the app (clickjacking): frame-ancestors in the header, where it works.
  expect(header).toContain("frame-ancestors 'none'");
  expect(res.headers()['x-frame-options']).toBe('DENY');
  expect(meta).not.toContain('frame-ancestors'); // ignored in a meta tag, so not pretended there
  // The policy is live: a fetch to another host is refused by the browser itself.
  await page.goto('/#/');
  const blocked = await page.evaluate(async () => {
    try {
      await fetch('https://example.com/');
      return 'fetched';
    } catch (e) {
      return String(e);
    }
  });
  expect(blocked).toMatch(/TypeError|Failed to fetch/);
});

test('no page can frame the app', async ({ page, baseURL }) => {
  const app = new URL(baseURL ?? 'http://127.0.0.1:4173');
  const refused: string[] = [];
  page.on('console', (m) => refused.push(m.text()));
  // A page of another origin (about:blank's opaque one) puts the app in an iframe.
  await page.setContent(`<iframe id="f" src="${app.origin}/#/" width="800" height="600"></iframe>`);
  await expect.poll(() => refused.some((t) => /frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(t)), { timeout: 15_000 }).toBe(true);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const loaded = await frame?.evaluate(() => !!document.querySelector('#root')?.childElementCount).catch(() => false);
  expect(loaded ?? false).toBe(false);
});
