// Bench rows "mining-browser": the same mining run on the full Debian dev split (64,553
// documents, 4,984 queries) in the app in headless Chromium and with `quarry mine` in Node,
// in one bench run, and the ratio of the two.
//
// Browser: a fresh project imports corpus.jsonl, queries.jsonl and qrels/dev.tsv through the
// Data page, then the Mine page runs pkgs-static + BM25 (soft-z, the page's default
// strategy, no reranker). Its time is the run's own start → done as the app stores it
// (run.timing, written by the mining worker), so the import and page loads are not in it.
// CLI: `quarry mine` (in this process, as bin/quarry.mjs runs it) with the run's stored
// configuration (member specs, fusion, strategy, range, counts), no embedding cache: it
// embeds the corpus as the browser did.
//
// `npm run bench -- mining-browser`. Env: QUARRY_BENCH_DTYPE=fp32 (default q8, the bundled
// weights; fp32 is served from ../shared/models), QUARRY_BENCH_MINILM=1 adds pkgs-minilm
// (about 0.3× native speed in the browser: ~25 min for the corpus on 2 cores), and
// QUARRY_BENCH_VERBOSE=1 prints the CLI's log and the browser's stage times.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { run as quarry } from '../../src/cli/main';
import type { RunRecord } from '../../src/db/schema';
import { descendantCpuSeconds } from '../lib/cpu';
import { DEBIAN, fmt, headlessChromium, previewServer, ROOT, SHARED } from '../lib/env';
import type { Row } from '../types';

export const name = 'mining: browser vs CLI (Debian dev)';

const DTYPE = process.env.QUARRY_BENCH_DTYPE === 'fp32' ? 'fp32' : 'q8';
const DENSE = process.env.QUARRY_BENCH_MINILM === '1' ? ['pkgs-minilm', 'pkgs-static'] : ['pkgs-static'];
const VERBOSE = process.env.QUARRY_BENCH_VERBOSE === '1';
const SEED = 42;
const MINUTES = 60_000;

/** Flags that keep a candidate out of `quarry mine`'s file (no reviewer there): core exclusionReason. */
const EXCLUDING = new Set(['suspected-false-negative', 'near-duplicate', 'duplicate-of-positive']);

interface StoredCandidate {
  runId: string;
  queryId: string;
  docId: string;
  rank: number;
  flags: string[];
}

function readStore<T>(page: Page, store: string, runId?: string): Promise<T[]> {
  return page.evaluate(
    ([store, runId]) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('quarry');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const st = open.result.transaction(store, 'readonly').objectStore(store);
          const req = runId ? st.index('runId').getAll(runId) : st.getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result as T[]);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    [store, runId] as const,
  );
}

interface BrowserRun {
  run: RunRecord;
  ms: number;
  cpu: number;
  load: [number, number];
  candidates: StoredCandidate[];
}

async function mineInBrowser(): Promise<BrowserRun> {
  const url = await previewServer();
  const browser = await headlessChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
  try {
    if (DTYPE === 'fp32') {
      // fp32 weights are not bundled in public/: serve them from ../shared/models (as the e2e tests do).
      await context.route(
        (u) => /^\/models\/pkgs-(static|minilm)\/onnx\/model\.onnx$/.test(u.pathname),
        (route) => route.fulfill({ path: join(SHARED, 'models', /pkgs-(static|minilm)/.exec(route.request().url())![0], 'onnx', 'model.onnx'), contentType: 'application/octet-stream' }),
      );
    }
    const page = await context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`  page error: ${e.message}\n`));
    await page.goto(`${url}/#/`);
    await page.getByLabel('New project').fill('Mining bench');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('file-input').waitFor({ state: 'attached' });
    await page.getByTestId('file-input').setInputFiles(['corpus.jsonl', 'queries.jsonl', 'qrels/dev.tsv'].map((f) => join(DEBIAN, f)));
    const status = page.getByTestId('import-status');
    await status.and(page.locator('[data-state="done"], [data-state="failed"], [data-state="cancelled"]')).waitFor({ timeout: 15 * MINUTES });
    if ((await status.getAttribute('data-state')) !== 'done') throw new Error(`import ended ${await status.getAttribute('data-state')}: ${await status.textContent()}`);
    const projectId = decodeURIComponent(/#\/p\/([^/]+)\//.exec(page.url())![1]);

    await page.goto(`${url}/#/p/${encodeURIComponent(projectId)}/mine`);
    const form = page.getByRole('form', { name: 'Mining configuration' });
    await form.locator('input[type=checkbox][data-member="bm25"]').waitFor();
    for (const box of await form.locator('input[type=checkbox][data-member]').all()) {
      const member = (await box.getAttribute('data-member')) ?? '';
      await box.setChecked(member === 'bm25' || DENSE.includes(member));
    }
    for (const m of DENSE) await form.getByLabel(`dtype of ${m}`).selectOption(DTYPE);
    await form.getByLabel('reranker', { exact: true }).selectOption('');
    await form.getByLabel('split').selectOption('dev').catch(() => undefined); // only one split imported: may be no picker

    const before = page.url();
    const load0 = loadavg()[0];
    const cpu0 = descendantCpuSeconds();
    await page.getByRole('button', { name: 'Start mining' }).click();
    await page.waitForURL((u) => u.toString() !== before && /\/mine\/[^/]+$/.test(u.toString()));
    const runId = decodeURIComponent(/\/mine\/([^/]+)$/.exec(page.url())![1]);
    await page.getByTestId('run-status').filter({ hasText: /^(done|failed|cancelled)$/ }).waitFor({ timeout: 60 * MINUTES });
    const cpu = descendantCpuSeconds() - cpu0;
    const load1 = loadavg()[0];
    const run = (await readStore<RunRecord>(page, 'runs')).find((r) => r.id === runId)!;
    if (run.status !== 'done') throw new Error(`browser run ended ${run.status}: ${run.error ?? ''}`);
    if (run.timing?.finishedAt === undefined) throw new Error('the run stored no timing');
    const candidates = await readStore<StoredCandidate>(page, 'candidates', runId);
    return { run, ms: run.timing.finishedAt - run.timing.startedAt, cpu, load: [load0, load1], candidates };
  } finally {
    await context.close();
  }
}

