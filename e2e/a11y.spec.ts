// Accessibility: axe-core on every page, in light and dark mode, over a seeded run (the
// export fixture: a project with documents, a done run, candidates and decisions), so the
// pages show their real content. No model runs. Fails on any serious or critical finding.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { seedExport } from './helpers';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The app's CSP forbids inline scripts; axe is injected by the test, so only here is it lifted.
test.use({ bypassCSP: true });

const P = 'a11y-e2e';
const RUN = 'a11y-e2e-run';

function seedData() {
  const documents = [];
  const queries = [];
  const qrels = [];
  const candidates = [];
  const decisions = [];
  const labels = ['accept', 'reject', 'positive', 'skip'];
  for (let i = 0; i < 4; i++) {
    queries.push({ projectId: P, id: `q${i}`, text: `how do I find tool ${i} for the shell` });
    documents.push({ projectId: P, id: `pos${i}`, title: `tool${i}`, text: `the one true tool ${i} for the shell` });
    qrels.push({ projectId: P, split: 'dev', queryId: `q${i}`, docId: `pos${i}`, score: 1, source: 'import' });
    for (let r = 1; r <= 5; r++) {
      const id = `q${i}-c${r}`;
      documents.push({ projectId: P, id, title: `tool${i}-extra${r}`, text: `near miss ${r} of tool ${i} for the shell` });
      candidates.push({
        runId: RUN, projectId: P, queryId: `q${i}`, docId: id, rank: r, fused: 1 - r / 10,
        members: { bm25: { rank: r, score: 20 - r } }, ce: -r / 2, cePositive: 3, flags: r === 5 ? ['suspected-false-negative'] : [],
      });
      if (r <= 3 && i > 0) decisions.push({ projectId: P, queryId: `q${i}`, docId: id, reviewer: 'ann', label: labels[(i + r) % 4], at: 1, runId: RUN });
    }
  }
  return {
    project: { id: P, name: 'A11y e2e', createdAt: 1, guidelines: 'Reject anything that answers the query.' },
    run: {
      id: RUN, projectId: P, name: 'seeded run', createdAt: 1, status: 'done', stages: {},
      config: { split: 'dev', members: [{ spec: 'bm25', name: 'bm25', weight: 1 }], fusion: 'soft-z', strategy: 'topk', range: [0, 30], negatives: 3, randomNegatives: 0, chunk: 'none', depth: 100, reranker: 'pkgs-rerank' },
      metrics: { bm25: { 'ndcg@10': 0.5, 'mrr@10': 0.4, 'recall@10': 0.6, 'recall@100': 0.9, queries: 4 } },
    },
    documents, queries, qrels, candidates, decisions,
  };
}

/** Seeds the fixture, then reloads the project list so it shows the seeded project. */
async function seed(page: Page): Promise<void> {
  await page.goto('/#/');
  await seedExport(page, seedData());
  await page.reload();
  await expect(page.getByText('A11y e2e')).toBeVisible();
}

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] };

async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}): ${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`));
}

const PAGES: { name: string; path: string; ready: string; then?: (page: Page) => Promise<void> }[] = [
  { name: 'projects', path: '/#/', ready: '[data-page="projects"]' },
  { name: 'data', path: `/#/p/${P}/data`, ready: '[data-page="data"]' },
  { name: 'models', path: `/#/p/${P}/models`, ready: '[data-page="models"]' },
  { name: 'mine', path: `/#/p/${P}/mine`, ready: '[data-page="mine"]' },
  { name: 'review', path: `/#/p/${P}/review/${RUN}`, ready: '[data-page="review"]' },
  {
    // The overlays over Review: the keyboard help, the agreement view.
    name: 'review-help',
    path: `/#/p/${P}/review/${RUN}`,
    ready: '[data-testid="candidate"][data-active]',
    then: async (page) => {
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    },
  },
  {
    name: 'review-agreement',
    path: `/#/p/${P}/review/${RUN}`,
    ready: '[data-testid="candidate"][data-active]',
    then: async (page) => {
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await page.keyboard.press('c');
      await expect(page.getByRole('dialog', { name: 'Agreement and conflicts' })).toBeVisible();
    },
  },
  { name: 'evaluate', path: `/#/p/${P}/evaluate/${RUN}`, ready: '[data-page="evaluate"]' },
  { name: 'export', path: `/#/p/${P}/export/${RUN}`, ready: '[data-page="export"]' },
];

