import { describe, expect, it } from 'vitest';
import type { Hit } from '../types';
import { evaluate, perQueryMetrics, qrelsFromList, queryMetrics, trecOrder } from './index';

const qrels = qrelsFromList([
  { queryId: 'q1', docId: 'a', score: 1 },
  { queryId: 'q1', docId: 'b', score: 2 },
  { queryId: 'q1', docId: 'c', score: 0 },
  { queryId: 'q2', docId: 'x', score: 1 },
  { queryId: 'q3', docId: 'y', score: 0 }, // no relevant document: not averaged over
]);

describe('metrics', () => {
  it('computes graded nDCG@10, MRR@10 and recall by hand', () => {
    // ranks: z (irrelevant), b (grade 2), a (grade 1)
    // DCG = 2/log2(3) + 1/log2(4) = 1.2618595 + 0.5 = 1.7618595
    // IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.6309298 = 2.6309298 → nDCG = 0.6696718
    const m = queryMetrics([['z', 0.9], ['b', 0.8], ['a', 0.7]], qrels.get('q1')!);
    expect(m['ndcg@10']).toBeCloseTo(1.7618595 / 2.6309298, 6);
    expect(m['mrr@10']).toBe(0.5);
    expect(m['recall@10']).toBe(1);
    expect(m['recall@100']).toBe(1);
  });

  it('averages over queries with relevant qrels, a missing run counting 0', () => {
    const run = new Map<string, Hit[]>([
      ['q1', [['z', 0.9], ['b', 0.8], ['a', 0.7]]],
      ['q3', [['y', 1]]],
      ['q-unjudged', [['a', 1]]],
    ]);
    const s = evaluate(run, qrels);
    expect(s.queries).toBe(2); // q1 and q2; q3 has no relevant qrel
    expect(s['ndcg@10']).toBeCloseTo(0.6696718 / 2, 6);
    expect(s['mrr@10']).toBe(0.25);
    expect(s['recall@10']).toBe(0.5);
    expect([...perQueryMetrics(run, qrels).keys()]).toEqual(['q1', 'q2']);
    expect(perQueryMetrics(run, qrels).get('q2')).toEqual({ 'ndcg@10': 0, 'mrr@10': 0, 'recall@10': 0, 'recall@100': 0 });
  });

  it('ranks by score, not input order, and breaks ties by document id descending (trec_eval)', () => {
    expect(trecOrder([['a', 0.5], ['c', 0.9], ['b', 0.5]]).map((h) => h[0])).toEqual(['c', 'b', 'a']);
    // a ties with b and goes second: MRR 1/2, nDCG = (1/log2 3) / 1
    const m = queryMetrics([['a', 0.5], ['b', 0.5]], new Map([['a', 1]]));
    expect(m['mrr@10']).toBe(0.5);
    expect(m['ndcg@10']).toBeCloseTo(1 / Math.log2(3), 12);
    // ties: 'input' keeps the given order: a first → MRR 1
    expect(queryMetrics([['a', 0.5], ['b', 0.5]], new Map([['a', 1]]), { ties: 'input' })['mrr@10']).toBe(1);
  });

  it('separates recall@10 from recall@100 and cuts MRR at 10', () => {
    // relevant docs r1 at rank 11 and r2 at rank 150 (beyond 100) out of 3 relevant
    const hits: Hit[] = [];
    for (let i = 1; i <= 200; i++) hits.push([i === 11 ? 'r1' : i === 150 ? 'r2' : `n${i}`, 1000 - i]);
    const m = queryMetrics(hits, new Map([['r1', 1], ['r2', 1], ['r3', 1]]));
    expect(m['recall@10']).toBe(0);
    expect(m['recall@100']).toBeCloseTo(1 / 3, 12);
    expect(m['mrr@10']).toBe(0);
    expect(m['ndcg@10']).toBe(0);
  });

  it('uses at most 10 relevant documents for the ideal DCG', () => {
    const judged = new Map<string, number>();
    const hits: Hit[] = [];
    for (let i = 0; i < 12; i++) {
      judged.set(`d${i}`, 1);
      hits.push([`d${i}`, 100 - i]);
    }
    const m = queryMetrics(hits, judged);
    expect(m['ndcg@10']).toBeCloseTo(1, 12);
    expect(m['recall@10']).toBeCloseTo(10 / 12, 12);
  });
});
