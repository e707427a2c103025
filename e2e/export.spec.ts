// Export end to end: a run seeded with decisions (through window.__quarryTest.export),
// exported in every format from the Export page; each zip is unpacked with fflate and its
// rows are checked against the seeded decisions.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { parquetReadObjects } from 'hyparquet';
import { rerankerGroupProblems } from '../src/core/formats/export/consumer-rules';
import { seedExport } from './helpers';

const P = 'export-e2e';
const RUN = 'export-e2e-run';
const NQ = 6;
const PER = 6;

type Label = 'accept' | 'reject' | 'positive' | 'skip';
// Per query i, candidate r (1-based): the decision, if any.
function labelOf(i: number, r: number): Label | undefined {
  if (r === 1) return i % 3 === 0 ? 'reject' : 'accept';
  if (r === 2) return i === 2 ? 'positive' : 'accept';
  if (r === 3) return 'accept';
  if (r === 4) return i % 2 === 0 ? 'skip' : undefined;
  return undefined;
}

function seedData() {
  const documents = [];
  const queries = [];
  const qrels = [];
  const candidates = [];
  const decisions = [];
  for (let i = 0; i < NQ; i++) {
    queries.push({ projectId: P, id: `q${i}`, text: `tool number ${i} for the shell` });
    documents.push({ projectId: P, id: `pos${i}`, title: `tool${i}`, text: `the one true tool ${i}` });
    qrels.push({ projectId: P, split: 'dev', queryId: `q${i}`, docId: `pos${i}`, score: 1, source: 'import' });
    for (let r = 1; r <= PER; r++) {
      const id = `q${i}-c${r}`;
      documents.push({ projectId: P, id, title: i === 0 && r === 1 ? '=cmd|calc' : `tool${i}-extra${r}`, text: `near miss ${r} of tool ${i}` });
      candidates.push({
        runId: RUN, projectId: P, queryId: `q${i}`, docId: id, rank: r, fused: 1 - r / 10,
        members: { bm25: { rank: r, score: 20 - r } }, ce: -r / 2, cePositive: 3, flags: r === 6 ? ['suspected-false-negative'] : [],
      });
      const label = labelOf(i, r);
      if (label) decisions.push({ projectId: P, queryId: `q${i}`, docId: id, reviewer: 'ann', label, at: 1, runId: RUN });
    }
  }
  for (let k = 0; k < 30; k++) documents.push({ projectId: P, id: `other${k}`, title: '', text: `unrelated package ${k}` });
  return {
    project: { id: P, name: 'Export e2e', createdAt: 1, guidelines: '' },
    run: {
      id: RUN, projectId: P, name: 'seeded run', createdAt: 1, status: 'done', stages: {},
      config: { split: 'dev', members: [{ spec: 'bm25', name: 'bm25', weight: 1 }], fusion: 'soft-z', strategy: 'topk', range: [0, 30], negatives: 3, randomNegatives: 0, chunk: 'none', depth: 100, reranker: 'pkgs-rerank' },
      metrics: { bm25: { 'ndcg@10': 0.5, 'mrr@10': 0.4, 'recall@10': 0.6, 'recall@100': 0.9, queries: NQ } },
    },
    documents, queries, qrels, candidates, decisions,
  };
}

/** Expected accepted negatives per query, in fused-rank order. */
function accepted(i: number): string[] {
  const out: string[] = [];
  for (let r = 1; r <= PER; r++) if (labelOf(i, r) === 'accept') out.push(`q${i}-c${r}`);
  return out;
}

async function exportZip(page: Page, setup: () => Promise<void>): Promise<Record<string, Uint8Array>> {
  await setup();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/^quarry-export-e2e-.*\.zip$/);
  return unzipSync(new Uint8Array(readFileSync((await d.path())!)));
}
const jsonl = (b: Uint8Array) => strFromU8(b).trim().split('\n').map((l) => JSON.parse(l));
/** Rows of a JSONL file, with the ids of its `.ids.jsonl` side file (sentence-transformers formats) joined back line by line. */
function rowsOf(files: Record<string, Uint8Array>, name: string) {
  const rows = jsonl(files[name]);
  const side = files[name.replace(/\.jsonl$/, '.ids.jsonl')];
  if (!side) return rows;
  const ids = jsonl(side);
  expect(ids).toHaveLength(rows.length);
  return rows.map((r, i) => ({ ...r, ...ids[i] }));
}

