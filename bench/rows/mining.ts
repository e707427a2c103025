// Bench rows "mining": the CLI retrieval path on the full Debian corpus (dev split), in Node —
// BM25 build and search, exact top-k over pkgs-static vectors, and `quarry eval` wall time
// with a warm embedding cache (cold only with QUARRY_BENCH_COLD=1: it embeds 2 × 64.5k docs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withEmbeddingCache } from '../../src/cli/cache/embedding-cache';
import { run as quarry } from '../../src/cli/main';
import { loadSplit } from '../../src/cli/pipeline/data';
import { denseEmbedderSettings, MEMBER_DEPTH } from '../../src/cli/pipeline/members';
import { Bm25Index } from '../../src/core/bm25';
import type { MetricValues } from '../../src/core/metrics';
import { parseMemberSpec, type DenseSpec } from '../../src/core/spec/member-spec';
import { exactTopK } from '../../src/core/topk';
import { docText } from '../../src/core/types';
import { loadEmbedder } from '../../src/runtime/embedder';
import { localModelSource } from '../../src/runtime/node/local-model';
import { DEBIAN, fmt, ROOT, SHARED } from '../lib/env';
import type { Row } from '../types';

export const name = 'mining (Node)';

/** The eval members, as the CLI takes them (the cache key ignores where the model folder is). */
const MEMBERS = [`dense:${join(SHARED, 'models', 'pkgs-minilm')}`, `dense:${join(SHARED, 'models', 'pkgs-static')}`, 'bm25'];
const CACHE = '.cache/bench-emb';
const secs = (t0: number) => (performance.now() - t0) / 1000;

interface EvalRun {
  seconds: number;
  ndcg10: number;
  /** Documents + queries the run had to embed (0 = everything came from the cache). */
  embedded: number;
}

/** `quarry eval` in-process; stderr progress is parsed for the cache's "embedded N" counts. */
async function evalRun(cacheDir: string): Promise<EvalRun> {
  const argv = ['eval', '--data', DEBIAN, '--split', 'dev', ...MEMBERS.flatMap((m) => ['--member', m]), '--fusion', 'soft-z', '--cache', cacheDir, '--json'];
  let out = '';
  let err = '';
  const t0 = performance.now();
  const code = await quarry(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: ROOT });
  const seconds = secs(t0);
  if (code !== 0) throw new Error(`quarry eval exited ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`);
  const embedded = [...err.matchAll(/embedded (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  const json = JSON.parse(out) as { ensemble: Partial<MetricValues> };
  const ndcg10 = json.ensemble['ndcg@10'];
  if (typeof ndcg10 !== 'number') throw new Error(`quarry eval --json: no ensemble ndcg@10 in ${out.slice(0, 200)}`);
  return { seconds, ndcg10, embedded };
}

export async function run(): Promise<Row[]> {
  const io = { stdout: () => {}, stderr: () => {}, cwd: ROOT };
  const data = await loadSplit(DEBIAN, 'dev', io, () => {});
  const { docs, queries } = data;
  const nq = queries.length;
  const rows: Row[] = [];

  // (1) BM25: build over docText of every document, then every dev query at the eval depth.
  let t0 = performance.now();
  const bm25 = Bm25Index.build(docs.map((d) => ({ id: d.id, text: docText(d) })));
  const build = secs(t0);
  t0 = performance.now();
  for (const q of queries) bm25.search(q.text, MEMBER_DEPTH);
  const search = secs(t0);
  rows.push(
    { row: 'mining: BM25 index build (core Bm25Index)', value: Math.round(build * 100) / 100, unit: 's', detail: `${fmt(docs.length)} docs (${fmt(docs.length / build)} docs/s)` },
    { row: `mining: BM25 search, top-${MEMBER_DEPTH}`, value: Math.round((search / nq) * 1000 * 100) / 100, unit: 's / 1k queries', detail: `${fmt(nq)} dev queries in ${fmt(search, 2)} s over ${fmt(docs.length)} docs` },
  );

  // (2) Exact top-k over pkgs-static fp32 vectors, embedded through the CLI runtime + disk cache.
  const spec = parseMemberSpec(MEMBERS[1]) as DenseSpec;
  const inner = await loadEmbedder(localModelSource(resolve(ROOT, spec.model), spec.dtype), denseEmbedderSettings(spec));
  const emb = withEmbeddingCache(inner, resolve(ROOT, CACHE));
  t0 = performance.now();
  const dv = await emb.embed(docs.map(docText), 'document');
  const qv = await emb.embed(queries.map((q) => q.text), 'query');
  const embSecs = secs(t0);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    t0 = performance.now();
    exactTopK(qv, nq, dv, docs.length, emb.dim, MEMBER_DEPTH);
    best = Math.min(best, secs(t0));
  }
  rows.push({
    row: `mining: exact top-${MEMBER_DEPTH}, pkgs-static fp32 (core exactTopK)`,
    value: Math.round((best / nq) * 1000 * 1000) / 1000,
    unit: 's / 1k queries',
    detail: `${fmt(nq)} queries × ${fmt(docs.length)} docs × dim ${emb.dim} in ${fmt(best, 2)} s, best of 3; vectors: ${fmt(emb.stats.hits)} from cache, ${fmt(emb.stats.misses)} embedded (${fmt(embSecs, 1)} s)`,
  });

  // (3) Full eval with a warm cache; a first run on an empty cache fills it, then runs again.
  let fill = '';
  let warm = await evalRun(CACHE);
  if (warm.embedded > 0) {
    fill = `; cache filled in this run: ${fmt(warm.seconds, 1)} s (${fmt(warm.embedded)} texts embedded)`;
    warm = await evalRun(CACHE);
  }
  const what = `${fmt(nq)} dev queries, ${fmt(docs.length)} docs, members minilm + static + bm25, soft-z`;
  rows.push({
    row: 'mining: quarry eval, Debian dev, warm cache',
    value: Math.round(warm.seconds * 10) / 10,
    unit: 's',
    detail: `${what}; ensemble nDCG@10 ${warm.ndcg10.toFixed(4)}; ${CACHE}${fill}`,
  });

  // (4) Cold eval: a fresh cache folder, so both dense models embed the whole corpus.
  if (process.env.QUARRY_BENCH_COLD === '1') {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-cold-'));
    try {
      const cold = await evalRun(dir);
      rows.push({
        row: 'mining: quarry eval, Debian dev, cold cache',
        value: Math.round(cold.seconds * 10) / 10,
        unit: 's',
        detail: `${what}; ensemble nDCG@10 ${cold.ndcg10.toFixed(4)}; ${fmt(cold.embedded)} texts embedded`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    rows.push({ row: 'mining: quarry eval, Debian dev, cold cache', value: 'skipped', detail: 'takes ~10 min; run QUARRY_BENCH_COLD=1 npm run bench -- mining' });
  }
  return rows;
}
