import { describe, expect, it } from 'vitest';
import { FUSION_METHODS, type MemberList } from '../fusion';
import { evaluateEnsemble } from '../mining';
import type { Qrels } from '../metrics';
import { createRng } from '../selection/random';
import type { Hit } from '../types';
import { ensembleNdcg, tuneFusion } from './tune-fusion';

/** 60 queries over 40 documents: `good` ranks the relevant document high, `noise` at random, `weak` in between. */
function synthetic(seed: number) {
  const rng = createRng(seed);
  const lists = new Map<string, MemberList[]>();
  const qrels: Qrels = new Map();
  for (let q = 0; q < 60; q++) {
    const qid = `q${q}`;
    const rel = `d${Math.floor(rng() * 40)}`;
    qrels.set(qid, new Map([[rel, 1]]));
    const member = (name: string, signal: number, depth: number): MemberList => {
      const hits: Hit[] = [];
      for (let d = 0; d < 40; d++) {
        const id = `d${d}`;
        // rounded scores give ties on purpose
        hits.push([id, Math.round((rng() + (id === rel ? signal : 0)) * 20) / 20]);
      }
      hits.sort((x, y) => y[1] - x[1]);
      return { name, weight: 1, hits: hits.slice(0, depth) };
    };
    lists.set(qid, [member('good', 0.9, 20), member('noise', 0, 25), member('weak', 0.3, 15)]);
  }
  return { lists, qrels };
}

const withWeights = (lists: Map<string, MemberList[]>, w: number[]) =>
  new Map([...lists].map(([q, ms]) => [q, ms.map((m, i) => ({ ...m, weight: w[i] }))]));

describe('fusion weights', () => {
  it('scores exactly what evaluateEnsemble (quarry eval) reports, for every method and random weights', () => {
    const { lists, qrels } = synthetic(5);
    const rng = createRng(11);
    for (const method of FUSION_METHODS) {
      for (let t = 0; t < 3; t++) {
        const w = [rng() * 3, rng() * 3, rng() * 3].map((x) => Math.round(x * 4) / 4);
        const expected = evaluateEnsemble(withWeights(lists, w), qrels, method).ensemble['ndcg@10'];
        expect(ensembleNdcg(lists, qrels, method, w)).toBe(expected);
      }
    }
  });

  it('down-weights a noise member and never does worse than equal weights on the fitting split', () => {
    const { lists, qrels } = synthetic(8);
    const r = tuneFusion(lists, qrels);
    expect(r.weights).toHaveLength(3);
    expect(r.weights[1]).toBeLessThan(r.weights[0]);
    expect(r.fitted).toBeGreaterThanOrEqual(r.equal[r.fusion]);
    expect(r.fitted).toBe(ensembleNdcg(lists, qrels, r.fusion, r.weights));
    // deterministic
    expect(tuneFusion(lists, qrels)).toEqual(r);
  });

  it('searches only the methods asked for', () => {
    const { lists, qrels } = synthetic(2);
    const r = tuneFusion(lists, qrels, { methods: ['rrf'] });
    expect(r.fusion).toBe('rrf');
    expect(Object.keys(r.equal)).toEqual(['rrf']);
  });
});