interface CliRun {
  seconds: number;
  cpu: number;
  load: [number, number];
  negatives: Map<string, string[]>;
  log: string;
}

/** `quarry mine` with the browser run's configuration, no cache. */
async function mineWithCli(config: RunRecord['config']): Promise<CliRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'quarry-bench-mine-'));
  try {
    const out = join(tmp, 'mined.jsonl');
    const members = config.members.flatMap((m) => ['--member', m.spec.replace(/^dense:(pkgs-[a-z]+)/, (_, id: string) => `dense:${join(SHARED, 'models', id)}`)]);
    const weights = config.members.map((m) => m.weight).join(',');
    const argv = [
      'mine', '--data', DEBIAN, '--split', config.split, ...members, '--fusion', config.fusion, '--weights', weights,
      '--strategy', config.strategy, '--range', `${config.rangeSemantics ?? 'window'}:${config.range.join(':')}`,
      '--negatives', String(config.negatives), '--random-negatives', String(config.randomNegatives),
      '--seed', String(SEED), '--format', 'flag', '--with-ids', '--out', out,
    ];
    let log = '';
    const load0 = loadavg()[0];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const code = await quarry(argv, { stdout: () => {}, stderr: (t) => void (log += t), cwd: ROOT });
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    const load1 = loadavg()[0];
    if (code !== 0) throw new Error(`quarry mine exited ${code}: ${log.trim().split('\n').slice(-3).join(' / ')}`);
    const negatives = new Map<string, string[]>();
    for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
      const row = JSON.parse(line) as { query_id: string; negative_ids: string[] };
      negatives.set(row.query_id, row.negative_ids);
    }
    return { seconds, cpu: (c.user + c.system) / 1e6, load: [load0, load1], negatives, log: `quarry ${argv.join(' ')}\n${log}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Queries whose negatives (ids, hard ones in order) are the same in the app and in the CLI's file. */
function sameNegatives(app: StoredCandidate[], cli: Map<string, string[]>): { same: number; queries: number } {
  const byQuery = new Map<string, StoredCandidate[]>();
  for (const c of app) if (!c.flags.some((f) => EXCLUDING.has(f))) byQuery.set(c.queryId, [...(byQuery.get(c.queryId) ?? []), c]);
  let same = 0;
  const ids = new Set([...byQuery.keys(), ...cli.keys()]);
  for (const q of ids) {
    const mine = (byQuery.get(q) ?? []).filter((c) => c.rank > 0).sort((a, b) => a.rank - b.rank).map((c) => c.docId);
    if (JSON.stringify(mine) === JSON.stringify(cli.get(q) ?? [])) same++;
  }
  return { same, queries: ids.size };
}

export async function run(): Promise<Row[]> {
  const b = await mineInBrowser();
  const stages = Object.entries(b.run.timing!.stageMs).map(([s, ms]) => `${s} ${fmt(ms / 1000, 1)}`).join(', ');
  if (VERBOSE) process.stderr.write(`  browser stages (s): ${stages}\n`);
  const c = await mineWithCli(b.run.config);
  if (VERBOSE) process.stderr.write(c.log);
  const browserS = b.ms / 1000;
  const what = `${DENSE.join(' + ')} ${DTYPE} + BM25, ${b.run.config.fusion}, ${b.run.config.strategy}, ranks ${b.run.config.range.join(':')}, ${b.run.config.negatives} neg`;
  const parity = sameNegatives(b.candidates, c.negatives);
  const cores = cpus().length;
  return [
    {
      row: 'mining: browser run, Debian dev (Chromium)',
      value: Math.round(browserS * 10) / 10,
      unit: 's',
      detail: `${what}; run start→done as the app stores it; stages (s, overlapping): ${stages}; ${fmt(b.cpu, 1)} cpu-s (all Chromium processes); load avg ${fmt(b.load[0], 1)}→${fmt(b.load[1], 1)} on ${cores} cores`,
    },
    {
      row: 'mining: quarry mine, same configuration (Node)',
      value: Math.round(c.seconds * 10) / 10,
      unit: 's',
      detail: `no embedding cache; ${fmt(c.cpu, 1)} cpu-s; load avg ${fmt(c.load[0], 1)}→${fmt(c.load[1], 1)}; same negatives on ${fmt(parity.same)} of ${fmt(parity.queries)} queries`,
    },
    {
      row: 'mining: browser / CLI time',
      value: Math.round((browserS / c.seconds) * 100) / 100,
      unit: '×',
      detail: `target ≤ 2.5×; cpu-s ratio ${fmt(b.cpu / c.cpu, 2)}`,
    },
  ];
}
