import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QuarryDB } from '../../db/db';
import { createRun, listCheckpoints } from '../../db/runs';
import type { CandidateRecord, MiningConfig } from '../../db/schema';
import { Bm25Index } from '../../core/bm25';
import { evaluate, qrelsFromList } from '../../core/metrics';
import { docText, type Hit } from '../../core/types';
import { runMining, type LiveProgress, type PipelineDeps } from './pipeline';
import { debianSlice, fakeEmbedPort, fakeRerankPort, HashingEmbedder, seedProject, type Slice } from './test-fixtures';

let slice: Slice;
beforeAll(() => {
  slice = debianSlice(60);
});

let dbs: QuarryDB[] = [];
const freshDb = async () => {
  const db = new QuarryDB(`mine-${Math.random()}`);
  dbs.push(db);
  await seedProject(db, 'p', slice);
  return db;
};
afterEach(async () => {
  for (const db of dbs) await db.delete();
  dbs = [];
});

const base: MiningConfig = {
  split: 'dev',
  members: [
    { spec: 'dense:hashA:dtype=q8', name: 'hashA', weight: 1 },
    { spec: 'bm25:k1=0.9:b=0.4', name: 'bm25', weight: 1 },
  ],
  fusion: 'soft-z',
  strategy: 'topk',
  range: [0, 30],
  negatives: 5,
  randomNegatives: 0,
  chunk: 'none',
  depth: 100,
};

function deps(db: QuarryDB, extra: Partial<PipelineDeps> = {}): PipelineDeps & { model: HashingEmbedder } {
  const model = new HashingEmbedder(64, 7);
  return {
    db,
    embed: fakeEmbedPort(db, { hashA: model }),
    rerank: fakeRerankPort(),
    signal: new AbortController().signal,
    batches: { retrieve: 16, select: 16, rerank: 8 },
    model,
    ...extra,
  };
}

