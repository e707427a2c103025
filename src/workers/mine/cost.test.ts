// The Mine page's cost inputs read from IndexedDB: vectors stored under the key the embed
// stage uses count as free, documents under the document encoder's key and queries under the
// query encoder's; rates come from the throughput table.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { QuarryDB } from '../../db/db';
import type { MiningConfig } from '../../db/schema';
import { recordThroughput } from '../../db/throughput';
import { parseMemberSpec, type DenseSpec } from '../../core/spec/member-spec';
import { describeCost } from '../../core/mining/remine-cost';
import { putBlock } from '../embed/block-store';
import { modelKey } from '../embed/model-key';
import { BUNDLED_FALLBACK } from './bundled';
import { denseModelRef } from './browser-ports';
import { runCost } from './cost';
import { debianSlice, seedProject } from './test-fixtures';

const models = [...BUNDLED_FALLBACK];
const slice = debianSlice(20);
const nq = new Set(slice.qrels.map((r) => r.queryId)).size;
const nd = slice.docs.length;
let db: QuarryDB;
afterEach(async () => db?.delete());

const config = (spec: string, name: string): MiningConfig => ({
  split: 'dev',
  members: [
    { spec, name, weight: 1 },
    { spec: 'bm25:k1=0.9:b=0.4', name: 'bm25', weight: 1 },
  ],
  fusion: 'soft-z',
  strategy: 'topk',
  range: [0, 30],
  negatives: 5,
  randomNegatives: 0,
  reranker: 'pkgs-rerank:dtype=q8',
  chunk: 'none',
  depth: 100,
});

describe('runCost', () => {
  it('counts what is stored under the member keys and divides the rest by the measured rates', async () => {
    db = new QuarryDB(`cost-${Math.random()}`);
    await seedProject(db, 'p', slice);
    const plain = config('dense:pkgs-static:dtype=q8:pooling=mean:max_len=256', 'pkgs-static');

    // Nothing stored, nothing measured.
    let [dense, rerank] = await runCost(db, 'p', plain, models);
    expect(dense.parts.map((p) => [p.what, p.total, p.stored])).toEqual([
      ['documents', nd, 0],
      ['queries', nq, 0],
    ]);
    expect(dense.seconds).toBeUndefined();
    expect(describeCost(dense)).toBe(`pkgs-static: ${nd} documents (0 stored) + ${nq} queries: unknown (test pkgs-static on the Models page)`);
    expect(rerank.parts[0]).toMatchObject({ what: 'pairs', total: nq * 6, atLeast: true });

    // A finished run stored every document and query of pkgs-static and measured the models.
    const staticRec = models.find((m) => m.id === 'pkgs-static')!;
    const key = await modelKey(denseModelRef(staticRec, parseMemberSpec(plain.members[0].spec) as DenseSpec));
    const ids = [...slice.docs.map((d) => `d:${d.id}`), ...[...new Set(slice.qrels.map((r) => r.queryId))].map((q) => `q:${q}`)];
    await putBlock(db, { projectId: 'p', modelKey: key, blockId: 0, ids, dim: 2, vectors: new Float32Array(ids.length * 2) });
    await recordThroughput(db, { model: 'pkgs-static|q8', device: 'wasm', perS: 50, at: Date.UTC(2026, 11, 2), source: 'run', items: ids.length });
    await recordThroughput(db, { model: 'pkgs-rerank|q8', device: 'wasm', perS: 30, at: Date.UTC(2026, 11, 2), source: 'test', items: 16 });
    [dense, rerank] = await runCost(db, 'p', plain, models);
    expect(dense.todo).toBe(0);
    expect(dense.seconds).toBe(0);
    expect(describeCost(dense)).toBe(`pkgs-static: ${nd} documents (${nd} stored) + ${nq} queries (${nq} stored) ≈ 0 s (all stored)`);
    expect(rerank.seconds).toBeCloseTo((nq * 6) / 30, 9);

    // Asymmetric: the documents stay free, the queries are pkgs-minilm's to embed.
    const asym = config('dense:pkgs-static:dtype=q8:pooling=mean:max_len=256:query_model=pkgs-minilm', 'pkgs-static(q:pkgs-minilm)');
    [dense] = await runCost(db, 'p', asym, models);
    expect(dense.parts.map((p) => [p.model, p.total, p.stored])).toEqual([
      ['pkgs-static', nd, nd],
      ['pkgs-minilm', nq, 0],
    ]);
    expect(dense.unmeasured).toEqual(['pkgs-minilm']);
    await recordThroughput(db, { model: 'pkgs-minilm|q8', device: 'wasm', perS: 10, at: Date.UTC(2026, 11, 2), source: 'test', items: 16 });
    [dense] = await runCost(db, 'p', asym, models);
    expect(dense.seconds).toBeCloseTo(nq / 10, 9);
  });
});
