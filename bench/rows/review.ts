// Bench row "review": keypress → next candidate painted, on a run over the full Debian
// corpus (64,553 documents; every dev query with its top-30 fused candidates from the
// PyTorch reference rankings, ~150k candidates), in Chromium against the built app.
//
// The page records performance.now() in a capture-phase keydown listener, then checks
// the active candidate on every animation frame; the first frame that shows the next
// candidate ends the sample (the frame that paints it). Reported: median and p95 ms.
//
// In the table: `npm run bench -- review`; alone: `node --import tsx bench/rows/review.ts`
// (QUARRY_SHARED: folder with data/ and reference/, default ../shared; QUARRY_BENCH_URL:
// an already running `vite preview`; QUARRY_BENCH_PROFILE: keep the seeded browser
// profile in that folder between runs; QUARRY_BENCH_VERBOSE=1: progress on stderr;
// QUARRY_BENCH_STORED=N: N decisions already stored before measuring, on the run's last
// candidates, as a reviewer part-way through the run has them; default 0).
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { cleanupAll, fmt, headlessChromium, previewServer, SHARED } from '../lib/env';
import type { Row } from '../types';
import type { CandidateRecord, DocumentRecord, ProjectRecord, QrelRecord, QueryRecord, RunRecord } from '../../src/db/schema';

export interface ReviewBenchResult {
  name: string;
  docs: number;
  queries: number;
  candidates: number;
  seedSeconds: number;
  firstPaintSeconds: number;
  /** Until the whole run is loaded (progress counts shown). */
  runLoadedSeconds: number;
  /** The IndexedDB transaction of one decision (decisions + decisionEvents), median and p95. */
  writeMedianMs: number;
  writeP95Ms: number;
  samples: number;
  /** Key presses after which the cursor did not move within 10 s (should be 0). */
  stuck: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

const PROJECT = 'review-bench';
const RUN = 'review-bench-run';
const PER_QUERY = 30;

async function* jsonLines<T>(file: string): AsyncGenerator<T> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) yield JSON.parse(line) as T;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Candidates from the reference rankings: z-score fusion of the two dense members, positives removed. */
export async function loadDebianRun(shared: string) {
  const dir = join(shared, 'data', 'debian-pkgs');
  const documents: DocumentRecord[] = [];
  for await (const d of jsonLines<{ _id: string; title: string; text: string }>(join(dir, 'corpus.jsonl'))) {
    documents.push({ projectId: PROJECT, id: d._id, title: d.title ?? '', text: d.text ?? '' });
  }
  const qrels: QrelRecord[] = [];
  const positives = new Map<string, Set<string>>();
  const tsv = createInterface({ input: createReadStream(join(dir, 'qrels', 'dev.tsv')) });
  let header = true;
  for await (const line of tsv) {
    if (header) {
      header = false;
      continue;
    }
    const [q, d, s] = line.split('\t');
    if (!q || !d) continue;
    qrels.push({ projectId: PROJECT, split: 'dev', queryId: q, docId: d, score: Number(s), source: 'import' });
    if (!positives.has(q)) positives.set(q, new Set());
    positives.get(q)!.add(d);
  }
  const queries: QueryRecord[] = [];
  const candidates: CandidateRecord[] = [];
  type Ref = { query_id: string; query: string; 'pkgs-minilm': [string, number][]; 'pkgs-static': [string, number][]; 'pkgs-rerank@pkgs-minilm-top30': [string, number][] };
  for await (const r of jsonLines<Ref>(join(shared, 'reference', 'debian-pkgs-dev.jsonl'))) {
    queries.push({ projectId: PROJECT, id: r.query_id, text: r.query });
    const pos = positives.get(r.query_id) ?? new Set<string>();
    const members = { 'pkgs-minilm': r['pkgs-minilm'], 'pkgs-static': r['pkgs-static'] };
    const fused = new Map<string, number>();
    const ranks = new Map<string, Record<string, { rank: number | null; score: number | null }>>();
    for (const [name, hits] of Object.entries(members)) {
      const xs = hits.map((h) => h[1]);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
      hits.forEach(([doc, score], i) => {
        fused.set(doc, (fused.get(doc) ?? 0) + (score - mean) / sd);
        const m = ranks.get(doc) ?? {};
        m[name] = { rank: i + 1, score };
        ranks.set(doc, m);
      });
    }
    const ce = new Map(r['pkgs-rerank@pkgs-minilm-top30']);
    const cePositive = Math.max(...[...pos].map((p) => ce.get(p) ?? -Infinity));
    const list = [...fused].filter(([d]) => !pos.has(d)).sort((a, b) => b[1] - a[1]).slice(0, PER_QUERY);
    list.forEach(([doc, score], i) => {
      const m = ranks.get(doc)!;
      for (const name of Object.keys(members)) m[name] ??= { rank: null, score: null };
      candidates.push({
        runId: RUN,
        projectId: PROJECT,
        queryId: r.query_id,
        docId: doc,
        rank: i + 1,
        fused: Math.round(score * 1000) / 1000,
        members: m,
        ...(ce.has(doc) ? { ce: ce.get(doc)! } : {}),
        ...(Number.isFinite(cePositive) ? { cePositive } : {}),
        flags: ce.has(doc) && Number.isFinite(cePositive) && ce.get(doc)! > cePositive ? ['suspected-false-negative'] : [],
      });
    });
  }
  const project: ProjectRecord = { id: PROJECT, name: 'Review bench (Debian)', createdAt: Date.now(), guidelines: '# Bench\n' };
  const run: RunRecord = {
    id: RUN,
    projectId: PROJECT,
    name: 'Debian dev, reference rankings',
    createdAt: Date.now(),
    config: {
      split: 'dev',
      members: [
        { spec: 'dense:pkgs-minilm', name: 'pkgs-minilm', weight: 1 },
        { spec: 'dense:pkgs-static', name: 'pkgs-static', weight: 1 },
      ],
      fusion: 'soft-z',
      strategy: 'topk',
      range: [1, PER_QUERY],
      negatives: PER_QUERY,
      randomNegatives: 0,
      reranker: 'pkgs-rerank',
      chunk: 'none',
      depth: 50,
    },
    status: 'done',
    stages: {},
  };
  return { project, run, documents, queries, qrels, candidates };
}