test('export every format from a seeded run', async ({ page }) => {
  await page.goto('/#/');
  await seedExport(page, seedData());
  await page.goto(`/#/p/${P}/export/${RUN}`);
  await expect(page.locator('[data-page="export"]')).toBeVisible();
  const dev = page.getByTestId('export-dev');
  const ids = page.getByTestId('export-ids');
  const format = page.getByTestId('export-format');

  // 1. Triplets, accepted only, no dev split, with ids.
  let files = await exportZip(page, async () => {
    await format.selectOption('st-triplet');
    await dev.fill('0');
    await ids.check();
  });
  expect(Object.keys(files).sort()).toEqual(['README.md', 'train.ids.jsonl', 'train.jsonl']);
  let rows = rowsOf(files, 'train.jsonl');
  // One row per accepted negative and row positive: the gold one, then (q2) the promoted q2-c2.
  const rowPositives = (i: number) => (i === 2 ? ['pos2', 'q2-c2'] : [`pos${i}`]);
  const expected = Array.from({ length: NQ }, (_, i) => rowPositives(i).flatMap((p) => accepted(i).map((n) => [`q${i}`, p, n]))).flat();
  expect(rows.map((r) => [r.query_id, r.positive_id, r.negative_ids[0]])).toEqual(expected);
  expect(rows[0]).toMatchObject({ anchor: 'tool number 0 for the shell', positive: 'tool0: the one true tool 0' });
  const acceptedTotal = Array.from({ length: NQ }, (_, i) => accepted(i).length).reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('export-count-accepted')).toHaveText(String(acceptedTotal));
  const card = strFromU8(files['README.md']);
  expect(card).toContain('| accepted as negative |');
  expect(card).toContain('| selection strategy | topk |');

  // 2. n-tuples of 3 with unreviewed candidates: rejected and flagged never appear.
  files = await exportZip(page, async () => {
    await format.selectOption('st-ntuple');
    await page.getByTestId('export-width').fill('3');
    await page.getByTestId('export-unreviewed').check();
  });
  rows = rowsOf(files, 'train.jsonl');
  expect(rows).toHaveLength(NQ + 1); // q2 twice: with pos2 and with the promoted q2-c2
  for (const r of rows) {
    expect(r.negative_ids).toHaveLength(3);
    expect(Object.keys(r).filter((k) => /^negative_\d$/.test(k))).toEqual(['negative_1', 'negative_2', 'negative_3']);
    const i = Number(r.query_id.slice(1));
    for (const n of r.negative_ids as string[]) {
      const rr = Number(n.split('-c')[1]);
      expect(['reject', 'positive']).not.toContain(labelOf(i, rr));
      expect(rr).not.toBe(6);
    }
    expect((r.negative_ids as string[]).slice(0, Math.min(3, accepted(i).length))).toEqual(accepted(i).slice(0, 3));
  }

  // 3. Parquet: the same n-tuples.
  files = await exportZip(page, async () => {
    await format.selectOption('parquet');
  });
  const pq = await parquetReadObjects({ file: files['train.parquet'].slice().buffer });
  expect(pq.map((r) => [r.query_id, r.negative_ids])).toEqual(rows.map((r) => [r.query_id, r.negative_ids]));
  expect(pq[0].negative_1).toBe(rows[0].negative_1);

  // 4. Labeled pairs, accepted only: the promoted candidate of q2 is a label-1 row.
  files = await exportZip(page, async () => {
    await page.getByTestId('export-unreviewed').uncheck();
    await format.selectOption('st-labeled-pair');
    await page.getByTestId('export-width').fill('');
  });
  rows = rowsOf(files, 'train.jsonl');
  const q2 = rows.filter((r) => r.query_id === 'q2');
  expect(q2.filter((r) => r.label === 1).map((r) => r.positive_id)).toEqual(['pos2', 'q2-c2']);
  expect(q2.filter((r) => r.label === 0).map((r) => r.negative_ids[0])).toEqual(accepted(2));

  // 5. FlagEmbedding with a prompt and cross-encoder scores.
  files = await exportZip(page, async () => {
    await format.selectOption('flag');
    await page.getByTestId('export-prompt').fill('Represent this request for searching packages:');
  });
  rows = rowsOf(files, 'train.jsonl');
  const q1 = rows.find((r) => r.query_id === 'q1');
  expect(q1.neg).toEqual(accepted(1).map((id) => `tool1-extra${id.split('-c')[1]}: near miss ${id.split('-c')[1]} of tool 1`));
  expect(q1.pos_scores).toEqual([3]);
  expect(q1.neg_scores).toEqual(accepted(1).map((id) => -Number(id.split('-c')[1]) / 2));
  expect(q1.prompt).toBe('Represent this request for searching packages:');

  // 6. LCE groups of 7 (6 negatives: more than any query has), filled from unreviewed then random documents, with a dev split.
  files = await exportZip(page, async () => {
    await format.selectOption('lce-text');
    await page.getByTestId('export-group-size').fill('7');
    await page.getByTestId('export-unreviewed').check();
    await page.getByTestId('export-random').check();
    await dev.fill('34');
  });
  expect(Object.keys(files).sort()).toEqual(['README.md', 'dev.jsonl', 'train.jsonl']);
  const groups = [...rowsOf(files, 'train.jsonl'), ...rowsOf(files, 'dev.jsonl')];
  expect(groups).toHaveLength(NQ);
  const trainQ = new Set(rowsOf(files, 'train.jsonl').map((g) => g.qry.qid));
  expect(rowsOf(files, 'dev.jsonl').some((g) => trainQ.has(g.qry.qid))).toBe(false);
  for (const g of groups) {
    expect(g.neg).toHaveLength(6);
    expect(g.pos[0].pid).toBe(`pos${g.qry.qid.slice(1)}`);
    const i = Number(g.qry.qid.slice(1));
    const pids = (g.neg as Array<{ pid: string }>).map((n) => n.pid);
    // accepted first, then unreviewed by rank, then random documents of other queries / the corpus
    expect(pids.slice(0, accepted(i).length)).toEqual(accepted(i));
    expect(new Set(pids).size).toBe(6);
    for (const pid of pids) expect(pid === `q${i}-c6` || (pid.startsWith(`q${i}-c`) && ['reject', 'positive'].includes(labelOf(i, Number(pid.split('-c')[1]))!))).toBe(false);
  }
  // Usable candidates: c1..c5 minus rejected and promoted (c6 is flagged); random fills the rest of 6.
  let randomFills = 0;
  for (let i = 0; i < NQ; i++) randomFills += 6 - [1, 2, 3, 4, 5].filter((r) => !['reject', 'positive'].includes(labelOf(i, r) ?? '')).length;
  expect(randomFills).toBe(9); // hand count: q0 2, q1 1, q2 2, q3 2, q4 1, q5 1
  await expect(page.getByTestId('export-count-random')).toHaveText(String(randomFills));

  // 6b. The same groups as luyug/Reranker reads them: token ids of the run's reranker
  // (bundled pkgs-rerank, BERT uncased: vocab.txt line n is id n-1), no special tokens.
  files = await exportZip(page, async () => {
    await format.selectOption('lce');
  });
  const idGroups = [...rowsOf(files, 'train.jsonl'), ...rowsOf(files, 'dev.jsonl')];
  expect(idGroups).toHaveLength(NQ);
  for (const g of idGroups) expect(rerankerGroupProblems(g)).toEqual([]);
  const vocab = readFileSync('public/models/pkgs-rerank/vocab.txt', 'utf8').split('\n');
  const q0 = idGroups.find((g) => g.qry.qid === 'q0');
  expect(q0.qry.query).toEqual('tool number 0 for the shell'.split(' ').map((w) => vocab.indexOf(w)));
  expect(q0.pos[0].passage.slice(0, 3)).toEqual(['tool', '##0', ':'].map((w) => vocab.indexOf(w)));

  // 7. CSV: the "=cmd|calc" title is quoted for spreadsheets and survives.
  files = await exportZip(page, async () => {
    await format.selectOption('csv');
    await page.getByTestId('export-random').uncheck();
    await page.getByTestId('export-unreviewed').uncheck();
    await dev.fill('0');
  });
  const csv = strFromU8(files['train.csv']);
  expect(csv.split('\r\n')[0]).toBe('anchor,positive,negative,query_id,positive_id,negative_ids');
  // q0's first candidate is rejected, so "=cmd" must not be there at all; q1..q5 rows are.
  expect(csv).not.toContain('=cmd');
  expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + expected.length);
});

