// Parity with PyTorch: our transformers.js + onnxruntime-node embeddings and cross-encoder
// logits against ../shared/reference/debian-pkgs-dev.jsonl (fp32 PyTorch rankings over the
// full corpus). CI-sized: a spread of dev queries and only the documents their reference
// lists name. Each query's reference top-12 is inside that subset, so the top 10 within the
// subset must equal the reference top 10 (any other subset document ranked below 12th).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docText } from '../../core/types';
import { loadCrossEncoder } from '../cross-encoder';
import { loadEmbedder, type TransformersEmbedder } from '../embedder';
import { localModelSource, nodeSessionOptions } from './local-model';

const SHARED = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
const MODELS = resolve(SHARED, 'models');
const QUERIES = 100;
const SUBSET_DEPTH = 12;
const RERANK_QUERIES = 10;
// Generous: the parity run takes well under a minute on an idle 2-core machine.
const TIMEOUT = 600_000;

interface RefLine {
  query_id: string;
  query: string;
  'pkgs-minilm': Array<[string, number]>;
  'pkgs-static': Array<[string, number]>;
  'pkgs-rerank@pkgs-minilm-top30': Array<[string, number]>;
}

let refs: RefLine[] = [];
const docs = new Map<string, string>();

beforeAll(() => {
  const all = readFileSync(resolve(SHARED, 'reference/debian-pkgs-dev.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RefLine);
  const step = Math.floor(all.length / QUERIES);
  refs = all.filter((_, i) => i % step === 0).slice(0, QUERIES);
  const need = new Set<string>();
  for (const r of refs) {
    for (const [d] of r['pkgs-minilm'].slice(0, SUBSET_DEPTH)) need.add(d);
    for (const [d] of r['pkgs-static'].slice(0, SUBSET_DEPTH)) need.add(d);
  }
  for (const r of refs.slice(0, RERANK_QUERIES)) for (const [d] of r['pkgs-rerank@pkgs-minilm-top30']) need.add(d);
  for (const line of readFileSync(resolve(SHARED, 'data/debian-pkgs/corpus.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line) as { _id: string; title: string; text: string };
    if (need.has(o._id)) docs.set(o._id, docText(o));
  }
  expect(docs.size).toBe(need.size);
});

interface Comparison {
  meanTop10Overlap: number;
  maxCosineDiff: number;
}

async function compare(model: 'pkgs-minilm' | 'pkgs-static', e: TransformersEmbedder): Promise<Comparison> {
  // Only the dense subset (not the reranker's extra documents) competes in the ranking.
  const subset = new Set<string>();
  for (const r of refs) for (const key of ['pkgs-minilm', 'pkgs-static'] as const) for (const [d] of r[key].slice(0, SUBSET_DEPTH)) subset.add(d);
  const docIds = [...subset];
  const dv = await e.embed(docIds.map((d) => docs.get(d)!), 'document');
  const qv = await e.embed(refs.map((r) => r.query), 'query');
  const row = new Map(docIds.map((d, i) => [d, i]));
  const dim = e.dim;
  let overlapSum = 0;
  let maxDiff = 0;
  refs.forEach((r, qi) => {
    const scores = docIds.map((_, j) => {
      let s = 0;
      for (let k = 0; k < dim; k++) s += qv[qi * dim + k] * dv[j * dim + k];
      return s;
    });
    const order = docIds.map((_, j) => j).sort((a, b) => scores[b] - scores[a]);
    const ours = new Set(order.slice(0, 10).map((j) => docIds[j]));
    const theirs = r[model].slice(0, 10).map(([d]) => d);
    overlapSum += theirs.filter((d) => ours.has(d)).length / 10;
    for (const [d, cos] of r[model].slice(0, SUBSET_DEPTH)) maxDiff = Math.max(maxDiff, Math.abs(scores[row.get(d)!] - cos));
  });
  return { meanTop10Overlap: overlapSum / refs.length, maxCosineDiff: maxDiff };
}

describe('embedding parity with PyTorch (Debian dev subset)', () => {
  const loaded: TransformersEmbedder[] = [];
  afterAll(async () => {
    for (const e of loaded) await e.dispose();
  });

  for (const model of ['pkgs-minilm', 'pkgs-static'] as const) {
    it(`${model} fp32: top-10 overlap ≥ 0.99, max |cosine diff| ≤ 1e-3`, async () => {
      const e = await loadEmbedder(localModelSource(resolve(MODELS, model), 'fp32'), { dtype: 'fp32', sessionOptions: nodeSessionOptions() });
      loaded.push(e);
      const c = await compare(model, e);
      console.info(`[parity] ${model} fp32`, c);
      expect(c.meanTop10Overlap).toBeGreaterThanOrEqual(0.99);
      expect(c.maxCosineDiff).toBeLessThanOrEqual(1e-3);
    }, TIMEOUT);
    it(`${model} q8: top-10 overlap ≥ 0.95`, async () => {
      const e = await loadEmbedder(localModelSource(resolve(MODELS, model), 'q8'), { dtype: 'q8', sessionOptions: nodeSessionOptions() });
      loaded.push(e);
      const c = await compare(model, e);
      console.info(`[parity] ${model} q8`, c);
      expect(c.meanTop10Overlap).toBeGreaterThanOrEqual(0.95);
    }, TIMEOUT);
  }

  it('truncates documents to 256 tokens including [CLS] and [SEP], queries to 32', async () => {
    const e = loaded[0];
    const long = Array.from({ length: 400 }, (_, i) => `word${i % 7}`).join(' ');
    const [d] = e.encode([long], 'document');
    const [q] = e.encode([long], 'query');
    expect(d.inputIds.length).toBe(256);
    expect(q.inputIds.length).toBe(32);
    expect(d.inputIds[255]).toBe(q.inputIds[31]); // both end in [SEP]
    expect(d.inputIds[0]).toBe(q.inputIds[0]); // and start with [CLS]
    expect(d.inputIds[255]).not.toBe(d.inputIds[254]);
  });
});

describe('cross-encoder parity with PyTorch', () => {
  it('pkgs-rerank fp32 logits within 1e-3 of pkgs-rerank@pkgs-minilm-top30', async () => {
    const ce = await loadCrossEncoder(localModelSource(resolve(MODELS, 'pkgs-rerank'), 'fp32'), {
      dtype: 'fp32',
      sessionOptions: nodeSessionOptions(),
    });
    const pairs: Array<[string, string]> = [];
    const expected: number[] = [];
    for (const r of refs.slice(0, RERANK_QUERIES)) {
      for (const [d, logit] of r['pkgs-rerank@pkgs-minilm-top30']) {
        pairs.push([r.query, docs.get(d)!]);
        expected.push(logit);
      }
    }
    const got = await ce.score(pairs);
    let maxDiff = 0;
    got.forEach((g, i) => (maxDiff = Math.max(maxDiff, Math.abs(g - expected[i]))));
    console.info('[parity] pkgs-rerank fp32', { pairs: pairs.length, maxLogitDiff: maxDiff });
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    // Pairs longer than 192 tokens are cut longest-first and keep both [SEP]s.
    const [enc] = ce.encode([[pairs[0][0], 'x '.repeat(500)]]);
    expect(enc.inputIds.length).toBe(192);
    expect(enc.tokenTypeIds[191]).toBe(1);
    await ce.dispose();
  }, TIMEOUT);
});