export async function runReviewBench(opts: { shared?: string; samples?: number; stored?: number } = {}): Promise<ReviewBenchResult> {
  const shared = opts.shared ?? SHARED;
  if (!existsSync(join(shared, 'reference', 'debian-pkgs-dev.jsonl'))) throw new Error(`${shared}/reference/debian-pkgs-dev.jsonl not found (set QUARRY_SHARED)`);
  const nSamples = opts.samples ?? Number(process.env.QUARRY_BENCH_SAMPLES ?? 120);
  const stored = opts.stored ?? Number(process.env.QUARRY_BENCH_STORED ?? 0);
  const data = await loadDebianRun(shared);
  const url = await previewServer();
  const exe = process.env.QUARRY_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  // QUARRY_BENCH_PROFILE: a browser profile folder kept between runs, so the (slow)
  // seeding of 150k candidates happens once; decisions are cleared before measuring.
  const profile = process.env.QUARRY_BENCH_PROFILE;
  const launch = { executablePath: exe, args: ['--no-sandbox', '--disable-gpu'] };
  const context = profile
    ? await chromium.launchPersistentContext(profile, { ...launch, viewport: { width: 1400, height: 900 } })
    : await (await headlessChromium()).newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/#/`);
    await page.waitForFunction(() => !!window.__quarryTest?.review, null, { timeout: 60_000 });
    const t0 = Date.now();
    const have = await page.evaluate((r) => window.__quarryTest!.review!.countCandidates(r), RUN);
    await page.evaluate((p) => window.__quarryTest!.review!.clearDecisions(p), PROJECT);
    const log = (m: string) => process.env.QUARRY_BENCH_VERBOSE && console.error(`[review bench] ${((Date.now() - t0) / 1000).toFixed(1)} s ${m}`);
    const send = (rows: Record<string, unknown>) => page.evaluate((r) => window.__quarryTest!.review!.seedRows(r as never), rows);
    if (have !== data.candidates.length) {
      await send({ project: data.project, run: data.run });
      for (const [key, rows] of [['documents', data.documents], ['queries', data.queries], ['qrels', data.qrels], ['candidates', data.candidates]] as const) {
        for (let i = 0; i < rows.length; i += 10_000) await send({ [key]: rows.slice(i, i + 10_000) });
        log(`seeded ${rows.length} ${key}`);
      }
    }
    if (stored > 0) {
      const at = Date.now();
      const rows = data.candidates.slice(-stored).map((c, i) => ({ projectId: PROJECT, queryId: c.queryId, docId: c.docId, reviewer: 'reviewer', label: i % 7 ? ('accept' as const) : ('reject' as const), at, runId: RUN, ms: 1500 + (i % 900) }));
      for (let i = 0; i < rows.length; i += 10_000) await page.evaluate((r) => window.__quarryTest!.review!.seedDecisions(r), rows.slice(i, i + 10_000));
      log(`stored ${rows.length} decisions`);
    }
    const seedSeconds = (Date.now() - t0) / 1000;
    // The guidelines open on first visit; mark them seen so the bench starts on the queue.
    await page.evaluate((p) => localStorage.setItem(`quarry.review.guidelinesSeen.${p}.reviewer`, '1'), PROJECT);
    const t1 = Date.now();
    await page.goto(`${url}/#/p/${PROJECT}/review/${RUN}`);
    await page.locator('[data-testid="candidate"][data-active]').waitFor({ timeout: 120_000 });
    const firstPaintSeconds = (Date.now() - t1) / 1000;
    log(`first candidate on screen after ${firstPaintSeconds} s`);
    await page.getByTestId('count-reviewed').waitFor({ timeout: 300_000 });
    const runLoadedSeconds = (Date.now() - t1) / 1000;
    log(`whole run loaded after ${runLoadedSeconds} s`);
    await page.evaluate(() => performance.clearMeasures('review:write'));
    // A string, not a function: the TS loader would inject helpers the page lacks.
    await page.evaluate(`(() => {
      window.__rvBench = [];
      const active = () => document.querySelector('[data-testid="candidate"][data-active]')?.getAttribute('data-doc') + '|' + document.querySelector('[data-testid="query-text"]')?.textContent;
      window.addEventListener('keydown', () => {
        const start = performance.now();
        const before = active();
        const check = () => {
          if (active() !== before) window.__rvBench.push(performance.now() - start);
          else if (performance.now() - start > 10000) window.__rvBench.push(NaN);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }, { capture: true });
    })()`);
    // Mostly accepts/rejects (each writes to IndexedDB before moving), some moves.
    const keys = ['a', 'a', 'x', 'a', 'j', 'a', 'a', 'x', 'k', 'a'];
    for (let i = 0; i < nSamples; i++) {
      await page.keyboard.press(keys[i % keys.length]);
      await page.waitForFunction((n) => (window as unknown as { __rvBench: number[] }).__rvBench.length >= n, i + 1);
    }
    const raw = await page.evaluate(() => (window as unknown as { __rvBench: number[] }).__rvBench);
    const writes = (await page.evaluate(() => performance.getEntriesByName('review:write').map((e) => e.duration))).sort((a, b) => a - b);
    const ok = raw.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    log(`samples ms: ${raw.map((x) => x.toFixed(0)).join(' ')}`);
    return {
      name: `review: keypress → next candidate painted (Debian, full corpus${stored ? `, ${stored} decisions stored` : ''})`,
      docs: data.documents.length,
      queries: data.queries.length,
      candidates: data.candidates.length,
      seedSeconds,
      firstPaintSeconds,
      runLoadedSeconds,
      writeMedianMs: writes.length ? Math.round(quantile(writes, 0.5) * 10) / 10 : NaN,
      writeP95Ms: writes.length ? Math.round(quantile(writes, 0.95) * 10) / 10 : NaN,
      samples: ok.length,
      stuck: raw.length - ok.length,
      medianMs: Math.round(quantile(ok, 0.5) * 10) / 10,
      p95Ms: Math.round(quantile(ok, 0.95) * 10) / 10,
      maxMs: Math.round(ok[ok.length - 1] * 10) / 10,
    };
  } finally {
    await context.close();
  }
}

