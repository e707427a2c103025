// Per-query mining: the one orchestration used by the CLI (`quarry mine`) and the browser
// mining worker, so both produce the same negatives for the same inputs and seed.
//
//   1. fuse the members' top lists (positives added with their known member scores)
//   2. drop positives; drop documents whose normalised BODY equals a positive's
//      ('duplicate-of-positive', see duplicates.ts)
//   3. range, first part: the raw fused ranks it considers (selection/range.ts: `window` or `st`)
//   4. apply the strategy's filter against the HARDEST positive (lowest score on the strategy
//      scale; see selection/rules.ts for why); range, second part (`st` skips range_min here)
//                                                        → `pool`
//   5. flag near-duplicates of a positive (cosine > 0.98 by default)
//   6. cross-encoder rule, walking the pool in fused order: drop or flag suspected false
//      negatives. With a reranker, a candidate the cross-encoder did not score is never
//      selected: mineQuery refuses to run while crossEncoderNeeds() still names pairs
//   7. keep the first N, or a uniform sample of N (`sampling`), or SimANS's weighted sample
//   8. `pad`: fill up to N with random corpus documents (FlagEmbedding); then R random
//      negatives; both drawn from the rest of the corpus (never a body-duplicate of a
//      positive), flagged 'random'; with a reranker they are scored and judged too

import { isSuspectedFalseNegative } from '../denoise';
import { fuse, type FusedHit } from '../fusion';
import { isNearDuplicate, rangeAfterFilters, rangeConsiders, sampleUniformExcluding, selectNegatives, simansProfile, strategyKeeps } from '../selection';
import type { CandidateFlag } from '../types';
import { duplicateOfPositives } from './duplicates';
import { CROSS_ENCODER_SOURCE } from './score-source';
import type { CandidateOut, DropReason, MineQueryInput, MineQueryResult } from './types';

interface Scored extends CandidateOut {
  score: number; // strategy-scale score (non-null for fused candidates)
}

/**
 * Mines one query; synchronous and deterministic for a given RNG state. With `input.ce` it
 * throws unless every pair crossEncoderNeeds(input) names has been scored (see
 * mineWithCrossEncoder, which loops until none is left).
 */
export function mineQuery(input: MineQueryInput): MineQueryResult {
  const { result, needs } = evaluate(input);
  if (needs.length) {
    throw new Error(
      `mineQuery: query "${input.queryId}" needs cross-encoder scores of ${needs.length} more document(s) (e.g. ${needs[0]}): score them first (crossEncoderNeeds / mineWithCrossEncoder)`,
    );
  }
  return result;
}

/**
 * The documents (positives, pool candidates in fused order, random picks) whose cross-encoder
 * score mineQuery still needs for this query given `input.ce.scores`; [] when it can run (or
 * when no reranker is set). Candidates are asked for in fused order, as many as could still
 * fill N if all passed, at least as many as were scored before (so a query whose rule drops
 * most candidates needs few rounds), and the whole pool when the selection samples from it
 * (SimANS, `sampling: random`). Which candidates end up selected does not depend on how many
 * extra ones were scored.
 */
export function crossEncoderNeeds(input: MineQueryInput): string[] {
  return evaluate(input).needs;
}

