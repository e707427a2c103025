// Cross-encoder denoising as one loop for the CLI and the browser worker: score what
// crossEncoderNeeds() names for every query of a batch (one scorer call per round, so model
// batches stay full), again until no query needs more, then mine each query. The rule "with a
// reranker, nothing unscored is exported" is enforced by mineQuery itself; this loop is how
// callers satisfy it without scoring the whole pool up front.
import type { DenoiseRule } from '../denoise';
import { crossEncoderNeeds, mineQuery } from './mine-query';
import type { MineQueryInput, MineQueryResult } from './types';

export interface PairToScore {
  queryId: string;
  docId: string;
}

/** A query to mine with a reranker; `newRng` returns the query's RNG from its start (a fresh stream each call). */
export type CrossEncoderQuery = Omit<MineQueryInput, 'ce' | 'rng'> & { newRng: () => () => number };

export interface CrossEncoderOutcome {
  results: MineQueryResult[];
  /** Every logit asked for, per query (positives, candidates, random picks). */
  scores: Map<string, Map<string, number>>;
  /** Pairs scored and scorer calls made. */
  pairs: number;
  rounds: number;
}

/**
 * Mines `queries` with cross-encoder `rule`. `score` returns the logits of the pairs in order
 * (raw logits of one-label cross-encoders). The result does not depend on how the scorer
 * batches, only on its logits.
 */
export async function mineWithCrossEncoder(
  queries: readonly CrossEncoderQuery[],
  rule: DenoiseRule,
  score: (pairs: PairToScore[]) => Promise<ArrayLike<number>>,
  onRound?: (round: number, pairs: number) => void,
): Promise<CrossEncoderOutcome> {
  const scores = new Map<string, Map<string, number>>();
  const inputOf = (q: CrossEncoderQuery): MineQueryInput => {
    const { newRng, ...rest } = q;
    let s = scores.get(q.queryId);
    if (!s) scores.set(q.queryId, (s = new Map()));
    return { ...rest, rng: newRng(), ce: { rule, scores: s } };
  };
  let open = [...queries];
  let pairs = 0;
  let rounds = 0;
  for (;;) {
    const wanted: PairToScore[] = [];
    const still: CrossEncoderQuery[] = [];
    for (const q of open) {
      const needs = crossEncoderNeeds(inputOf(q));
      if (!needs.length) continue;
      still.push(q);
      for (const docId of needs) wanted.push({ queryId: q.queryId, docId });
    }
    if (!wanted.length) break;
    rounds++;
    onRound?.(rounds, wanted.length);
    const logits = await score(wanted);
    if (logits.length !== wanted.length) throw new Error(`cross-encoder returned ${logits.length} scores for ${wanted.length} pairs`);
    wanted.forEach((p, i) => {
      const v = logits[i];
      if (!Number.isFinite(v)) throw new Error(`cross-encoder score of (${p.queryId}, ${p.docId}) is ${v}`);
      scores.get(p.queryId)!.set(p.docId, v);
    });
    pairs += wanted.length;
    open = still;
  }
  return { results: queries.map((q) => mineQuery(inputOf(q))), scores, pairs, rounds };
}