test('the CSV keeps a formula-looking cell as text', async ({ page }) => {
  await page.goto('/#/');
  const data = seedData();
  // Accept q0's "=cmd|calc" candidate this time.
  data.decisions = data.decisions.map((d) => (d.docId === 'q0-c1' ? { ...d, label: 'accept' as Label } : d));
  await seedExport(page, data);
  await page.goto(`/#/p/${P}/export/${RUN}`);
  const files = await exportZip(page, async () => {
    await page.getByTestId('export-format').selectOption('csv');
    await page.getByTestId('export-dev').fill('0');
  });
  const lines = strFromU8(files['train.csv']).split('\r\n');
  // Prefixed with a quote so a spreadsheet shows text instead of running a formula.
  expect(lines[1]).toBe("tool number 0 for the shell,tool0: the one true tool 0,'=cmd|calc: near miss 1 of tool 0");
});

test('zip and Parquet writing run in a worker: the page itself never loads the writers', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
  await page.goto('/#/');
  await seedExport(page, seedData());
  await page.goto(`/#/p/${P}/export/${RUN}`);
  const files = await exportZip(page, async () => {
    await page.getByTestId('export-format').selectOption('parquet');
    await page.getByTestId('export-width').fill('3');
    await page.getByTestId('export-unreviewed').check();
    await page.getByTestId('export-dev').fill('0');
  });
  expect((await parquetReadObjects({ file: files['train.parquet'].slice().buffer })).length).toBe(NQ + 1);
  // The export ran in its own worker, whose chunk holds the Parquet writer (its default
  // created_by, "hyparquet") and fflate's zip (its error table).
  const exportWorkers = workers.filter((w) => /^\/assets\/export\.worker-[^/]+\.js$/.test(w));
  expect(exportWorkers).toHaveLength(1);
  const writers = (path: string) => {
    const js = readFileSync(`dist${path}`, 'utf8');
    return { parquet: js.includes("'hyparquet'") || js.includes('"hyparquet"') || js.includes('`hyparquet`'), zip: js.includes('invalid zip data') };
  };
  expect(writers(exportWorkers[0])).toEqual({ parquet: true, zip: true });
  // Every script the page itself (the main thread) fetched, but for the workers' own entry
  // scripts (fetched for the worker, run there): none holds either writer.
  const pageScripts = (
    await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js')))
  ).filter((p) => !workers.includes(p));
  expect(pageScripts.some((p) => /^\/assets\/Export-[^/]+\.js$/.test(p))).toBe(true);
  for (const p of pageScripts) expect({ p, ...writers(p) }).toEqual({ p, parquet: false, zip: false });
});

