// End-to-end tests of `quarry rank`, `eval` and `mine` on a small BEIR folder cut from the
// real Debian data (30 dev queries, their positives and 600 other packages), with BM25 and
// the fast pkgs-static model (plus pkgs-rerank for denoising). Expected values are computed
// independently here from the same core functions and the model run directly.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bm25Index } from '../../core/bm25';
import { sigmoid } from '../../core/denoise';
import { evaluate, qrelsFromList, type Qrels } from '../../core/metrics';
import { docText, type Doc, type Hit } from '../../core/types';
import { loadEmbedder, type TransformersEmbedder } from '../../runtime/embedder';
import { localModelSource } from '../../runtime/node/local-model';
import { loadCrossEncoder } from '../../runtime/cross-encoder';
import { run } from '../main';
import { readJsonlWithIds } from '../test-support/debian-slice';

const SHARED = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
const STATIC = resolve(SHARED, 'models/pkgs-static');
const RERANK = resolve(SHARED, 'models/pkgs-rerank');
const MINILM = resolve(SHARED, 'models/pkgs-minilm');
const TIMEOUT = 600_000;

let dir = '';
let docs: Doc[] = [];
let queries: Array<{ id: string; text: string }> = [];
let qrels: Qrels;
let embedder: TransformersEmbedder;

