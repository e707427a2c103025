// URLs name the page, project, run and current query; the tab title names the page.
import { expect, test } from '@playwright/test';
import { makeFixture } from '../src/ui/pages/Review/fixture';

const f = makeFixture({ projectId: 'url-e2e', runId: 'url-e2e-run', queries: 5, candidatesPerQuery: 3 });
type Hooked = { __quarryTest: { export: { seed(d: unknown): Promise<void> } } };

test('a link to a query opens Review on it; moving on updates the URL; titles name the page', async ({ page }) => {
  await page.goto('/#/');
  await expect(page).toHaveTitle('Projects · Quarry');
  await page.waitForFunction(() => !!(window as unknown as Partial<Hooked>).__quarryTest?.export);
  await page.evaluate((d) => (window as unknown as Hooked).__quarryTest.export.seed(d), { ...f, decisions: [] });

  const ids = [...new Set(f.candidates.map((c) => c.queryId))].sort();
  const target = ids[3];
  const text = f.queries.find((q) => q.id === target)!.text;
  await page.goto(`/#/p/${f.project.id}/review/${f.run.id}/${encodeURIComponent(target)}`);
  await page.keyboard.press('Escape'); // guidelines, first visit
  await expect(page.getByTestId('query-text')).toHaveText(text);
  await expect(page).toHaveTitle(`Review · ${f.project.name} · Quarry`);

  // Without a query in the link, the URL gains the one on screen.
  await page.goto(`/#/p/${f.project.id}/export/${f.run.id}`);
  await expect(page).toHaveTitle(`Export · ${f.project.name} · Quarry`);
  await page.goto(`/#/p/${f.project.id}/review/${f.run.id}`);
  await expect(page).toHaveURL(new RegExp(`/review/${f.run.id}/${encodeURIComponent(target)}$`));
});