test('Evaluate shows the metrics table, score histograms, positive ranks with the ensemble, and review counts', async ({ page }) => {
  await page.goto('/#/');
  const data = seedData() as ReturnType<typeof seedData> & { jobs?: unknown[] };
  data.run.config.members = [
    { spec: 'bm25', name: 'bm25', weight: 1 },
    { spec: 'dense:pkgs-minilm', name: 'pkgs-minilm', weight: 1 },
  ];
  (data.run as { metrics: Record<string, Record<string, number>> }).metrics = {
    bm25: { 'ndcg@10': 0.5, 'mrr@10': 0.4, 'recall@10': 0.6, 'recall@100': 0.9, queries: NQ },
    'pkgs-minilm': { 'ndcg@10': 0.55, 'mrr@10': 0.45, 'recall@10': 0.65, 'recall@100': 0.92, queries: NQ },
    ensemble: { 'ndcg@10': 0.61, 'mrr@10': 0.52, 'recall@10': 0.7, 'recall@100': 0.95, queries: NQ },
  };
  for (const c of data.candidates) (c.members as Record<string, unknown>)['pkgs-minilm'] = { rank: c.rank, score: 0.8 - c.rank / 20 };
  // Retrieval checkpoints as the miner writes them: bm25 ranks the positive 2nd, pkgs-minilm 1st.
  const qids = Array.from({ length: NQ }, (_, i) => `q${i}`);
  const lists = (member: string) => qids.map((q, i) => {
    const cands = Array.from({ length: PER }, (_, r) => `q${i}-c${r + 1}`);
    const order = member === 'bm25' ? [cands[0], `pos${i}`, ...cands.slice(1)] : [`pos${i}`, ...cands];
    return { hits: order.map((d, k) => [d, 10 - k]), positives: { [`pos${i}`]: member === 'bm25' ? 9 : 10 } };
  });
  data.jobs = ['bm25', 'pkgs-minilm'].map((m) => ({
    id: `mine:${RUN}:retrieve:${m}:000000`, projectId: P, kind: 'mine-checkpoint', params: { queryIds: qids, results: lists(m) },
    status: 'done', done: 1, total: 1, updatedAt: 1,
  }));
  await seedExport(page, data);
  await page.goto(`/#/p/${P}/evaluate/${RUN}`);
  const table = page.getByTestId('metrics-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('tbody tr').nth(2)).toContainText('ensemble');
  await expect(table.locator('tbody tr').nth(2)).toContainText('0.610');
  // Review counts over the 36 candidates: accepted/rejected/promoted/skipped from labelOf.
  const all = Array.from({ length: NQ }, (_, i) => Array.from({ length: PER }, (_, r) => labelOf(i, r + 1))).flat();
  const count = (l: Label) => all.filter((x) => x === l).length;
  const counts = page.getByTestId('review-counts');
  await expect(counts).toContainText(`${count('accept')}accepted`);
  await expect(counts).toContainText(`${count('reject')}rejected`);
  await expect(counts).toContainText(`${count('positive')}promoted to positive`);
  await expect(counts).toContainText(`${all.filter((x) => x === undefined).length}not reviewed`);
  await expect(page.locator('.evaluate-hist')).toHaveCount(3); // bm25, pkgs-minilm, cross-encoder
  await expect(page.locator('.evaluate-hist').first()).toContainText(`bm25 (${NQ} positives, ${NQ * PER} negatives)`);
  const rankLegend = page.getByTestId('rank-chart').locator('.recharts-legend-item-text');
  await expect(rankLegend).toHaveCount(3);
  expect((await rankLegend.allTextContents()).sort()).toEqual(['bm25', 'ensemble', 'pkgs-minilm']);
  // bm25 ranks every positive 2nd, pkgs-minilm 1st: bucket "2" holds all six queries of bm25, none of pkgs-minilm.
  // (The first bar drawn is bucket "2": bm25's bar in bucket "1" has height 0.)
  await page.getByTestId('rank-chart').locator('.recharts-bar-rectangle').first().hover();
  const tip = page.getByTestId('rank-chart').locator('.recharts-tooltip-wrapper');
  await expect(tip).toContainText(`bm25 : ${NQ}`);
  await expect(tip).toContainText('pkgs-minilm : 0');

  // The legend lists the series in the order of the bars (members in config order, then the
  // fused list), each with its bar's colour; no member wears the positive or negative colour.
  const rank = page.getByTestId('rank-chart');
  await expect(rank.locator('.recharts-legend-item-text')).toHaveText(['bm25', 'pkgs-minilm', 'ensemble']);
  const barFills = await rank.locator('.recharts-bar').evaluateAll((bars) => bars.map((b) => b.querySelector('.recharts-rectangle')?.getAttribute('fill') ?? 'none'));
  const legendFills = await rank.locator('.recharts-legend-item').evaluateAll((items) => items.map((i) => i.querySelector('path, rect')?.getAttribute('fill')));
  expect(legendFills).toEqual(barFills);
  const hist = page.locator('.evaluate-hist').first();
  const histFills = await hist.locator('.recharts-legend-item').evaluateAll((items) => items.map((i) => i.querySelector('path, rect')?.getAttribute('fill')));
  for (const f of barFills) expect(histFills).not.toContain(f);

  // Axes tick at round values, evenly spaced: the count axes and the score axes.
  const tickValues = (chart: ReturnType<typeof page.locator>, axis: 'x' | 'y') => chart.locator(`.recharts-${axis}Axis-tick-labels .recharts-cartesian-axis-tick-value`).allTextContents();
  const even = (labels: string[]) => {
    const v = labels.map(Number);
    expect(v.every(Number.isFinite), labels.join(' ')).toBe(true);
    expect(v.length, labels.join(' ')).toBeGreaterThanOrEqual(2);
    const steps = v.slice(1).map((x, i) => Math.round((x - v[i]) * 1e6));
    expect(new Set(steps).size, labels.join(' ')).toBe(1);
    expect(Number.isInteger(Math.round(v[0] / (steps[0] / 1e6) * 1e6) / 1e6), labels.join(' ')).toBe(true);
  };
  even(await tickValues(rank, 'y'));
  for (const h of await page.locator('.evaluate-hist').all()) {
    even(await tickValues(h, 'x'));
    even(await tickValues(h, 'y'));
  }
  even(await tickValues(counts, 'x'));
});
