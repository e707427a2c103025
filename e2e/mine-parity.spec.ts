// One selection engine: for every strategy, the Mine page and `quarry mine` pick the same
// negatives per query (ids, in order) on the demo slice, from the same configuration and
// seed. pkgs-static (fp32, batch-invariant) + BM25 keeps it to a few minutes: the page embeds
// once and reuses the vectors; the CLI keeps its own embedding cache between its runs.
import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readStore } from './helpers';

test.use({ serviceWorkers: 'block' });

interface StoredCandidate {
  runId: string;
  queryId: string;
  docId: string;
  rank: number;
  flags: string[];
}
interface StoredRun {
  id: string;
  config: { members: Array<{ spec: string; name: string }>; scoreSource?: string; strategy: string; range: [number, number] };
}

// Flags that keep an unreviewed candidate out of an export (core exportExclusion): `quarry
// mine` has no reviewer, so it leaves them out of its file; the page keeps them for review.
const EXCLUDING = ['suspected-false-negative', 'near-duplicate', 'duplicate-of-positive'];

const STRATEGIES: Array<{ kind: string; param?: string; random?: number }> = [
  { kind: 'topk', random: 2 },
  { kind: 'percpos', param: '0.95' },
  { kind: 'margin', param: '0.05' },
  { kind: 'abs', param: '0.6' },
  { kind: 'triangle' },
  { kind: 'simans' },
];

function quarryMine(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['bin/quarry.mjs', 'mine', ...args], { maxBuffer: 1 << 24, timeout: 300_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`quarry mine failed: ${err.message}\n${stderr}`));
      else resolve(stderr);
    });
  });
}

async function startRun(page: Page, s: (typeof STRATEGIES)[number]): Promise<string> {
  const form = page.getByRole('form', { name: 'Mining configuration' });
  await form.getByLabel('strategy', { exact: true }).selectOption(s.kind);
  if (s.param) await form.getByLabel('strategy parameter').fill(s.param);
  await form.getByLabel('random negatives').fill(String(s.random ?? 0));
  // The page says which scale the strategy compares before it starts.
  await expect(page.getByTestId('score-source')).toContainText('pkgs-static cosine');
  const before = page.url();
  await page.getByRole('button', { name: 'Start mining' }).click();
  await expect.poll(() => page.url()).not.toBe(before);
  const runId = /\/mine\/([^/]+)$/.exec(page.url())![1];
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 300_000 });
  await expect(page.getByTestId('run-score-source')).toHaveAttribute('data-source', 'pkgs-static');
  return runId;
}

test('every strategy: the Mine page and `quarry mine --with-ids` choose the same negatives per query', async ({ page }) => {
  test.setTimeout(1_200_000);
  const shared = path.resolve(process.env.QUARRY_SHARED ?? '../shared');
  // fp32 weights are not in public/: served from ../shared/models (as in mine.spec.ts).
  await page.route((url) => /^\/models\/pkgs-static\/onnx\/model\.onnx$/.test(url.pathname), (route) =>
    route.fulfill({ path: path.join(shared, 'models/pkgs-static/onnx/model.onnx'), contentType: 'application/octet-stream' }),
  );
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo' }).first().click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const projectId = decodeURIComponent(/#\/p\/([^/]+)\//.exec(page.url())![1]);
  await page.goto(`/#/p/${projectId}/mine`);
  await page.locator('.mine-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');

  const form = page.getByRole('form', { name: 'Mining configuration' });
  for (const box of await form.locator('input[type=checkbox][data-member]').all()) {
    const name = await box.getAttribute('data-member');
    await box.setChecked(name === 'bm25' || name === 'pkgs-static');
  }
  await form.getByLabel('dtype of pkgs-static').selectOption('fp32');
  await form.getByLabel('reranker', { exact: true }).selectOption('');

  const tmp = mkdtempSync(path.join(tmpdir(), 'quarry-parity-'));
  const summary: string[] = [];
  for (const s of STRATEGIES) {
    const runId = await startRun(page, s);
    const run = (await readStore<StoredRun>(page, 'runs')).find((r) => r.id === runId)!;
    expect(run.config.scoreSource).toBe('pkgs-static');
    const strategy = s.param ? `${s.kind}:${s.param}` : s.kind;
    expect(run.config.strategy).toBe(strategy);

    // The same configuration on the CLI: the run's own member specs (CLI syntax), model path for the id.
    const members = run.config.members.flatMap((m) => ['--member', m.spec.replace(/^dense:pkgs-static/, `dense:${path.join(shared, 'models/pkgs-static')}`)]);
    const out = path.join(tmp, `${s.kind}.jsonl`);
    const log = await quarryMine([
      '--data', 'public/demo', '--split', 'dev', ...members, '--fusion', 'soft-z',
      '--strategy', strategy, '--range', run.config.range.join(':'), '--negatives', '5', '--random-negatives', String(s.random ?? 0),
      '--seed', '42', '--format', 'flag', '--with-ids', '--cache', path.join(tmp, 'cache'), '--out', out,
    ]);
    expect(log).toContain(`strategy ${strategy} on pkgs-static cosine`);

    const cli = new Map<string, string[]>();
    for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
      const row = JSON.parse(line) as { query_id: string; negative_ids: string[] };
      cli.set(row.query_id, row.negative_ids);
    }
    // The page's candidates of this run: hard ones by fused rank, then random ones (rank 0).
    const rows = (await readStore<StoredCandidate>(page, 'candidates')).filter((c) => c.runId === runId);
    const app = new Map<string, StoredCandidate[]>();
    for (const c of rows) app.set(c.queryId, [...(app.get(c.queryId) ?? []), c]);
    let excluded = 0;
    let compared = 0;
    const differ: string[] = [];
    for (const qid of new Set([...app.keys(), ...cli.keys()])) {
      const mine = (app.get(qid) ?? []).filter((c) => {
        const out = c.flags.some((f) => EXCLUDING.includes(f));
        if (out) excluded++;
        return !out;
      });
      const hard = mine.filter((c) => c.rank > 0).sort((a, b) => a.rank - b.rank).map((c) => c.docId);
      // random negatives: the store keeps no draw order, so they compare as a set (after the hard ones)
      const random = mine.filter((c) => c.rank === 0).map((c) => c.docId).sort();
      const theirs = cli.get(qid) ?? [];
      const want = [...theirs.slice(0, hard.length), ...theirs.slice(hard.length).sort()];
      if (JSON.stringify([...hard, ...random]) !== JSON.stringify(want)) differ.push(`${qid}: page ${[...hard, ...random].join(',')} | cli ${theirs.join(',')}`);
      compared++;
    }
    summary.push(`${strategy}: ${compared} queries, ${rows.length} page candidates, ${excluded} flagged (left out of the CLI file)`);
    expect(differ, `${strategy}: ${differ.length} of ${compared} queries differ`).toEqual([]);
    console.log(summary[summary.length - 1]);
    // every judged query has a positive in the demo; strict filters (abs) leave some without negatives
    expect(compared).toBeGreaterThan(s.kind === 'topk' ? 290 : 50);
    const m = /excluded from the export \(flagged; no reviewer accepted them\): (.*)/.exec(log);
    const logged = m ? [...m[1].matchAll(/(\d+)/g)].reduce((n, x) => n + Number(x[1]), 0) : 0;
    expect(logged, `${strategy}: flagged candidates the CLI left out`).toBe(excluded);
  }
  test.info().annotations.push({ type: 'parity', description: summary.join('; ') });
});
