import { join } from 'node:path';
import { DEBIAN, headlessChromium, previewServer, cleanupAll } from './lib/env';
const url = await previewServer();
const browser = await headlessChromium();
const page = await (await browser.newContext()).newPage();
page.on('console', (m) => console.log('console', m.text()));
await page.goto(`${url}/#/`);
await page.getByLabel('New project').fill('dbg');
await page.getByRole('button', { name: 'Create' }).click();
await page.getByTestId('file-input').waitFor({ state: 'attached' });
const files = (process.argv[2] ?? 'corpus.jsonl').split(',').map((f) => join(DEBIAN, f));
const t0 = Date.now();
await page.getByTestId('file-input').setInputFiles(files);
for (;;) {
  const st = page.getByTestId('import-status');
  const state = await st.getAttribute('data-state').catch(() => null);
  console.log(((Date.now() - t0) / 1000).toFixed(1), state, (await st.textContent().catch(() => ''))?.slice(0, 120));
  if (state && state !== 'running') break;
  await new Promise((r) => setTimeout(r, 1000));
}
await cleanupAll();
