// Screenshots of every page in light and dark mode, written to docs/screenshots as
// <page>-light.png and <page>-dark.png (1280×800, what a screen shows first). Run with
// `npm run screenshots`, which builds the app and runs this spec with QUARRY_SCREENSHOTS=1;
// the normal test run skips it and writes nothing.
//
// The pages show the review fixture (src/ui/pages/Review/fixture.ts: Debian-like packages, a
// done run of pkgs-minilm + bm25 with cross-encoder scores and flags), seeded through the page
// with metrics, retrieval lists and a few dozen decisions, so every page has content in seconds.
// (Mining the demo in the browser first took 30 minutes and more on 2 shared cores.)
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { makeFixture } from '../src/ui/pages/Review/fixture';
import { seedExport } from './helpers';

const OUT = 'docs/screenshots';

test.skip(!process.env.QUARRY_SCREENSHOTS, 'writes docs/screenshots: run it with `npm run screenshots`');

/** Closes the review guidelines that open by themselves on a project's first review. */
async function closeDialogs(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  if (await dialog.isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  }
}

function seedData() {
  const f = makeFixture({ queries: 24, candidatesPerQuery: 8 });
  const run = f.run;
  run.metrics = {
    'pkgs-minilm': { 'ndcg@10': 0.712, 'mrr@10': 0.664, 'recall@10': 0.875, 'recall@100': 0.958, queries: 24 },
    bm25: { 'ndcg@10': 0.774, 'mrr@10': 0.735, 'recall@10': 0.904, 'recall@100': 0.964, queries: 24 },
    ensemble: { 'ndcg@10': 0.801, 'mrr@10': 0.757, 'recall@10': 0.917, 'recall@100': 1, queries: 24 },
  };
  // Retrieval lists per member (the miner's checkpoints), for the score histograms and ranks.
  const qids = [...new Set(f.candidates.map((c) => c.queryId))];
  const positives = (q: string) => f.qrels.filter((r) => r.queryId === q && r.score > 0).map((r) => r.docId);
  const jobs = run.config.members.map((m) => ({
    id: `mine:${run.id}:retrieve:${m.name}:000000`,
    projectId: run.projectId,
    kind: 'mine-checkpoint',
    params: {
      queryIds: qids,
      results: qids.map((q, i) => {
        const cands = f.candidates.filter((c) => c.queryId === q && c.members[m.name]?.rank !== null && c.members[m.name]).sort((a, b) => a.members[m.name].rank! - b.members[m.name].rank!);
        const pos = positives(q);
        const top = (cands.length ? cands[0].members[m.name].score : null) ?? 1;
        const at = i % 4; // where the positive ranks: 1st, 2nd, 3rd or 4th
        const hits = cands.map((c) => [c.docId, c.members[m.name].score] as [string, number]);
        hits.splice(Math.min(at, hits.length), 0, [pos[0], top + 0.01]);
        return { hits, positives: Object.fromEntries(pos.map((p) => [p, top + 0.01])) };
      }),
    },
    status: 'done',
    done: 1,
    total: 1,
    updatedAt: 1,
  }));
  // A reviewer's first 40 decisions: mostly accepted, some rejected, a few promoted or skipped.
  const labels = ['accept', 'accept', 'reject', 'accept', 'accept', 'positive', 'accept', 'reject', 'accept', 'skip'];
  const decisions = f.candidates.slice(0, 40).map((c, i) => ({
    projectId: run.projectId, queryId: c.queryId, docId: c.docId, reviewer: 'reviewer', label: labels[i % labels.length], at: 1_700_000_200_000 + i * 9_000, runId: run.id, ms: 9_000,
  }));
  return { ...f, run, jobs, decisions };
}

test('screenshots of every page, light and dark', async ({ page }) => {
  test.setTimeout(600_000);
  mkdirSync(OUT, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  const data = seedData();
  await page.goto('/#/');
  await seedExport(page, data);
  const at = (path: string) => `/#/p/${data.project.id}/${path}`;
  const runId = data.run.id;

  // 4. Every page in both schemes.
  const pages: Array<{ name: string; path: string; ready: string; fullPage?: boolean; then?: (p: Page) => Promise<void> }> = [
    { name: 'projects', path: '/#/', ready: '[data-page="projects"]' },
    { name: 'data', path: at('data'), ready: '[data-page="data"]' },
    { name: 'models', path: at('models'), ready: '[data-page="models"]' },
    { name: 'mine', path: at(`mine/${runId}`), ready: '[data-page="mine"]' },
    { name: 'review', path: at(`review/${runId}`), ready: '[data-testid="candidate"][data-active]' },
    {
      name: 'review-help',
      path: at(`review/${runId}`),
      ready: '[data-testid="candidate"][data-active]',
      then: async (p) => {
        await p.keyboard.press('?');
        await expect(p.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      },
    },
    { name: 'evaluate', path: at(`evaluate/${runId}`), ready: '.evaluate-hist' },
    { name: 'export', path: at(`export/${runId}`), ready: '[data-page="export"]' },
  ];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const p of pages) {
      await page.goto(p.path);
      await expect(page.locator(p.ready).first()).toBeVisible({ timeout: 60_000 });
      await closeDialogs(page);
      await p.then?.(page);
      // Let late loads (previews, charts, fonts) paint; no hover tooltip in the picture.
      await page.mouse.move(1275, 795);
      await page.waitForTimeout(1200);
      await page.screenshot({ path: `${OUT}/${p.name}-${scheme}.png`, fullPage: p.fullPage ?? false });
    }
  }
});
