// Turns one query's stored retrieval into candidate rows with core's mineQuery (the same
// per-query orchestration `quarry mine` uses): fuse → drop positives and duplicates →
// rank range → strategy → near-duplicate flags → (cross-encoder rule, by core's
// mineWithCrossEncoder loop) → count → random.
import type { CandidateRecord, MemberScore, RunRecord } from '../../db/schema';
import type { MemberList } from '../../core/fusion';
import { mineQuery, mineWithCrossEncoder, type CandidateOut, type CrossEncoderQuery, type MineSimilarity, type PairToScore } from '../../core/mining';
import { parseStrategy, queryRng } from '../../core/selection';
import { parseDenoise, type DenoiseAction } from '../../core/denoise';
import { docText } from '../../core/types';
import type { MiningData } from './data';

/** Seed of the per-query RNG (SimANS, random negatives): fixed so a run is reproducible. */
export const MINING_SEED = 42;

export interface QueryInputs {
  queryId: string;
  query: string;
  positives: string[];
  lists: MemberList[];
  /** positive docId → member name → that member's score of it. */
  positiveScores: Record<string, Record<string, number>>;
  /** docId → winning chunk index (chunked runs). */
  chunks: Record<string, number>;
}

export interface SelectEnv {
  run: RunRecord;
  data: MiningData;
  /** Dense similarities for the triangle rule and near-duplicate flags (absent without a dense member). */
  similarity?: (queryId: string) => MineSimilarity;
  /** Exact score of any document on a member's scale (the score source's), for documents outside its list. */
  memberScore?: (queryId: string, member: string, docId: string) => number | undefined;
  /** Text of a stored chunk, for the winning-chunk field. */
  chunkText?: (docId: string, idx: number) => string | undefined;
}

/** `abs:0.9:flag` → the core rule; the action suffix is ours (the page's drop/flag choice). */
export function denoiseRule(spec: string | undefined) {
  if (!spec) return parseDenoise('none');
  const parts = spec.split(':');
  const last = parts[parts.length - 1];
  if (last === 'flag' || last === 'drop') return parseDenoise(parts.slice(0, -1).join(':'), last as DenoiseAction);
  return parseDenoise(spec, 'flag');
}

/** The score source a run's strategy compares (runs stored before it was recorded used fused scores). */
export function runScoreSource(config: RunRecord['config']): string {
  return config.scoreSource ?? 'fused';
}

function mineInput(env: SelectEnv, q: QueryInputs): CrossEncoderQuery {
  const c = env.run.config;
  return {
    queryId: q.queryId,
    positives: q.positives.map((docId) => ({ docId, memberScores: q.positiveScores[docId] })),
    memberLists: q.lists,
    fusion: c.fusion,
    strategy: parseStrategy(c.strategy),
    scoreSource: runScoreSource(c),
    range: { min: c.range[0], max: c.range[1], semantics: c.rangeSemantics ?? 'window' },
    sampling: c.sampling,
    pad: c.pad,
    negatives: c.negatives,
    randomNegatives: c.randomNegatives,
    corpusIds: env.data.docIds,
    newRng: () => queryRng(MINING_SEED, q.queryId),
    docOf: (id) => env.data.docs.get(id),
    memberScore: env.memberScore && ((member, docId) => env.memberScore!(q.queryId, member, docId)),
    similarity: env.similarity?.(q.queryId),
  };
}

function toRecord(env: SelectEnv, q: QueryInputs, out: CandidateOut, cePositive: number | undefined): CandidateRecord {
  const members: Record<string, MemberScore> = {};
  for (const l of q.lists) members[l.name] = out.members[l.name] ?? { rank: null, score: null };
  const rec: CandidateRecord = {
    runId: env.run.id,
    projectId: env.run.projectId,
    queryId: q.queryId,
    docId: out.docId,
    // Random negatives are not in the fused list: rank 0 (and the 'random' flag).
    rank: out.fusedRank ?? 0,
    fused: out.fusedScore ?? 0,
    members,
    flags: [...out.flags],
  };
  if (out.ce !== null) rec.ce = out.ce;
  if (cePositive !== undefined) rec.cePositive = cePositive;
  const idx = q.chunks[out.docId];
  if (idx !== undefined) {
    const text = env.chunkText?.(out.docId, idx);
    if (text !== undefined) rec.chunk = { idx, text };
  }
  return rec;
}

function rows(env: SelectEnv, q: QueryInputs, res: ReturnType<typeof mineQuery>): CandidateRecord[] {
  const ces = res.positives.map((p) => p.ce).filter((x): x is number => x !== null);
  const cePositive = ces.length ? Math.min(...ces) : undefined;
  return res.negatives.map((n) => toRecord(env, q, n, cePositive));
}

/** Candidates without a cross-encoder (the select stage). */
export function selectCandidates(env: SelectEnv, q: QueryInputs): CandidateRecord[] {
  if (!q.positives.length) return []; // judged, but no relevant document: nothing to mine against
  const { newRng, ...input } = mineInput(env, q);
  return rows(env, q, mineQuery({ ...input, rng: newRng() }));
}

/** The text the cross-encoder reads for a document: its winning chunk (with the title) when chunked. */
function rerankText(env: SelectEnv, q: QueryInputs, id: string): string {
  const idx = q.chunks[id];
  const chunk = idx !== undefined ? env.chunkText?.(id, idx) : undefined;
  const doc = env.data.docs.get(id)!;
  return chunk !== undefined ? docText({ title: doc.title, text: chunk }) : docText(doc);
}

/**
 * Candidates of a batch of queries after cross-encoder denoising (the rerank stage): core's
 * loop asks `score` for the pairs it still needs (positives, then the pool in fused order
 * until N pass), so no stored candidate lacks a cross-encoder score.
 */
export async function rerankCandidates(
  env: SelectEnv,
  qs: QueryInputs[],
  score: (pairs: Array<[string, string]>) => Promise<ArrayLike<number>>,
): Promise<CandidateRecord[]> {
  const mined = qs.filter((q) => q.positives.length > 0);
  const byId = new Map(mined.map((q) => [q.queryId, q]));
  const { results } = await mineWithCrossEncoder(
    mined.map((q) => mineInput(env, q)),
    denoiseRule(env.run.config.denoise),
    (pairs: PairToScore[]) => score(pairs.map((p) => { const q = byId.get(p.queryId)!; return [q.query, rerankText(env, q, p.docId)]; })),
  );
  return results.flatMap((res, i) => rows(env, mined[i], res));
}
