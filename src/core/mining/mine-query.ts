// Per-query mining: the one orchestration used by the CLI (`quarry mine`) and the browser
// mining worker, so both produce the same negatives for the same inputs and seed.
//
//   1. fuse the members' top lists (positives added with their known member scores)
//   2. drop positives; drop exact text duplicates of a positive ('duplicate-of-positive')
//   3. range, first part: the raw fused ranks it considers (selection/range.ts: `window` or `st`)
//   4. apply the strategy's filter against the HARDEST positive (lowest score on the strategy
//      scale; see selection/rules.ts for why); range, second part (`st` skips range_min here)
//                                                        → `pool` (what a cross-encoder should score)
//   5. flag near-duplicates of a positive (cosine > 0.98 by default)
//   6. cross-encoder rule: drop or flag suspected false negatives
//   7. keep the first N, or a uniform sample of N (`sampling`), or SimANS's weighted sample
//   8. `pad`: fill up to N with random corpus documents (FlagEmbedding); then R random
//      negatives; both drawn from the rest of the corpus, flagged 'random'

import { isSuspectedFalseNegative } from '../denoise';
import { fuse, type FusedHit } from '../fusion';
import { isExactDuplicate, isNearDuplicate, rangeAfterFilters, rangeConsiders, sampleUniformExcluding, selectNegatives, simansProfile, strategyKeeps } from '../selection';
import type { CandidateFlag } from '../types';
import type { CandidateOut, DropReason, MineQueryInput, MineQueryResult } from './types';

interface Scored extends CandidateOut {
  score: number; // strategy-scale score (non-null for fused candidates)
}

/** Mines one query; synchronous and deterministic for a given RNG state. */
export function mineQuery(input: MineQueryInput): MineQueryResult {
  const { pool, positives, hardest, dropped, candidates } = buildPool(input);
  const byId = new Map(candidates.map((c) => [c.docId, c]));

  // 5. near-duplicate flags
  const threshold = input.nearDuplicateThreshold ?? 0.98;
  if (input.similarity) {
    for (const c of pool) {
      for (const p of positives) {
        const s = input.similarity.pd(p.docId, c.docId);
        if (s !== undefined && isNearDuplicate(s, threshold)) {
          addFlag(c, 'near-duplicate');
          break;
        }
      }
    }
  }

  // 6. cross-encoder rule
  let survivors = pool;
  if (input.ce && input.ce.rule.kind !== 'none') {
    const { rule, scores } = input.ce;
    let cePos: number | undefined;
    for (const p of positives) {
      const s = scores.get(p.docId);
      if (s !== undefined) {
        p.ce = s;
        if (cePos === undefined || s < cePos) cePos = s;
      }
    }
    survivors = [];
    for (const c of pool) {
      const s = scores.get(c.docId);
      if (s !== undefined) c.ce = s;
      if (s !== undefined && isSuspectedFalseNegative(rule, s, cePos)) {
        if (rule.action === 'drop') {
          dropped.push({ docId: c.docId, reason: 'suspected-false-negative' });
          continue;
        }
        addFlag(c, 'suspected-false-negative');
      }
      survivors.push(c);
    }
  } else if (input.ce) {
    for (const c of [...pool, ...positives]) {
      const s = input.ce.scores.get(c.docId);
      if (s !== undefined) c.ce = s;
    }
  }

  // 7. count (the strategy filter already ran; selectNegatives re-checks it harmlessly)
  const chosen = selectNegatives(survivors, input.strategy, {
    positive: { docId: hardest.docId, score: hardest.score },
    count: input.negatives,
    rng: input.rng,
    similarity: input.similarity,
    sampling: input.sampling,
  });
  const sampling =
    input.strategy.kind === 'simans'
      ? simansProfile(survivors.map((c) => c.score), hardest.score, input.strategy.a, input.strategy.b)
      : undefined;
  const chosenIds = new Set(chosen.map((c) => c.docId));
  for (const c of survivors) if (!chosenIds.has(c.docId)) dropped.push({ docId: c.docId, reason: 'not-sampled' });

  // 8. random negatives
  const negatives: CandidateOut[] = chosen.map(strip);
  const pad = input.pad ? Math.max(0, input.negatives - chosen.length) : 0;
  const r = pad + (input.randomNegatives ?? 0);
  if (r > 0) {
    if (!input.corpusIds) throw new Error('mineQuery: randomNegatives needs corpusIds (so does pad)');
    const exclude = new Set<string>([...byId.keys(), ...positives.map((p) => p.docId)]);
    const positiveTexts = input.textOf ? positives.map((p) => input.textOf!(p.docId)) : [];
    for (const id of sampleUniformExcluding(input.corpusIds, exclude, r, input.rng)) {
      const t = input.textOf?.(id);
      // a random pick that is a text duplicate of a positive is a positive: skip it
      if (t !== undefined && positiveTexts.some((pt) => pt !== undefined && isExactDuplicate(t, pt))) continue;
      negatives.push({ docId: id, fusedRank: null, fusedScore: null, members: {}, strategyScore: null, ce: input.ce?.scores.get(id) ?? null, flags: ['random'] });
    }
  }

  return {
    queryId: input.queryId,
    negatives,
    positives: positives.map(strip),
    hardestPositive: hardest.docId,
    pool: pool.map((c) => c.docId),
    dropped,
    ...(sampling ? { sampling } : {}),
  };
}

