// Turns one query's stored retrieval into candidate rows with core's mineQuery (the same
// per-query orchestration `quarry mine` uses): fuse → drop positives and duplicates →
// rank range → strategy → near-duplicate flags → (cross-encoder rule) → count → random.
import type { CandidateRecord, MemberScore, RunRecord } from '../../db/schema';
import type { MemberList } from '../../core/fusion';
import { denoisePool, mineQuery, type CandidateOut, type MineQueryInput, type MineSimilarity } from '../../core/mining';
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

function mineInput(env: SelectEnv, q: QueryInputs): MineQueryInput {
  const c = env.run.config;
  return {
    queryId: q.queryId,
    positives: q.positives.map((docId) => ({ docId, memberScores: q.positiveScores[docId] })),
    memberLists: q.lists,
    fusion: c.fusion,
    strategy: parseStrategy(c.strategy),
    range: { min: c.range[0], max: c.range[1] },
    negatives: c.negatives,
    randomNegatives: c.randomNegatives,
    corpusIds: env.data.docIds,
    rng: queryRng(MINING_SEED, q.queryId),
    // The text a document is embedded as (`title: text`), as `quarry mine` compares it.
    textOf: (id) => {
      const d = env.data.docs.get(id);
      return d && docText(d);
    },
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

function rows(env: SelectEnv, q: QueryInputs, input: MineQueryInput): CandidateRecord[] {
  if (!q.positives.length) return []; // judged, but no relevant document: nothing to mine against
  const res = mineQuery(input);
  const ces = res.positives.map((p) => p.ce).filter((x): x is number => x !== null);
  const cePositive = ces.length ? Math.min(...ces) : undefined;
  return res.negatives.map((n) => toRecord(env, q, n, cePositive));
}

/** Candidates without a cross-encoder (the select stage). */
export function selectCandidates(env: SelectEnv, q: QueryInputs): CandidateRecord[] {
  return rows(env, q, mineInput(env, q));
}

/**
 * The (query, document) pairs the rerank stage scores for one query: the pool that can
 * reach the final list, then the positives.
 */
export function rerankPlan(env: SelectEnv, q: QueryInputs): { ids: string[]; pairs: Array<[string, string]> } {
  if (!q.positives.length) return { ids: [], pairs: [] };
  const c = env.run.config;
  // The first few times N candidates of the pool, as `quarry mine`: room for the ones a
  // drop rule removes; SimANS samples from the whole pool.
  const limit = parseStrategy(c.strategy).kind === 'simans' ? Infinity : Math.max(3 * c.negatives, 10);
  const { candidates, positives } = denoisePool(mineInput(env, q), limit);
  const ids = [...candidates, ...positives];
  const text = (id: string) => {
    const idx = q.chunks[id];
    const chunk = idx !== undefined ? env.chunkText?.(id, idx) : undefined;
    const doc = env.data.docs.get(id)!;
    return chunk !== undefined ? docText({ title: doc.title, text: chunk }) : docText(doc);
  };
  return { ids, pairs: ids.map((id) => [q.query, text(id)]) };
}

/** Candidates after cross-encoder denoising, given the logits of rerankPlan's pairs. */
export function rerankRows(env: SelectEnv, q: QueryInputs, ids: string[], logits: ArrayLike<number>): CandidateRecord[] {
  if (!q.positives.length) return [];
  const scores = new Map(ids.map((id, i) => [id, logits[i]]));
  return rows(env, q, { ...mineInput(env, q), ce: { rule: denoiseRule(env.run.config.denoise), scores } });
}