export const name = 'review (browser)';

export async function run(): Promise<Row[]> {
  const r = await runReviewBench();
  const detail = `IndexedDB write per decision: median ${fmt(r.writeMedianMs, 1)} ms, p95 ${fmt(r.writeP95Ms, 1)} ms; ${fmt(r.samples)} key presses (accept/reject/move) on ${fmt(r.candidates)} candidates, ${fmt(r.queries)} queries, ${fmt(r.docs)} docs; p95 ${fmt(r.p95Ms, 1)} ms, max ${fmt(r.maxMs, 1)} ms${r.stuck ? `; ${r.stuck} key presses did not move` : ''}`;
  return [
    { row: 'review: keypress → next candidate painted, median (Chromium)', value: r.medianMs, unit: 'ms', detail },
    { row: 'review: keypress → next candidate painted, p95 (Chromium)', value: r.p95Ms, unit: 'ms', detail: 'target ≤ 50 ms' },
    { row: 'review: open a run of the full corpus → first candidate (Chromium)', value: r.firstPaintSeconds, unit: 's', detail: `whole run (${fmt(r.candidates)} candidates) loaded after ${fmt(r.runLoadedSeconds, 1)} s; seeding took ${fmt(r.seedSeconds, 1)} s` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runReviewBench()
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    })
    .finally(() => cleanupAll());
}
