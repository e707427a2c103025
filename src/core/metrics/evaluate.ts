// Retrieval metrics with BEIR / pytrec_eval (trec_eval) conventions:
// - A run's hits are ranked by score descending; equal scores are ordered by document id
//   DESCENDING (trec_eval's comp_sim_docno), whatever order they came in. With
//   `{ ties: 'input' }` the hits are taken in the order given instead (what Python scripts
//   that score a sorted list do, e.g. recipe/bm25_check.py). This matters for BM25 on Debian,
//   where sibling packages often tie exactly: 0.7158 vs 0.7175 nDCG@10 on 500 dev queries.
// - Relevant = qrel grade > 0. nDCG uses the grade as gain and log2(rank + 1) as discount,
//   with the ideal DCG taken from the qrels (all relevant documents, best grades first).
// - MRR@10 = 1 / rank of the first relevant document within the top 10 (0 if none).
// - Recall@k = relevant documents in the top k / all relevant documents of the query.
// - Averages run over every query with at least one relevant qrel; such a query with no
//   run line (or an empty one) scores 0 on every metric. Runs for queries without
//   relevant qrels are ignored.

import type { Hit, Qrel } from '../types';

export const METRIC_NAMES = ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type MetricValues = Record<MetricName, number>;
export interface MetricSummary extends MetricValues {
  /** Queries averaged over (those with at least one relevant qrel). */
  queries: number;
}

export type Qrels = Map<string, Map<string, number>>;

/** Groups qrel rows by query: queryId → (docId → grade). A repeated pair keeps the last grade. */
export function qrelsFromList(rows: readonly Qrel[]): Qrels {
  const out: Qrels = new Map();
  for (const r of rows) {
    let m = out.get(r.queryId);
    if (!m) out.set(r.queryId, (m = new Map()));
    m.set(r.docId, r.score);
  }
  return out;
}

/** Hits in trec_eval order: score descending, then document id descending; duplicates keep their first score. */
export function trecOrder(hits: readonly Hit[]): Hit[] {
  return dedupe(hits).sort((a, b) => (b[1] - a[1]) || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
}

function dedupe(hits: readonly Hit[]): Hit[] {
  const seen = new Set<string>();
  const uniq: Hit[] = [];
  for (const h of hits) {
    if (seen.has(h[0])) continue;
    seen.add(h[0]);
    uniq.push(h);
  }
  return uniq;
}

export interface EvaluateOptions {
  /** 'trec' (default): re-sort by score, ties by doc id descending. 'input': keep the given order. */
  ties?: 'trec' | 'input';
}

/** Metrics of one query. `judged` maps docId → grade. */
export function queryMetrics(hits: readonly Hit[] | undefined, judged: ReadonlyMap<string, number>, opts: EvaluateOptions = {}): MetricValues {
  const grades: number[] = [];
  for (const g of judged.values()) if (g > 0) grades.push(g);
  const nRel = grades.length;
  const zero: MetricValues = { 'ndcg@10': 0, 'mrr@10': 0, 'recall@10': 0, 'recall@100': 0 };
  if (nRel === 0 || !hits || hits.length === 0) return zero;
  const ranked = opts.ties === 'input' ? dedupe(hits) : trecOrder(hits);

  let dcg = 0, mrr = 0, rel10 = 0, rel100 = 0;
  const n = Math.min(ranked.length, 100);
  for (let i = 0; i < n; i++) {
    const g = judged.get(ranked[i][0]) ?? 0;
    if (g <= 0) continue;
    if (i < 10) {
      dcg += g / Math.log2(i + 2);
      if (mrr === 0) mrr = 1 / (i + 1);
      rel10++;
    }
    rel100++;
  }
  grades.sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(10, nRel); i++) idcg += grades[i] / Math.log2(i + 2);
  return { 'ndcg@10': dcg / idcg, 'mrr@10': mrr, 'recall@10': rel10 / nRel, 'recall@100': rel100 / nRel };
}

/** Per-query metrics for every query that has at least one relevant qrel. */
export function perQueryMetrics(run: ReadonlyMap<string, readonly Hit[]>, qrels: Qrels, opts: EvaluateOptions = {}): Map<string, MetricValues> {
  const out = new Map<string, MetricValues>();
  for (const [qid, judged] of qrels) {
    let anyRel = false;
    for (const g of judged.values()) if (g > 0) { anyRel = true; break; }
    if (!anyRel) continue;
    out.set(qid, queryMetrics(run.get(qid), judged, opts));
  }
  return out;
}

/** Mean metrics over the queries with at least one relevant qrel (see the file comment). */
export function evaluate(run: ReadonlyMap<string, readonly Hit[]>, qrels: Qrels, opts: EvaluateOptions = {}): MetricSummary {
  return summarize(perQueryMetrics(run, qrels, opts).values());
}

/** Averages per-query values (all zero for no queries). */
export function summarize(values: Iterable<MetricValues>): MetricSummary {
  const sum: MetricSummary = { 'ndcg@10': 0, 'mrr@10': 0, 'recall@10': 0, 'recall@100': 0, queries: 0 };
  for (const v of values) {
    for (const m of METRIC_NAMES) sum[m] += v[m];
    sum.queries++;
  }
  if (sum.queries > 0) for (const m of METRIC_NAMES) sum[m] /= sum.queries;
  return sum;
}