function evaluate(input: MineQueryInput): { result: MineQueryResult; needs: string[] } {
  const { pool, positives, hardest, dropped, candidates, ceNeeds } = buildPool(input);
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
  const needs: string[] = [...ceNeeds];
  let survivors = pool;
  let cePos: number | undefined;
  const ce = input.ce;
  if (ce) {
    const { rule, scores } = ce;
    for (const p of positives) {
      const s = scores.get(p.docId);
      if (s === undefined) needs.push(p.docId);
      else {
        p.ce = s;
        if (cePos === undefined || s < cePos) cePos = s;
      }
    }
    // Until every positive is scored the relative rule cannot judge: candidates are then
    // asked for as if all passed.
    const judge = needs.length === 0;
    const samples = input.strategy.kind === 'simans' || input.sampling === 'random';
    const want = samples ? Infinity : input.negatives;
    survivors = [];
    const pending: string[] = [];
    let scoredInPool = 0;
    let i = 0;
    for (; i < pool.length && survivors.length + pending.length < want; i++) {
      const c = pool[i];
      const s = scores.get(c.docId);
      if (s === undefined) {
        pending.push(c.docId);
        continue;
      }
      scoredInPool++;
      c.ce = s;
      if (judge && isSuspectedFalseNegative(rule, s, cePos)) {
        if (rule.kind !== 'none' && rule.action === 'drop') {
          dropped.push({ docId: c.docId, reason: 'suspected-false-negative' });
          continue;
        }
        addFlag(c, 'suspected-false-negative');
      }
      survivors.push(c);
    }
    // Headroom: as many again as were scored, so that dropping rules converge in few rounds.
    for (; i < pool.length && pending.length > 0 && pending.length < scoredInPool; i++) {
      if (!scores.has(pool[i].docId)) pending.push(pool[i].docId);
    }
    needs.push(...pending);
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
  const droppedIds = new Set(dropped.map((d) => d.docId));
  for (const c of pool) if (!chosenIds.has(c.docId) && !droppedIds.has(c.docId)) dropped.push({ docId: c.docId, reason: 'not-sampled' });

  // 8. padding and random negatives: drawn only once the hard ones are settled (the draw
  // follows the RNG state sampling leaves behind).
  const negatives: CandidateOut[] = chosen.map(strip);
  const pad = input.pad ? Math.max(0, input.negatives - chosen.length) : 0;
  const r = pad + (input.randomNegatives ?? 0);
  if (r > 0 && needs.length === 0) {
    if (!input.corpusIds) throw new Error('mineQuery: randomNegatives needs corpusIds (so does pad)');
    const exclude = new Set<string>([...byId.keys(), ...positives.map((p) => p.docId)]);
    const isDuplicate = input.docOf ? duplicateOfPositives(positives.map((p) => p.docId), input.docOf) : () => false;
    const picks: string[] = [];
    // A pick that is a body-duplicate of a positive is a positive: excluded and drawn again.
    while (picks.length < r) {
      const drawn = sampleUniformExcluding(input.corpusIds, exclude, r - picks.length, input.rng);
      if (!drawn.length) break;
      for (const id of drawn) {
        exclude.add(id);
        if (isDuplicate(id)) dropped.push({ docId: id, reason: 'duplicate-of-positive' });
        else picks.push(id);
      }
    }
    for (const id of picks) {
      const out: CandidateOut = { docId: id, fusedRank: null, fusedScore: null, members: {}, strategyScore: null, ce: null, flags: ['random'] };
      if (ce) {
        const s = ce.scores.get(id);
        if (s === undefined) {
          needs.push(id);
          continue;
        }
        out.ce = s;
        if (isSuspectedFalseNegative(ce.rule, s, cePos)) {
          if (ce.rule.kind !== 'none' && ce.rule.action === 'drop') {
            dropped.push({ docId: id, reason: 'suspected-false-negative' });
            continue;
          }
          out.flags.push('suspected-false-negative');
        }
      }
      negatives.push(out);
    }
  }

  return {
    needs,
    result: {
      queryId: input.queryId,
      negatives,
      positives: positives.map(strip),
      hardestPositive: hardest.docId,
      pool: pool.map((c) => c.docId),
      dropped,
      ...(sampling ? { sampling } : {}),
    },
  };
}

function buildPool(input: MineQueryInput) {
  if (input.positives.length === 0) throw new Error(`mineQuery: query "${input.queryId}" has no positive`);
  if (!(input.negatives >= 0)) throw new Error(`mineQuery: negatives must be ≥ 0, got ${input.negatives}`);
  const source = input.scoreSource ?? 'fused';
  // scoreSource 'cross-encoder': the rules compare logits, as sentence-transformers does when it
  // is given a cross_encoder (it rescores every candidate in range_max, and the positives).
  const ceSource = source === CROSS_ENCODER_SOURCE;
  if (ceSource && !input.ce) throw new Error(`mineQuery: scoreSource "${CROSS_ENCODER_SOURCE}" needs a reranker (input.ce)`);
  const ceScore = (docId: string): number => input.ce?.scores.get(docId) ?? NaN; // NaN: not scored yet
  const memberList = source === 'fused' || ceSource ? undefined : input.memberLists.find((m) => m.name === source);
  if (source !== 'fused' && !ceSource && !memberList) {
    throw new Error(`mineQuery: scoreSource "${source}" is not a member (${input.memberLists.map((m) => m.name).join(', ')})`);
  }
  const floor = memberList && memberList.hits.length ? Math.min(...memberList.hits.map((h) => h[1])) : 0;
  // A document outside the member's list: its exact score when the caller can compute it
  // (cosine from stored vectors, BM25 scoreDoc), else the list's lowest score, an upper bound.
  const outsideList = (docId: string): number => (memberList && input.memberScore?.(memberList.name, docId)) ?? floor;

  // 1. fusion, positives included with their known member scores
  const fused = fuse(input.memberLists, input.fusion, {
    rrfK: input.rrfK,
    extra: input.positives.filter((p) => p.memberScores).map((p) => ({ docId: p.docId, scores: p.memberScores! })),
  });
  const strategyScore = (h: FusedHit): number => {
    if (ceSource) return ceScore(h.docId);
    if (!memberList) return h.score;
    return h.members[memberList.name]?.score ?? outsideList(h.docId);
  };
  const candidates: Scored[] = fused.map((h, i) => {
    const s = strategyScore(h);
    return { docId: h.docId, fusedRank: i + 1, fusedScore: h.score, members: h.members, strategyScore: s, score: s, ce: null, flags: [] };
  });

  const posIds = new Set(input.positives.map((p) => p.docId));
  const byId = new Map(candidates.map((c) => [c.docId, c]));
  const positives: Scored[] = input.positives.map((p) => {
    const c = byId.get(p.docId);
    if (c) return c;
    // not retrieved by anyone and no member scores: it sits below every fused candidate
    const empty: Record<string, { rank: null; score: null }> = {};
    for (const m of input.memberLists) empty[m.name] = { rank: null, score: null };
    const s = ceSource ? ceScore(p.docId) : memberList ? outsideList(p.docId) : fuse(input.memberLists, input.fusion, { rrfK: input.rrfK, extra: [{ docId: p.docId, scores: {} }] }).find((h) => h.docId === p.docId)!.score;
    return { docId: p.docId, fusedRank: null, fusedScore: null, members: empty, strategyScore: s, score: s, ce: null, flags: [] };
  });
  const hardest = positives.reduce((a, b) => (b.score < a.score ? b : a));

  const isDuplicate = input.docOf ? duplicateOfPositives([...posIds], input.docOf) : () => false;
  const dropped: Array<{ docId: string; reason: DropReason }> = [];
  const passing: Scored[] = [];
  const ceNeeds: string[] = [];
  for (const c of candidates) {
    if (posIds.has(c.docId)) continue; // 2. a positive is never a negative
    if (isDuplicate(c.docId)) {
      addFlag(c, 'duplicate-of-positive');
      dropped.push({ docId: c.docId, reason: 'duplicate-of-positive' });
      continue;
    }
    if (!rangeConsiders(c.fusedRank!, input.range, input.positives.length)) {
      dropped.push({ docId: c.docId, reason: 'out-of-range' });
      continue;
    }
    if (ceSource && Number.isNaN(c.score)) {
      ceNeeds.push(c.docId); // every candidate the range considers is scored before any rule runs
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
  return { pool, positives, hardest, dropped, candidates, ceNeeds };
}

function addFlag(c: CandidateOut, f: CandidateFlag): void {
  if (!c.flags.includes(f)) c.flags.push(f);
}

function strip(c: Scored): CandidateOut {
  const { score: _score, ...rest } = c;
  return { ...rest, flags: [...rest.flags] };
}
