import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QuarryDB } from '../../db/db';
import { createRun, listCheckpoints } from '../../db/runs';
import type { CandidateRecord, MiningConfig } from '../../db/schema';
import { Bm25Index } from '../../core/bm25';
import { evaluate, qrelsFromList } from '../../core/metrics';
import { docText, type Hit } from '../../core/types';
import { chunkDocument, DEFAULT_MAX_CHUNKS } from '../../core/chunking';
import { runMining, type LiveProgress, type PipelineDeps } from './pipeline';
import type { EmbedPort } from './ports';
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

  it('BM25 retrieves while the dense members embed, and a dense member retrieves while the next one embeds', async () => {
    const config: MiningConfig = { ...base, members: [base.members[0], { spec: 'dense:hashB:dtype=q8', name: 'hashB', weight: 1 }, base.members[1]] };
    const models = () => ({ hashA: new HashingEmbedder(64, 7), hashB: new HashingEmbedder(64, 11) });
    const reference = await freshDb();
    await createRun(reference, { projectId: 'p', name: 'ref', config, id: 'r' });
    expect(await runMining(deps(reference, { embed: fakeEmbedPort(reference, models()) }), 'r')).toBe('done');

    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'overlapped', config, id: 'r' });
    const plain = fakeEmbedPort(db, models());
    // Each model's embedding returns only once the stage that should run beside it has
    // finished: a pipeline that waits for the embedding first never gets there.
    const finished = async (stage: string) => {
      for (let i = 0; i < 300; i++) {
        if ((await db.runs.get('r'))?.stages[stage]?.status === 'done') return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${stage} did not run while a model embedded`);
    };
    const overlapping: EmbedPort = {
      ...plain,
      async ensureEmbedded(projectId, member, items, onProgress, signal) {
        const out = await plain.ensureEmbedded(projectId, member, items, onProgress, signal);
        await finished(member.model === 'hashA' ? 'retrieve:bm25' : 'retrieve:hashA');
        return out;
      },
    };
    const status = await runMining(deps(db, { embed: overlapping }), 'r');
    const run = (await db.runs.get('r'))!;
    expect(run.error).toBeUndefined();
    expect(status).toBe('done');
    expect(await candidates(db, 'r')).toEqual(await candidates(reference, 'r'));
    expect(run.metrics).toEqual((await reference.runs.get('r'))!.metrics);
    // The session's clock: start, end, and every stage's own time.
    expect(run.timing!.finishedAt! - run.timing!.startedAt).toBeGreaterThanOrEqual(0);
    expect(Object.keys(run.timing!.stageMs).sort()).toEqual(
      ['chunk', 'embed:hashA', 'embed:hashB', 'evaluate', 'load', 'retrieve:bm25', 'retrieve:hashA', 'retrieve:hashB', 'select'].sort(),
    );
  });

  it('a dense member retrieved while it embeds (blocks scored as they are stored) stores the same lists, metrics and candidates as one retrieved from the store afterwards', async () => {
    const config: MiningConfig = { ...base, strategy: 'percpos:0.95', randomNegatives: 1 };
    const plainDb = await freshDb();
    await createRun(plainDb, { projectId: 'p', name: 'plain', config, id: 'r' });
    const plainPort = fakeEmbedPort(plainDb, { hashA: new HashingEmbedder(64, 7) });
    // A port that never announces blocks: the retrieve stage reads the stored vectors.
    const silent: EmbedPort = { ...plainPort, ensureEmbedded: (p, m, items, onProgress, signal) => plainPort.ensureEmbedded(p, m, items, onProgress, signal) };
    expect(await runMining(deps(plainDb, { embed: silent }), 'r')).toBe('done');

    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'streamed', config, id: 'r' });
    let blocks = 0;
    const port = fakeEmbedPort(db, { hashA: new HashingEmbedder(64, 7) });
    const counting: EmbedPort = {
      ...port,
      ensureEmbedded: (p, m, items, onProgress, signal, onBlock) =>
        port.ensureEmbedded(p, m, items, onProgress, signal, (b) => {
          blocks++;
          onBlock?.(b);
        }),
    };
    expect(await runMining(deps(db, { embed: counting }), 'r')).toBe('done');
    expect(blocks).toBeGreaterThan(3);
    const lists = async (d: QuarryDB) => (await listCheckpoints(d, 'r', 'retrieve:hashA')).map((c) => c.data);
    expect(await lists(db)).toEqual(await lists(plainDb));
    expect((await db.runs.get('r'))!.metrics).toEqual((await plainDb.runs.get('r'))!.metrics);
    expect(await candidates(db, 'r')).toEqual(await candidates(plainDb, 'r'));
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

  it('token-window chunking: units as core chunkDocument cuts them, MaxP equal to a direct computation, winning chunk stored', async () => {
    const db = await freshDb();
    const config: MiningConfig = { ...base, members: [base.members[0]], chunk: 'tokens:12:4' };
    await createRun(db, { projectId: 'p', name: 'chunked', config, id: 'r' });
    const d = deps(db);
    expect(await runMining(d, 'r')).toBe('done');
    const run = (await db.runs.get('r'))!;
    expect(run.error).toBeUndefined();

    // Stored chunks: body offsets, the tokenizer's model in the key, at most 8 per document.
    const model = d.model;
    const stored = await db.chunks.where('[projectId+chunker]').equals(['p', 'tokens:12:4@hashA']).toArray();
    const units: Array<{ docId: string; idx: number; text: string; unit: string }> = [];
    for (const doc of slice.docs) {
      const want = chunkDocument(doc, { kind: 'tokens', size: 12, overlap: 4 }, await model.tokenSpans(doc.text));
      expect(want.length).toBeLessThanOrEqual(DEFAULT_MAX_CHUNKS);
      const got = stored.filter((c) => c.docId === doc.id).sort((a, b) => a.idx - b.idx);
      expect(got.map((c) => [c.idx, c.text, c.start, c.end])).toEqual(want.map((c) => [c.idx, c.text, c.start, c.end]));
      for (const c of got) expect(doc.text.slice(c.start, c.end)).toBe(c.text);
      for (const c of want) units.push({ docId: doc.id, idx: c.idx, text: c.text, unit: c.unitText });
    }
    expect(units.length).toBeGreaterThan(slice.docs.length * 2); // Debian descriptions are several windows long

    // Independent MaxP: every chunk (`title: chunk`) embedded directly, a document scores as its best chunk.
    const direct = new HashingEmbedder(64, 7);
    const uv = await direct.embed(units.map((u) => u.unit), 'document');
    const judged = slice.queries.filter((q) => slice.qrels.some((r) => r.queryId === q.id));
    const qv = await direct.embed(judged.map((q) => q.text), 'query');
    const runMap = new Map<string, Hit[]>();
    const winner = new Map<string, number>();
    judged.forEach((q, qi) => {
      const best = new Map<string, [number, number]>();
      units.forEach((u, ui) => {
        let s = 0;
        for (let k = 0; k < 64; k++) s += qv[qi * 64 + k] * uv[ui * 64 + k];
        const cur = best.get(u.docId);
        if (!cur || s > cur[0]) best.set(u.docId, [s, u.idx]);
      });
      runMap.set(q.id, [...best].map(([id, [sc]]) => [id, sc] as Hit).sort((a, b) => b[1] - a[1]).slice(0, 100));
      for (const [id, [, idx]] of best) winner.set(`${q.id}|${id}`, idx);
    });
    const expected = evaluate(runMap, qrelsFromList(slice.qrels));
    expect(run.metrics!.hashA['ndcg@10']).toBeCloseTo(expected['ndcg@10'], 6);
    expect(run.metrics!.hashA['recall@10']).toBeCloseTo(expected['recall@10'], 6);

    // Every candidate carries its winning chunk, the one MaxP picked.
    const cands = await candidates(db, 'r');
    expect(cands.length).toBeGreaterThan(0);
    for (const c of cands) {
      expect(c.chunk).toBeDefined();
      expect(c.chunk!.idx).toBe(winner.get(`${c.queryId}|${c.docId}`));
      expect(c.chunk!.text).toBe(units.find((u) => u.docId === c.docId && u.idx === c.chunk!.idx)!.text);
    }
  });

  it('a resumed chunked run reads its chunks back; another chunking of the same project embeds its own texts', async () => {
    const db = await freshDb();
    const config: MiningConfig = { ...base, chunk: 'tokens:16:4' };
    await createRun(db, { projectId: 'p', name: 'a', config, id: 'a' });
    const ctrl = new AbortController();
    const first = deps(db, {
      signal: ctrl.signal,
      onProgress: (p: LiveProgress) => {
        if (p.stage === 'embed:hashA') ctrl.abort();
      },
    });
    expect(await runMining(first, 'a')).toBe('cancelled');
    expect((await db.runs.get('a'))!.stages.chunk.status).toBe('done');
    // Resumed: no tokenizer call (a port that cannot tokenize), same units.
    const second = deps(db);
    second.embed = { ...second.embed, tokenSpans: () => Promise.reject(new Error('tokenized again')) };
    expect(await runMining(second, 'a')).toBe('done');
    expect((await db.runs.get('a'))!.error).toBeUndefined();

    // Paragraph chunks share `#0` ids with token windows: their vectors must not be reused.
    await createRun(db, { projectId: 'p', name: 'b', config: { ...base, chunk: 'paragraphs' }, id: 'b' });
    const third = deps(db);
    expect(await runMining(third, 'b')).toBe('done');
    const paragraphUnits = slice.docs.reduce((n, doc) => n + chunkDocument(doc, { kind: 'paragraphs', maxChars: 1000 }).length, 0);
    expect(third.model.calls).toBe(paragraphUnits); // queries were stored by run a
  });

  it('token-window chunking without a dense member fails with a message', async () => {
    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'x', config: { ...base, members: [base.members[1]], chunk: 'tokens:64:16' }, id: 'x' });
    expect(await runMining(deps(db), 'x')).toBe('failed');
    expect((await db.runs.get('x'))!.error).toContain("counts tokens of a dense member's tokenizer");
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

  it('the cross-encoder stage reports live progress inside a batch, in order, below what is stored', async () => {
    const db = await freshDb();
    const config: MiningConfig = { ...base, reranker: 'ce-model', denoise: 'abs:0.5:flag' };
    await createRun(db, { projectId: 'p', name: 'ce', config, id: 'r' });
    const seen: number[] = [];
    const d = deps(db, { onProgress: (p) => p.stage === 'rerank' && seen.push(p.done) });
    expect(await runMining({ ...d, batches: { ...d.batches, rerank: 8 } }, 'r')).toBe('done');
    const total = (await db.runs.get('r'))!.stages.rerank.total;
    // Besides the stored batch ends (8, 16, ...), counts inside batches are heard.
    const inside = seen.filter((n) => n % 8 !== 0 && n !== total);
    expect(inside.length).toBeGreaterThan(total / 8);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(total);
  });

  it('drop mode: the cross-encoder goes down the pool until N pass; no stored candidate lacks a score', async () => {
    // abs:0.05 calls a candidate sharing 14% of the query's tokens a suspect: most are dropped
    const db = await freshDb();
    const config: MiningConfig = { ...base, range: [0, 100], reranker: 'ce-model', denoise: 'abs:0.05:drop' };
    await createRun(db, { projectId: 'p', name: 'ce', config, id: 'r' });
    expect(await runMining(deps(db), 'r')).toBe('done');
    const rows = await candidates(db, 'r');
    const perQuery = new Map<string, number>();
    for (const c of rows) {
      expect(typeof c.ce, `${c.queryId} ${c.docId}`).toBe('number');
      expect(1 / (1 + Math.exp(-c.ce!))).toBeLessThan(0.05);
      perQuery.set(c.queryId, (perQuery.get(c.queryId) ?? 0) + 1);
    }
    // deep in the pool: most queries still get their 5 negatives
    expect([...perQuery.values()].filter((n) => n === 5).length).toBeGreaterThan(perQuery.size / 2);
  });

  it('fails with a clear message when the split has no qrels', async () => {
    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'x', config: { ...base, split: 'train' }, id: 'r' });
    expect(await runMining(deps(db), 'r')).toBe('failed');
    expect((await db.runs.get('r'))!.error).toMatch(/no qrels in split "train"/);
  });

  it('an asymmetric member (query_model=…) reuses the stored document vectors and embeds only the queries; dims are checked', async () => {
    const db = await freshDb();
    const a = new HashingEmbedder(64, 7);
    const b = new HashingEmbedder(64, 11);
    const small = new HashingEmbedder(32, 3);
    const port = fakeEmbedPort(db, { hashA: a, hashB: b, small });
    const go = async (id: string, spec: string, name: string) => {
      await createRun(db, { projectId: 'p', name: id, config: { ...base, members: [{ spec, name, weight: 1 }] }, id });
      return runMining({ ...deps(db), embed: port }, id);
    };
    const nq = new Set(slice.qrels.map((r) => r.queryId)).size;
    expect(await go('plain', 'dense:hashA:dtype=q8', 'hashA')).toBe('done');
    expect(a.calls).toBe(slice.docs.length + nq);
    // What the run achieved is recorded for the Mine page's estimate.
    expect(await db.throughput.get(['hashA|q8', 'unknown'])).toMatchObject({ source: 'run', items: slice.docs.length + nq });

    expect(await go('asym', 'dense:hashA:dtype=q8:query_model=hashB', 'hashA(q:hashB)')).toBe('done');
    expect(a.calls).toBe(slice.docs.length + nq); // no document embedded again
    expect(b.calls).toBe(nq); // queries only, by the query model
    const [plain, asym] = [(await db.runs.get('plain'))!, (await db.runs.get('asym'))!];
    expect(asym.metrics!['hashA(q:hashB)']['ndcg@10']).not.toBeCloseTo(plain.metrics!.hashA['ndcg@10'], 6);

    expect(await go('bad', 'dense:hashA:dtype=q8:query_model=small', 'hashA(q:small)')).toBe('failed');
    expect((await db.runs.get('bad'))!.error).toMatch(/query model small outputs 32-dim vectors, document model hashA 64-dim/);
  });
});

describe('mining pipeline: device notices', () => {
  it('the embedding port’s device and notice (WebGPU fell back to WASM) reach the live progress of the embed stage', async () => {
    const db = await freshDb();
    await createRun(db, { projectId: 'p', name: 'fallback', config: base, id: 'rf' });
    const d = deps(db);
    const inner = d.embed;
    const notice = 'WebGPU failed while running (device lost): continued on WASM (CPU).';
    d.embed = {
      ...inner,
      async ensureEmbedded(projectId, member, items, onProgress, signal) {
        const r = await inner.ensureEmbedded(projectId, member, items, (p) => onProgress({ ...p, device: 'wasm', notice }), signal);
        return { ...r, device: 'wasm', notice };
      },
    };
    const seen: LiveProgress[] = [];
    d.onProgress = (p) => seen.push(p);
    expect(await runMining(d, 'rf')).toBe('done');
    const embed = seen.filter((p) => p.stage === 'embed:hashA');
    expect(embed.length).toBeGreaterThan(1);
    expect(embed.every((p) => p.device === 'wasm' && p.notice === notice)).toBe(true);
  });
});
