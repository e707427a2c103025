// The score source: the one scale selection thresholds (percpos, margins, abs, SimANS) compare,
// chosen the same way by `quarry mine` and the Mine page, and stored with the run.
//
// Default: the first dense member's cosine. A cosine is bounded and means the same thing for
// every query, so "95% of the positive's score" or "a margin of 0.05" is meaningful on it.
// A fused score (soft-z: a sum of per-query z-scores, a positive's ranging from about −6 to
// 16 on the demo) is not: a percentage of it means nothing. Only when no member is dense is
// 'fused' the default, and that is said wherever the source is shown (describeScoreSource).
import type { FusionMethod } from '../types';

export const FUSED = 'fused';

/**
 * Score source of the cross-encoder's logits (needs a reranker): margins, max_score and SimANS
 * compare logits, as sentence-transformers' mine_hard_negatives does when given a cross_encoder.
 * Every candidate the rank range considers is scored first (ST rescores its whole range).
 */
export const CROSS_ENCODER_SOURCE = 'cross-encoder';

export function defaultScoreSource(members: ReadonlyArray<{ name: string; dense: boolean }>): string {
  return members.find((m) => m.dense)?.name ?? FUSED;
}

/** Words for a score source, e.g. "pkgs-static cosine" or "fused soft-z score (no dense member)". */
export function describeScoreSource(source: string, members: ReadonlyArray<{ name: string; dense: boolean }>, fusion: FusionMethod): string {
  if (source === CROSS_ENCODER_SOURCE) return 'cross-encoder logit';
  if (source === FUSED) return `fused ${fusion} score${members.some((m) => m.dense) ? '' : ' (no dense member)'}`;
  const m = members.find((x) => x.name === source);
  if (!m) return `${source} (not a member)`;
  return m.dense ? `${source} cosine` : `${source} score`;
}