/**
 * The candidate ids that reach the cross-encoder step (after duplicate, range and strategy
 * filters, before denoising and counting), in fused order, plus the positives' ids: score these
 * pairs, then call mineQuery again with `ce`. `limit` caps the candidates (e.g. a few times N).
 */
export function denoisePool(input: Omit<MineQueryInput, 'ce'>, limit = Infinity): { candidates: string[]; positives: string[] } {
  const { pool } = buildPool(input);
  return { candidates: pool.slice(0, limit).map((c) => c.docId), positives: input.positives.map((p) => p.docId) };
}

function buildPool(input: Omit<MineQueryInput, 'ce'>) {
  if (input.positives.length === 0) throw new Error(`mineQuery: query "${input.queryId}" has no positive`);
  if (!(input.negatives >= 0)) throw new Error(`mineQuery: negatives must be ≥ 0, got ${input.negatives}`);
  const source = input.scoreSource ?? 'fused';
  const memberList = source === 'fused' ? undefined : input.memberLists.find((m) => m.name === source);
  if (source !== 'fused' && !memberList) {
    throw new Error(`mineQuery: scoreSource "${source}" is not a member (${input.memberLists.map((m) => m.name).join(', ')})`);
  }
  const floor = memberList && memberList.hits.length ? Math.min(...memberList.hits.map((h) => h[1])) : 0;

  // 1. fusion, positives included with their known member scores
  const fused = fuse(input.memberLists, input.fusion, {
    rrfK: input.rrfK,
    extra: input.positives.filter((p) => p.memberScores).map((p) => ({ docId: p.docId, scores: p.memberScores! })),
  });
  const strategyScore = (h: FusedHit): number => {
    if (!memberList) return h.score;
    // outside the member's list: its lowest listed score bounds the real one from above
    return h.members[memberList.name]?.score ?? floor;
  };
  const candidates: Scored[] = fused.map((h, i) => ({
    docId: h.docId,
    fusedRank: i + 1,
    fusedScore: h.score,
    members: h.members,
    strategyScore: strategyScore(h),
    score: strategyScore(h),
    ce: null,
    flags: [],
  }));

  const posIds = new Set(input.positives.map((p) => p.docId));
  const byId = new Map(candidates.map((c) => [c.docId, c]));
  const positives: Scored[] = input.positives.map((p) => {
    const c = byId.get(p.docId);
    if (c) return c;
    // not retrieved by anyone and no member scores: it sits below every fused candidate
    const empty: Record<string, { rank: null; score: null }> = {};
    for (const m of input.memberLists) empty[m.name] = { rank: null, score: null };
    const s = memberList ? floor : fuse(input.memberLists, input.fusion, { rrfK: input.rrfK, extra: [{ docId: p.docId, scores: {} }] }).find((h) => h.docId === p.docId)!.score;
    return { docId: p.docId, fusedRank: null, fusedScore: null, members: empty, strategyScore: s, score: s, ce: null, flags: [] };
  });
  const hardest = positives.reduce((a, b) => (b.score < a.score ? b : a));

  const positiveTexts = input.textOf ? input.positives.map((p) => input.textOf!(p.docId)).filter((t): t is string => t !== undefined) : [];
  const dropped: Array<{ docId: string; reason: DropReason }> = [];
  const passing: Scored[] = [];
  for (const c of candidates) {
    if (posIds.has(c.docId)) continue; // 2. a positive is never a negative
    if (positiveTexts.length) {
      const t = input.textOf!(c.docId);
      if (t !== undefined && positiveTexts.some((pt) => isExactDuplicate(t, pt))) {
        addFlag(c, 'duplicate-of-positive');
        dropped.push({ docId: c.docId, reason: 'duplicate-of-positive' });
        continue;
      }
    }
    if (!rangeConsiders(c.fusedRank!, input.range, input.positives.length)) {
      dropped.push({ docId: c.docId, reason: 'out-of-range' });
      continue;
    }
    if (!strategyKeeps(input.strategy, c, { positive: { docId: hardest.docId, score: hardest.score }, similarity: input.similarity })) {
      dropped.push({ docId: c.docId, reason: 'strategy' });
      continue;
    }
    passing.push(c);
  }
  // 4b. st range: keep passing[range_min : range_max]
  const pool = rangeAfterFilters(passing, input.range);
  if (pool.length < passing.length) {
    const kept = new Set(pool);
    for (const c of passing) if (!kept.has(c)) dropped.push({ docId: c.docId, reason: 'out-of-range' });
  }
  return { pool, positives, hardest, dropped, candidates };
}

function addFlag(c: CandidateOut, f: CandidateFlag): void {
  if (!c.flags.includes(f)) c.flags.push(f);
}

function strip(c: Scored): CandidateOut {
  const { score: _score, ...rest } = c;
  return { ...rest, flags: [...rest.flags] };
}