async function quarry(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quarry-cli-'));
  const data = resolve(SHARED, 'data/debian-pkgs');
  const dev = readFileSync(join(data, 'qrels/dev.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const qids = [...new Set(dev.map((r) => r[0]))].filter((_, i) => i % 150 === 0).slice(0, 30);
  const rows = dev.filter((r) => qids.includes(r[0]));
  const positives = new Set(rows.map((r) => r[1]));
  const lines = readFileSync(join(data, 'corpus.jsonl'), 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((l, i) => i % 100 === 0 || positives.has((JSON.parse(l) as { _id: string })._id));
  docs = kept.map((l) => JSON.parse(l) as { _id: string; title: string; text: string }).map((o) => ({ id: o._id, title: o.title, text: o.text }));
  const qlines = readFileSync(join(data, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l && qids.includes((JSON.parse(l) as { _id: string })._id));
  queries = qlines.map((l) => JSON.parse(l) as { _id: string; text: string }).map((o) => ({ id: o._id, text: o.text }));
  mkdirSync(join(dir, 'data/qrels'), { recursive: true });
  writeFileSync(join(dir, 'data/corpus.jsonl'), kept.join('\n') + '\n');
  writeFileSync(join(dir, 'data/queries.jsonl'), qlines.join('\n') + '\n');
  writeFileSync(join(dir, 'data/qrels/dev.tsv'), ['query-id\tcorpus-id\tscore', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
  qrels = qrelsFromList(rows.map((r) => ({ queryId: r[0], docId: r[1], score: Number(r[2]) })));
  embedder = await loadEmbedder(localModelSource(STATIC, 'fp32'), { dtype: 'fp32' });
}, TIMEOUT);

afterAll(async () => {
  await embedder?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('quarry eval', () => {
  it('prints exactly the contract JSON, members matching independent BM25 and cosine runs', async () => {
    const { code, stdout, stderr } = await quarry('eval', '--data', join(dir, 'data'), '--member', 'bm25', '--member', `dense:${STATIC}`, '--json');
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['split', 'queries', 'members', 'ensemble']);
    expect(out.split).toBe('dev');
    expect(out.queries).toBe(queries.length);
    expect(Object.keys(out.members)).toEqual(['bm25', 'pkgs-static']);
    for (const m of [out.members.bm25, out.members['pkgs-static'], out.ensemble]) {
      expect(Object.keys(m)).toEqual(['ndcg@10', 'mrr@10', 'recall@10', 'recall@100']);
    }
    expect(stderr).toMatch(/pkgs-static: embedding \d+ documents/);

    const bm25 = Bm25Index.build(docs.map((d) => ({ id: d.id, text: docText(d) })));
    const bmRun = new Map(queries.map((q) => [q.id, bm25.search(q.text, 100)]));
    const bmExpected = evaluate(bmRun, qrels);
    expect(out.members.bm25['ndcg@10']).toBeCloseTo(bmExpected['ndcg@10'], 10);
    expect(out.members.bm25['recall@100']).toBeCloseTo(bmExpected['recall@100'], 10);

    const dv = await embedder.embed(docs.map(docText), 'document');
    const qv = await embedder.embed(queries.map((q) => q.text), 'query');
    const dim = embedder.dim;
    const denseRun = new Map<string, Hit[]>();
    queries.forEach((q, i) => {
      const scores = docs.map((d, j): Hit => [d.id, cos(qv.subarray(i * dim, (i + 1) * dim), dv.subarray(j * dim, (j + 1) * dim))]);
      denseRun.set(q.id, scores.sort((a, b) => b[1] - a[1]).slice(0, 100));
    });
    const denseExpected = evaluate(denseRun, qrels);
    expect(out.members['pkgs-static']['ndcg@10']).toBeCloseTo(denseExpected['ndcg@10'], 5);
    expect(out.members['pkgs-static']['mrr@10']).toBeCloseTo(denseExpected['mrr@10'], 5);
  }, TIMEOUT);

  it('embeds nothing on a second run with --cache and gives the same numbers', async () => {
    const cache = join(dir, 'cache');
    const args = ['eval', '--data', join(dir, 'data'), '--member', `dense:${STATIC}`, '--cache', cache, '--json'];
    const first = await quarry(...args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/documents from cache 0, embedded \d+/);
    expect(readdirSync(cache).length).toBe(1);
    const second = await quarry(...args);
    expect(second.stderr).toMatch(/documents from cache \d+, embedded 0/);
    expect(second.stderr).toMatch(/queries from cache \d+, embedded 0/);
    expect(second.stdout).toBe(first.stdout);
  }, TIMEOUT);

  it('rejects bad members, weights and chunk specs with exit status 2', async () => {
    const bad = [
      ['--member', 'dense:x:pooling=weird'],
      ['--member', 'bm25', '--weights', '1,2'],
      ['--member', 'bm25', '--chunk', 'tokens:10'],
      ['--member', 'bm25', '--fusion', 'sum'],
    ];
    for (const extra of bad) {
      const r = await quarry('eval', '--data', join(dir, 'data'), ...extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^quarry eval: --(member|weights|chunk|fusion)/);
    }
    const missing = await quarry('eval', '--data', join(dir, 'data'), '--member', `dense:${join(dir, 'nope')}`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is not a folder/);
  }, TIMEOUT);
});

describe('quarry eval --concat', () => {
  it('adds the concatenated-embeddings member: its ranking is the weighted mean cosine over every document', async () => {
    const { code, stdout, stderr } = await quarry(
      'eval', '--data', join(dir, 'data'), '--member', `dense:${STATIC}`, '--member', `dense:${STATIC}:dtype=q8`, '--member', 'bm25',
      '--weights', '2,1,1', '--concat', '--concat-weight', '0.5', '--json',
    );
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out.members)).toHaveLength(4);
    expect(Object.keys(out.members).at(-1)).toBe('concat');
    expect(stderr).toMatch(/concat: .* ×2 \+ .* ×1 → dim 512/);

    // Independent: both models run directly, each document scored (2·cos_fp32 + 1·cos_q8) / 3.
    const q8 = await loadEmbedder(localModelSource(STATIC, 'q8'), { dtype: 'q8' });
    try {
      const parts: Array<{ d: Float32Array; q: Float32Array; dim: number }> = [];
      for (const e of [embedder, q8]) parts.push({ d: await e.embed(docs.map(docText), 'document'), q: await e.embed(queries.map((x) => x.text), 'query'), dim: e.dim });
      const run = new Map<string, Hit[]>();
      queries.forEach((q, i) => {
        const scored = docs.map((d, j): Hit => {
          const c = parts.map((p) => cos(p.q.subarray(i * p.dim, (i + 1) * p.dim), p.d.subarray(j * p.dim, (j + 1) * p.dim)));
          return [d.id, (2 * c[0] + c[1]) / 3];
        });
        run.set(q.id, scored.sort((a, b) => b[1] - a[1]).slice(0, 100));
      });
      const expected = evaluate(run, qrels);
      for (const k of ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100'] as const) expect(out.members.concat[k]).toBeCloseTo(expected[k], 5);
    } finally {
      await q8.dispose();
    }
  }, TIMEOUT);

  it('needs two dense members, and --concat-weight needs --concat', async () => {
    const one = await quarry('eval', '--data', join(dir, 'data'), '--member', `dense:${STATIC}`, '--member', 'bm25', '--concat');
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('--concat needs at least two dense members (got 1)');
    const orphan = await quarry('eval', '--data', join(dir, 'data'), '--member', 'bm25', '--concat-weight', '2');
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain('--concat-weight needs --concat');
    const list = await quarry('eval', '--data', join(dir, 'data'), '--member', 'bm25', '--concat', '--concat-weight', '1,2');
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('--concat-weight expects a number, got "1,2"');
  }, TIMEOUT);
});

describe('quarry rank', () => {
  it('writes one line per judged query with exact cosine top-k, best first', async () => {
    const out = join(dir, 'rank.jsonl');
    const r = await quarry('rank', '--data', join(dir, 'data'), '--member', `dense:${STATIC}`, '--top', '7', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { query_id: string; hits: Hit[] });
    expect(lines.map((l) => l.query_id)).toEqual(queries.map((q) => q.id));
    const byId = new Map(docs.map((d) => [d.id, d]));
    const first = lines[0];
    expect(first.hits).toHaveLength(7);
    for (let i = 1; i < 7; i++) expect(first.hits[i - 1][1]).toBeGreaterThanOrEqual(first.hits[i][1]);
    const qv = await embedder.embed([queries[0].text], 'query');
    const dv = await embedder.embed(first.hits.map(([id]) => docText(byId.get(id)!)), 'document');
    first.hits.forEach(([, score], i) => expect(score).toBeCloseTo(cos(qv, dv.subarray(i * embedder.dim, (i + 1) * embedder.dim)), 5));
  }, TIMEOUT);
});

describe('quarry mine', () => {
  const positivesOf = (qid: string) => new Set(qrels.get(qid)?.keys() ?? []);

  it('--with-ids never emits a positive as a negative (hard or random)', async () => {
    const out = join(dir, 'mine-triplet.jsonl');
    const r = await quarry('mine', '--data', join(dir, 'data'), '--split', 'dev', '--member', 'bm25', '--member', `dense:${STATIC}`, '--negatives', '4', '--random-negatives', '2', '--with-ids', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8').split('\n')[0]))).toEqual(['anchor', 'positive', 'negative']);
    const rows = readJsonlWithIds(out) as Array<{ query_id: string; positive_id: string; negative_ids: string[] }>;
    expect(rows.length).toBeGreaterThan(queries.length * 4);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['anchor', 'positive', 'negative', 'query_id', 'positive_id', 'negative_ids']);
      const pos = positivesOf(row.query_id);
      expect(pos.has(row.positive_id)).toBe(true);
      for (const n of row.negative_ids) expect(pos.has(n)).toBe(false);
    }
  }, TIMEOUT);

  it('abs and margin strategies hold on every row (cosine of the dense member)', async () => {
    const byId = new Map(docs.map((d) => [d.id, docText(d)]));
    const qtext = new Map(queries.map((q) => [q.id, q.text]));
    for (const [strategy, check] of [
      ['abs:0.6', (neg: number) => neg <= 0.6 + 1e-6],
      ['margin:0.05', (neg: number, hardestPos: number) => neg <= hardestPos - 0.05 + 1e-6],
    ] as const) {
      const out = join(dir, `mine-${strategy.replace(':', '-')}.jsonl`);
      const r = await quarry('mine', '--data', join(dir, 'data'), '--split', 'dev', '--member', 'bm25', '--member', `dense:${STATIC}`, '--strategy', strategy, '--negatives', '3', '--format', 'st-ntuple', '--with-ids', '--out', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`strategy ${strategy} on pkgs-static cosine`));
      const rows = readJsonlWithIds(out) as Array<{ query_id: string; negative_ids: string[] }>;
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const [qv] = [await embedder.embed([qtext.get(row.query_id)!], 'query')];
        const posIds = [...positivesOf(row.query_id)];
        const pv = await embedder.embed(posIds.map((id) => byId.get(id)!), 'document');
        const nv = await embedder.embed(row.negative_ids.map((id: string) => byId.get(id)!), 'document');
        const dim = embedder.dim;
        const hardest = Math.min(...posIds.map((_, i) => cos(qv, pv.subarray(i * dim, (i + 1) * dim))));
        row.negative_ids.forEach((_: string, i: number) => {
          const neg = cos(qv, nv.subarray(i * dim, (i + 1) * dim));
          expect(check(neg, hardest), `${strategy} ${row.query_id} neg ${neg} pos ${hardest}`).toBe(true);
        });
      }
    }
  }, TIMEOUT);

  it('with a reranker every exported negative was scored: flag pos_scores/neg_scores are the logits of exactly those pairs', async () => {
    // abs:0.01 calls most candidates suspects: scoring must go down the pool, not stop at 3N.
    const out = join(dir, 'mine-flag-deep.jsonl');
    const r = await quarry('mine', '--data', join(dir, 'data'), '--split', 'dev', '--member', 'bm25', '--member', `dense:${STATIC}`, '--strategy', 'percpos:0.95', '--range', '0:100', '--reranker', `${RERANK}:dtype=fp32`, '--denoise', 'abs:0.01', '--negatives', '5', '--format', 'flag', '--with-ids', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cross-encoder: \d+ pairs in [2-9]\d* rounds/);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    const qtext = new Map(queries.map((q) => [q.id, q.text]));
    const text = new Map(docs.map((d) => [d.id, docText(d)]));
    const pairs: Array<[string, string]> = [];
    const want: number[] = [];
    for (const row of rows) {
      expect(row.pos_scores, row.query_id).toHaveLength(row.pos.length);
      expect(row.neg_scores, row.query_id).toHaveLength(row.neg.length);
      row.positive_id.forEach((id: string, i: number) => (pairs.push([qtext.get(row.query_id)!, text.get(id)!]), want.push(row.pos_scores[i])));
      row.negative_ids.forEach((id: string, i: number) => (pairs.push([qtext.get(row.query_id)!, text.get(id)!]), want.push(row.neg_scores[i])));
      for (const s of row.neg_scores as number[]) expect(sigmoid(s)).toBeLessThan(0.01);
    }
    const ce = await loadCrossEncoder(localModelSource(RERANK, 'fp32'), { dtype: 'fp32' });
    try {
      const got = await ce.score(pairs);
      got.forEach((g, i) => expect(Math.abs(g - want[i]), `pair ${i}: ${pairs[i][1].slice(0, 40)}`).toBeLessThan(1e-4));
    } finally {
      await ce.dispose();
    }
  }, TIMEOUT);

  it('--reranker with --denoise abs:0.5 drops every negative the cross-encoder calls relevant', async () => {
    const small = join(dir, 'mine-flag.jsonl');
    const r = await quarry('mine', '--data', join(dir, 'data'), '--split', 'dev', '--member', 'bm25', '--reranker', `${RERANK}:dtype=q8`, '--denoise', 'abs:0.5', '--negatives', '2', '--format', 'flag', '--with-ids', '--out', small);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cross-encoder: scoring \d+ \(query, document\) pairs/);
    const rows = readFileSync(small, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    let scored = 0;
    for (const row of rows) {
      expect(row.neg_scores).toHaveLength(row.neg.length);
      for (const s of row.neg_scores as number[]) {
        expect(sigmoid(s)).toBeLessThan(0.5);
        scored++;
      }
      for (const n of row.negative_ids as string[]) expect(positivesOf(row.query_id).has(n)).toBe(false);
    }
    expect(scored).toBeGreaterThan(0);
  }, TIMEOUT);
});

describe('quarry mine selection rules', () => {
  const positivesOf = (qid: string) => new Set(qrels.get(qid)?.keys() ?? []);

  it('triangle with --concat holds on the concatenated embedding: sim(Q,D) > sim(Q,P) and > sim(P,D)', async () => {
    // two different models, so the concat space differs from the first member's
    const out = join(dir, 'mine-triangle.jsonl');
    const r = await quarry(
      'mine', '--data', join(dir, 'data'), '--split', 'dev', '--member', `dense:${STATIC}`, '--member', `dense:${MINILM}:dtype=q8`,
      '--concat', '--concat-weight', '0', '--strategy', 'triangle', '--range', 'st:0:60', '--sampling', 'random', '--negatives', '3',
      '--format', 'st-ntuple', '--with-ids', '--out', out,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('range st 0:60 (sentence-transformers range_min/range_max)');
    expect(r.stderr).toContain('sampling random');
    // Independent: both models run directly; the concat cosine is the mean of the two cosines.
    const minilm = await loadEmbedder(localModelSource(MINILM, 'q8'), { dtype: 'q8' });
    try {
      const index = new Map(docs.map((d, i) => [d.id, i]));
      const qIndex = new Map(queries.map((q, i) => [q.id, i]));
      const parts: Array<{ d: Float32Array; q: Float32Array; dim: number }> = [];
      for (const e of [embedder, minilm]) parts.push({ d: await e.embed(docs.map(docText), 'document'), q: await e.embed(queries.map((x) => x.text), 'query'), dim: e.dim });
      const vec = (p: { dim: number }, v: Float32Array, i: number) => v.subarray(i * p.dim, (i + 1) * p.dim);
      const qd = (k: number, qid: string, id: string) => cos(vec(parts[k], parts[k].q, qIndex.get(qid)!), vec(parts[k], parts[k].d, index.get(id)!));
      const dd = (k: number, a: string, b: string) => cos(vec(parts[k], parts[k].d, index.get(a)!), vec(parts[k], parts[k].d, index.get(b)!));
      const simQD = (qid: string, id: string) => (qd(0, qid, id) + qd(1, qid, id)) / 2;
      const simPD = (a: string, b: string) => (dd(0, a, b) + dd(1, a, b)) / 2;
      const rows = readJsonlWithIds(out) as Array<{ query_id: string; negative_ids: string[] }>;
      let checked = 0;
      for (const x of rows) {
        // measured against the hardest positive on the score source (the first dense member's cosine)
        const hardest = [...positivesOf(x.query_id)].reduce((a, b) => (qd(0, x.query_id, b) < qd(0, x.query_id, a) ? b : a));
        for (const n of x.negative_ids as string[]) {
          const s = simQD(x.query_id, n);
          expect(s, `${x.query_id} ${n}`).toBeGreaterThan(simQD(x.query_id, hardest) - 1e-5);
          expect(s, `${x.query_id} ${n}`).toBeGreaterThan(simPD(hardest, n) - 1e-5);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    } finally {
      await minilm.dispose();
    }
  }, TIMEOUT);

  it('simans logs its effective sampling distribution; bad --range and --sampling are usage errors', async () => {
    const out = join(dir, 'mine-simans.jsonl');
    const r = await quarry('mine', '--data', join(dir, 'data'), '--split', 'dev', '--member', `dense:${STATIC}`, '--strategy', 'simans', '--negatives', '3', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const m = /simans sampling \(mean over queries\): top-10 mass ([\d.]+) \(uniform ([\d.]+)\), effective pool ([\d.]+) of ([\d.]+)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    // the cosine default (a = 100) is far from uniform
    expect(Number(m![1])).toBeGreaterThan(1.5 * Number(m![2]));
    const bad = await quarry('mine', '--data', join(dir, 'data'), '--member', 'bm25', '--range', 'flag:0:10', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--range: range "flag:0:10": expected [window:|st:]MIN:MAX');
    const badSampling = await quarry('mine', '--data', join(dir, 'data'), '--member', 'bm25', '--sampling', 'best', '--out', out);
    expect(badSampling.code).toBe(2);
    expect(badSampling.stderr).toContain('--sampling must be one of top, random; got "best"');
  }, TIMEOUT);
});

describe('quarry mine --score-source cross-encoder', () => {
  it('applies the margin to cross-encoder logits (sentence-transformers with a cross_encoder)', async () => {
    const out = join(dir, 'mine-ce-source.jsonl');
    const r = await quarry(
      'mine', '--data', join(dir, 'data'), '--split', 'dev', '--member', 'bm25', '--reranker', `${RERANK}:dtype=q8`, '--denoise', 'none',
      '--score-source', 'cross-encoder', '--strategy', 'margin:1', '--range', 'st:0:20', '--negatives', '3', '--format', 'flag', '--with-ids', '--out', out,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('strategy margin:1 on cross-encoder logit');
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    let checked = 0;
    for (const row of rows) {
      // pos_scores / neg_scores are the logits of exactly these pairs; the rule used the hardest
      // positive of the query, whose logit is ≤ every positive's here
      const pos = Math.min(...(row.pos_scores as number[]));
      for (const s of row.neg_scores as number[]) {
        expect(s).toBeLessThanOrEqual(pos - 1 + 1e-5);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    const noReranker = await quarry('mine', '--data', join(dir, 'data'), '--member', 'bm25', '--score-source', 'cross-encoder', '--out', out);
    expect(noReranker.code).toBe(2);
    expect(noReranker.stderr).toContain('--score-source cross-encoder needs --reranker');
  }, TIMEOUT);
});