for (const scheme of ['light', 'dark'] as const) {
  test(`no serious or critical axe findings on any page (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await seed(page);
    const found: Record<string, string[]> = {};
    for (const p of PAGES) {
      await page.goto(p.path);
      await expect(page.locator(p.ready)).toBeVisible();
      await p.then?.(page);
      // Let async loads (candidates, charts, previews) paint before axe looks.
      await page.waitForTimeout(800);
      if (process.env.A11Y_SHOTS) await page.screenshot({ path: `test-results/a11y-${p.name}-${scheme}.png`, fullPage: true });
      const v = await seriousViolations(page);
      if (v.length) found[p.name] = v;
    }
    expect(found).toEqual({});
  });
}

test('dialogs hold focus (Tab stays inside, Escape closes, focus returns) and decisions are announced', async ({ page }) => {
  await seed(page);
  const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));

  // Projects: the delete confirmation.
  const del = page.locator('[data-page="projects"]').getByRole('button', { name: 'Delete' }).first();
  await del.focus();
  await del.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete project?' });
  await expect(confirm).toBeVisible();
  expect(await inDialog()).toBe(true);
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    expect(await inDialog()).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await inDialog()).toBe(true);
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(del).toBeFocused();

  // Review: the guidelines open by themselves on a first visit; the help panel by '?'.
  await page.goto(`/#/p/${P}/review/${RUN}`);
  const guide = page.getByRole('dialog', { name: 'Review guidelines' });
  await expect(guide).toBeVisible();
  await expect.poll(inDialog).toBe(true);
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    expect(await inDialog()).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  expect(await inDialog()).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // A decision is announced in a polite live region.
  const live = page.getByTestId('review-announcer');
  await expect(live).toHaveAttribute('aria-live', 'polite');
  await page.keyboard.press('a');
  await expect(live).toHaveText(/^Accepted as negative: q\d-c\d$/);
  await page.keyboard.press('x');
  await expect(live).toHaveText(/^Rejected: q\d-c\d$/);
  await page.keyboard.press('z');
  await expect(live).toHaveText('Undone (1 decision)');
});

test('layout at 1440 px: Mine has a margin, Export checkboxes sit beside their labels, the Review top bar is one row', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await seed(page);

  await page.goto(`/#/p/${P}/mine`);
  const mine = page.locator('[data-page="mine"]');
  await expect(mine).toBeVisible();
  const content = (await page.locator('main.content').boundingBox())!;
  const firstHeading = (await mine.locator('h2').first().boundingBox())!;
  expect(firstHeading.x - content.x).toBeGreaterThanOrEqual(12);
  // No fieldset of the form reaches past the form's column into the runs beside it.
  const fieldsets = await mine.locator('.mine-form fieldset').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
  const column = (await mine.locator('.mine-form').boundingBox())!;
  for (const right of fieldsets) expect(right).toBeLessThanOrEqual(column.x + column.width + 1);

  await page.goto(`/#/p/${P}/export/${RUN}`);
  await expect(page.locator('[data-page="export"]')).toBeVisible();
  const checks = page.locator('label.export-check');
  await expect(checks.first()).toBeVisible();
  // Beside, not above: the label's first line of text starts right of the box, level with it.
  const placement = await checks.evaluateAll((labels) =>
    labels.map((label) => {
      const box = label.querySelector('input')!.getBoundingClientRect();
      const text = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()) ?? label.querySelector('span');
      const range = document.createRange();
      range.selectNodeContents(text!);
      const first = range.getClientRects()[0];
      return { beside: first.left >= box.right, level: first.top < box.bottom && first.bottom > box.top };
    }),
  );
  for (const p of placement) expect(p).toEqual({ beside: true, level: true });

  await page.goto(`/#/p/${P}/review/${RUN}`);
  await expect(page.getByRole('dialog', { name: 'Review guidelines' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const tops = await page.locator('.rv-tools > *').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)));
  expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(4);
  if (process.env.A11Y_SHOTS) await page.screenshot({ path: 'test-results/a11y-review-top.png', clip: { x: 0, y: 0, width: 1440, height: 140 } });
  const counts = await page.getByTestId('review-counts').boundingBox();
  expect(counts!.height).toBeLessThan(24);
  if (process.env.A11Y_SHOTS) await page.screenshot({ path: 'test-results/a11y-review-top.png', clip: { x: 0, y: 0, width: 1440, height: 140 } });
});

test("Review: the active candidate's own text with shared and new words marked, the positive beside it", async ({ page }) => {
  await seed(page);
  await page.goto(`/#/p/${P}/review/${RUN}`);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const active = page.locator('[data-testid="candidate"][data-active]');
  const cand = active.getByTestId('overlap-candidate');
  // The candidate's text, whole and in its order: no word of the positive interleaved.
  await expect(cand).toHaveText('near miss 1 of tool 0 for the shell');
  await expect(cand.locator('[data-mark="new"]')).toHaveText(['near miss 1']);
  await expect(cand.locator('[data-mark="shared"]')).toHaveText(['tool 0 for the shell']);
  const pos = active.getByTestId('overlap-positive');
  await expect(pos).toHaveText('the one true tool 0 for the shell');
  await expect(pos.locator('[data-mark="shared"]')).toHaveText(['tool 0 for the shell']);
  await expect(pos.locator('[data-mark="new"]')).toHaveCount(0);
  await expect(active.getByTestId('overlap-legend')).toHaveText(/shared 3 words in both · new 3 not in the positive · 2 only in the positive/);
  // Beside, not under: the positive's column starts right of the candidate's, level with it.
  const [c, p] = [(await cand.boundingBox())!, (await pos.boundingBox())!];
  expect(p.x).toBeGreaterThanOrEqual(c.x + c.width);
  expect(Math.abs(p.y - c.y)).toBeLessThan(4);
  // Marks are told apart by shape, not colour alone: dotted vs solid underline.
  const deco = (sel: string) => active.locator(sel).first().evaluate((e) => getComputedStyle(e).textDecorationStyle);
  expect(await deco('.rv-w-shared')).toBe('dotted');
  expect(await deco('.rv-w-new')).toBe('solid');
});
