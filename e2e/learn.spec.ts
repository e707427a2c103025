// Learning from reviews end to end: a run seeded with 300 candidates and 100 decisions taken in
// the audit order; the Evaluate page shows the model, both false-negative estimates and the
// threshold preview; the threshold is stored; the export leaves out exactly the previewed
// candidates and its card states which labels are human and which are predicted.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { auditOrder, auditSeedFor, type QueueItem } from '../src/core/review/queue';
import { readStore, seedExport } from './helpers';

const P = 'learn-e2e';
const RUN = 'learn-e2e-run';

function seedData() {
  const documents = [], queries = [], qrels = [];
  const candidates: Array<QueueItem & { runId: string; projectId: string; ce: number }> = [];
  for (let i = 0; i < 30; i++) {
    queries.push({ projectId: P, id: `q${i}`, text: `query ${i}` });
    documents.push({ projectId: P, id: `p${i}`, title: `p${i}`, text: `positive ${i}` });
    qrels.push({ projectId: P, split: 'dev', queryId: `q${i}`, docId: `p${i}`, score: 1, source: 'import' });
    for (let r = 1; r <= 10; r++) {
      const id = `c${i}_${r}`;
      documents.push({ projectId: P, id, title: id, text: `candidate ${r} of ${i}` });
      const ce = ((i * 7 + r * 13) % 17) / 2 - 4;
      candidates.push({ runId: RUN, projectId: P, queryId: `q${i}`, docId: id, rank: r, fused: 3 - r / 4, members: { bm25: { rank: r, score: 12 - r } }, ce, cePositive: 3, flags: [] });
    }
  }
  // the reviewer follows the audit order; the hidden truth: a logit above 1 is a false negative
  const decisions = auditOrder(candidates, auditSeedFor(RUN))
    .slice(0, 100)
    .map((c) => ({ projectId: P, queryId: c.queryId, docId: c.docId, reviewer: 'ann', label: c.ce > 1 ? 'reject' : 'accept', at: 1, runId: RUN }));
  return {
    project: { id: P, name: 'Learn e2e', createdAt: 1, guidelines: '' },
    run: {
      id: RUN, projectId: P, name: 'seeded run', createdAt: 1, status: 'done', stages: {},
      config: { split: 'dev', members: [{ spec: 'bm25', name: 'bm25', weight: 1 }], fusion: 'soft-z', strategy: 'topk', range: [0, 30], negatives: 10, randomNegatives: 0, chunk: 'none', depth: 100, reranker: 'pkgs-rerank' },
      metrics: { bm25: { 'ndcg@10': 0.5, 'mrr@10': 0.4, 'recall@10': 0.6, 'recall@100': 0.9, queries: 30 } },
    },
    documents, queries, qrels, candidates, decisions,
  };
}

test('Evaluate estimates false negatives, previews a threshold, and the export applies it with provenance', async ({ page }) => {
  const data = seedData();
  await page.goto('/#/');
  await seedExport(page, data);

  // a second run proposing only the top 5 of each query's 10: half of the picked run's negatives
  const second = { ...data, run: { ...data.run, id: `${RUN}-2`, name: 'second run', createdAt: 2, config: { ...data.run.config, negatives: 5, chunk: 'tokens:128:32' } },
    candidates: data.candidates.filter((c) => c.rank <= 5).map((c) => ({ ...c, runId: `${RUN}-2` })), decisions: [] };
  await seedExport(page, second);

  await page.goto(`/#/p/${P}/evaluate/${RUN}`);
  const compare = page.getByTestId('runs-compare');
  await expect(compare.locator(`tr[data-run="${RUN}-2"] [data-testid="compare-jaccard"]`)).toHaveText('0.500 (0 of 30 queries identical)');
  await expect(compare.locator(`tr[data-run="${RUN}"] [data-testid="compare-jaccard"]`)).toHaveText('1.000 (30 of 30 queries identical)');
  await expect(compare.locator(`tr[data-run="${RUN}-2"]`)).toContainText('tokens:128:32');
  const panel = page.getByTestId('learn-panel');
  await expect(panel).toContainText('From 100 reviewed candidates');
  await expect(page.getByTestId('learn-auc')).toContainText(/\d\.\d{3}/);
  await expect(page.getByTestId('learn-estimate-model')).toContainText(/Model: \d+\.\d% \(95% interval/);
  await expect(page.getByTestId('learn-estimate-audit')).toContainText('from the first 100 candidates of the audit order');
  const slider = page.getByTestId('learn-threshold');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(slider).toHaveValue('0.4');
  const preview = await page.getByTestId('learn-preview').innerText();
  const excluded = Number(/^(\d+) of 200 unreviewed/.exec(preview)?.[1]);
  expect(excluded).toBeGreaterThan(0);
  await page.getByTestId('learn-apply').click();
  await expect(page.getByTestId('learn-saved')).toContainText('above 0.40');
  await panel.screenshot({ path: 'test-results/learn-evaluate.png' });
  const stored = (await readStore<{ id: string; learnThreshold?: number }>(page, 'runs')).find((r) => r.id === RUN)?.learnThreshold;
  expect(stored).toBe(0.4);

  await page.goto(`/#/p/${P}/export/${RUN}`);
  await page.getByTestId('export-format').selectOption('st-triplet');
  await page.getByTestId('export-dev').fill('0');
  await page.getByTestId('export-unreviewed').check();
  await expect(page.getByTestId('export-predictions')).toBeChecked();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  const files = unzipSync(new Uint8Array(readFileSync((await (await download).path())!)));
  const rows = strFromU8(files['train.jsonl']).trim().split('\n');
  const accepted = data.decisions.filter((d) => d.label === 'accept').length;
  // every accepted negative and every unreviewed candidate the preview kept, one triplet each
  expect(rows).toHaveLength(accepted + (200 - excluded));
  const card = strFromU8(files['README.md']);
  expect(card).toContain(`| negatives accepted by a reviewer | human | ${accepted} |`);
  expect(card).toContain(`| unreviewed candidates left out as predicted false negatives | predicted (probability > 0.4) | ${excluded} |`);
});
