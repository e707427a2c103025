import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import {
  candidatesOfQuery,
  countCandidates,
  createRun,
  deleteRun,
  getCheckpoint,
  listCheckpoints,
  listRuns,
  putCheckpoint,
  putCheckpointWithStage,
  putQueryCandidates,
  setRunStatus,
  setStage,
  allUnfinishedRuns,
  unfinishedRuns,
} from './runs';
import type { CandidateRecord, MiningConfig } from './schema';

const config: MiningConfig = {
  split: 'dev',
  members: [{ spec: 'bm25', name: 'bm25', weight: 1 }],
  fusion: 'soft-z',
  strategy: 'topk',
  range: [0, 30],
  negatives: 5,
  randomNegatives: 0,
  chunk: 'none',
  depth: 100,
};

let dbs: QuarryDB[] = [];
const freshDb = () => {
  const db = new QuarryDB(`runs-${Math.random()}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs) await db.delete();
  dbs = [];
});

const cand = (runId: string, queryId: string, docId: string, rank: number): CandidateRecord => ({
  runId,
  projectId: 'p',
  queryId,
  docId,
  rank,
  fused: 1 / rank,
  members: { bm25: { rank, score: 10 - rank } },
  flags: [],
});

describe('runs repository', () => {
  it('lists runs newest first and finds unfinished ones', async () => {
    const db = freshDb();
    const a = await createRun(db, { projectId: 'p', name: 'a', config, id: 'ra' });
    await new Promise((r) => setTimeout(r, 5));
    const b = await createRun(db, { projectId: 'p', name: 'b', config, id: 'rb' });
    await createRun(db, { projectId: 'other', name: 'c', config });
    expect((await listRuns(db, 'p')).map((r) => r.id)).toEqual([b.id, a.id]);
    await setRunStatus(db, 'ra', 'done');
    await setRunStatus(db, 'rb', 'running');
    expect((await unfinishedRuns(db, 'p')).map((r) => r.id)).toEqual(['rb']);
    // App start resumes them in every project (the third run is still pending).
    expect((await allUnfinishedRuns(db)).map((r) => r.projectId).sort()).toEqual(['other', 'p']);
  });

  it('updates one stage without touching the others', async () => {
    const db = freshDb();
    await createRun(db, { projectId: 'p', name: 'a', config, id: 'r' });
    await setStage(db, 'r', 'retrieve:bm25', { done: 3, total: 10 });
    await setStage(db, 'r', 'select', { done: 1, total: 10, status: 'running' });
    await setStage(db, 'r', 'retrieve:bm25', { done: 10, total: 10, status: 'done' });
    expect((await db.runs.get('r'))!.stages).toEqual({
      'retrieve:bm25': { done: 10, total: 10, status: 'done' },
      select: { done: 1, total: 10, status: 'running' },
    });
  });

  it('replaces the candidates of the given queries and records progress in one go', async () => {
    const db = freshDb();
    await createRun(db, { projectId: 'p', name: 'a', config, id: 'r' });
    await putQueryCandidates(db, 'r', ['q1', 'q2'], [cand('r', 'q1', 'd1', 1), cand('r', 'q1', 'd2', 2), cand('r', 'q2', 'd9', 1)], 'select', {
      done: 2,
      total: 4,
    });
    // Rewriting q1 (e.g. after denoising) drops its old rows; q2 stays.
    await putQueryCandidates(db, 'r', ['q1'], [cand('r', 'q1', 'd3', 3)], 'rerank', { done: 1, total: 4 });
    expect((await candidatesOfQuery(db, 'r', 'q1')).map((c) => c.docId)).toEqual(['d3']);
    expect((await candidatesOfQuery(db, 'r', 'q2')).map((c) => c.docId)).toEqual(['d9']);
    expect(await countCandidates(db, 'r')).toBe(2);
    const run = (await db.runs.get('r'))!;
    expect(run.stages.select).toEqual({ done: 2, total: 4 });
    expect(run.stages.rerank).toEqual({ done: 1, total: 4 });
  });

  it('a failed candidate write leaves neither rows nor progress behind', async () => {
    const db = freshDb();
    await createRun(db, { projectId: 'p', name: 'a', config, id: 'r' });
    const bad = { ...cand('r', 'q1', 'd1', 1), queryId: undefined } as unknown as CandidateRecord; // no key: IndexedDB rejects it
    await expect(putQueryCandidates(db, 'r', ['q1'], [cand('r', 'q1', 'd0', 1), bad], 'select', { done: 1, total: 2 })).rejects.toThrow();
    expect(await countCandidates(db, 'r')).toBe(0);
    expect((await db.runs.get('r'))!.stages.select).toBeUndefined();
  });

  it('stores checkpoints with typed arrays, lists them by prefix in name order, deletes them with the run', async () => {
    const db = freshDb();
    const run = await createRun(db, { projectId: 'p', name: 'a', config, id: 'r' });
    await putCheckpoint(db, run, 'retrieve:bm25:000001', { v: new Float32Array([1.5, 2.5]) });
    await putCheckpointWithStage(db, run, 'retrieve:bm25:000000', { v: new Float32Array([0.5]) }, 'retrieve:bm25', { done: 200, total: 300 });
    await putCheckpoint(db, run, 'retrieve:dense:000000', { v: new Float32Array([9]) });
    const parts = await listCheckpoints<{ v: Float32Array }>(db, 'r', 'retrieve:bm25:');
    expect(parts.map((p) => p.name)).toEqual(['retrieve:bm25:000000', 'retrieve:bm25:000001']);
    expect(Array.from(parts[1].data.v)).toEqual([1.5, 2.5]);
    expect((await getCheckpoint<{ v: Float32Array }>(db, 'r', 'retrieve:dense:000000'))!.v[0]).toBe(9);
    expect((await db.runs.get('r'))!.stages['retrieve:bm25']).toEqual({ done: 200, total: 300 });

    await putQueryCandidates(db, 'r', ['q1'], [cand('r', 'q1', 'd1', 1)], 'select', { done: 1, total: 1 });
    await deleteRun(db, 'r');
    expect(await db.runs.get('r')).toBeUndefined();
    expect(await countCandidates(db, 'r')).toBe(0);
    expect(await listCheckpoints(db, 'r')).toEqual([]);
  });
});