const key = (c: CandidateRecord) => `${c.queryId}|${c.docId}`;
async function candidates(db: QuarryDB, runId: string): Promise<CandidateRecord[]> {
  return (await db.candidates.where('runId').equals(runId).toArray()).sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

describe('mining pipeline', () => {
  it('BM25 metrics equal core evaluate over a directly built index; candidates obey the config', async () => {
    const db = await freshDb();
    const config: MiningConfig = { ...base, members: [base.members[1]] };
    await createRun(db, { projectId: 'p', name: 'bm25 only', config, id: 'r1' });
    const status = await runMining(deps(db), 'r1');
    const run = (await db.runs.get('r1'))!;
    expect(run.error).toBeUndefined();
    expect(status).toBe('done');

    // Independent path: the same index over the same texts, searched per query.
    const index = Bm25Index.build(slice.docs.map((d) => ({ id: d.id, text: docText(d) })), { k1: 0.9, b: 0.4 });
    const qrels = qrelsFromList(slice.qrels);
    const runMap = new Map<string, Hit[]>(slice.queries.filter((q) => qrels.has(q.id)).map((q) => [q.id, index.search(q.text, 100)]));
    const expected = evaluate(runMap, qrels);
    for (const k of ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100'] as const) expect(run.metrics!.bm25[k]).toBeCloseTo(expected[k], 9);
    expect(run.metrics!.bm25.queries).toBe(qrels.size);
    expect(run.metrics!.ensemble).toBeUndefined();

    const rows = await candidates(db, 'r1');
    const positives = new Set(slice.qrels.filter((q) => q.score > 0).map((q) => `${q.queryId}|${q.docId}`));
    const perQuery = new Map<string, number>();
    for (const c of rows) {
      expect(positives.has(key(c))).toBe(false);
      expect(c.rank).toBeGreaterThan(0);
      expect(c.rank).toBeLessThanOrEqual(30);
      expect(c.members.bm25.score).not.toBeNull();
      perQuery.set(c.queryId, (perQuery.get(c.queryId) ?? 0) + 1);
    }
    expect(Math.max(...perQuery.values())).toBe(5);
    expect(perQuery.size).toBeGreaterThan(qrels.size * 0.9);
    expect(Object.values(run.stages).every((s) => s.status === 'done')).toBe(true);
  });

  it('a run cancelled mid-stage resumes where it stopped and ends with the same candidates', async () => {
    const reference = await freshDb();
    await createRun(reference, { projectId: 'p', name: 'ref', config: base, id: 'r' });
    expect(await runMining(deps(reference), 'r')).toBe('done');
    const want = await candidates(reference, 'r');
    const wantMetrics = (await reference.runs.get('r'))!.metrics;
    expect(wantMetrics!.ensemble['ndcg@10']).toBeGreaterThan(0);

    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'interrupted', config: base, id: 'r' });
    // First attempt: cancel in the middle of the selection stage.
    const ctrl = new AbortController();
    const first = deps(db, {
      signal: ctrl.signal,
      onProgress: (p: LiveProgress) => {
        if (p.stage === 'select' && p.done >= 16) ctrl.abort();
      },
    });
    expect(await runMining(first, 'r')).toBe('cancelled');
    const stopped = (await db.runs.get('r'))!;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.stages.select.done).toBe(16);
    expect(stopped.stages.select.status).toBe('running');
    const partial = await candidates(db, 'r');
    expect(partial.length).toBeGreaterThan(0);
    const retrieveParts = await listCheckpoints(db, 'r', 'retrieve:');
    const stamps = (await db.jobs.toArray()).map((j) => j.updatedAt);

    // Second attempt: nothing is embedded or retrieved again, selection continues.
    const second = deps(db);
    const seen: string[] = [];
    second.onProgress = (p) => seen.push(p.stage);
    expect(await runMining(second, 'r')).toBe('done');
    expect(second.model.calls).toBe(0);
    expect(seen.some((s) => s.startsWith('retrieve'))).toBe(false);
    expect((await listCheckpoints(db, 'r', 'retrieve:')).length).toBe(retrieveParts.length);
    expect((await db.jobs.toArray()).map((j) => j.updatedAt)).toEqual(stamps);
    expect(await candidates(db, 'r')).toEqual(want);
    expect((await db.runs.get('r'))!.metrics).toEqual(wantMetrics);
  });

  it('a run cancelled while embedding keeps the stored blocks and does not embed them again', async () => {
    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'x', config: base, id: 'r' });
    const ctrl = new AbortController();
    const first = deps(db, {
      signal: ctrl.signal,
      onProgress: (p: LiveProgress) => {
        if (p.stage === 'embed:hashA' && p.done >= 300) ctrl.abort();
      },
    });
    expect(await runMining(first, 'r')).toBe('cancelled');
    const total = slice.docs.length + new Set(slice.qrels.map((q) => q.queryId)).size;
    const firstCalls = first.model.calls;
    expect(firstCalls).toBeGreaterThanOrEqual(300);
    expect(firstCalls).toBeLessThan(total);
    const second = deps(db);
    expect(await runMining(second, 'r')).toBe('done');
    // At most the one block that was in flight when cancelled is embedded twice.
    expect(firstCalls + second.model.calls).toBeLessThanOrEqual(total + 128);
    expect(firstCalls + second.model.calls).toBeGreaterThanOrEqual(total);
  });

  it('the cross-encoder stage scores candidates and positives and flags suspected false negatives', async () => {
    const db = await freshDb();
    const config: MiningConfig = { ...base, reranker: 'ce-model', denoise: 'abs:0.5:flag' };
    await createRun(db, { projectId: 'p', name: 'ce', config, id: 'r' });
    const d = deps(db);
    expect(await runMining(d, 'r')).toBe('done');
    const rows = await candidates(db, 'r');
    expect(rows.length).toBeGreaterThan(0);
    for (const c of rows) {
      expect(typeof c.ce).toBe('number');
      expect(typeof c.cePositive).toBe('number');
      // abs:0.5 on sigmoid(logit): flagged exactly when the logit is ≥ 0 (σ(0) = 0.5 counts).
      expect(c.flags.includes('suspected-false-negative')).toBe(c.ce! >= 0);
    }
    expect(rows.some((c) => c.flags.includes('suspected-false-negative'))).toBe(true);
  });

  it('fails with a clear message when the split has no qrels', async () => {
    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'x', config: { ...base, split: 'train' }, id: 'r' });
    expect(await runMining(deps(db), 'r')).toBe('failed');
    expect((await db.runs.get('r'))!.error).toMatch(/no qrels in split "train"/);
  });
});
