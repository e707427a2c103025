// Teacher scores for distillation (FlagEmbedding pos_scores / neg_scores): a passage that
// reached the export without a cross-encoder score (a random negative, a random fill, a
// positive the reranker never saw) is scored now, with the same cross-encoder, so every
// row keeps its scores instead of the writer dropping them.
import type { TrainingExample } from '../formats/export/types';
import type { PairScorer } from '../models';

/**
 * Copies of `examples` where every positive has `score` and every negative `ce`, scoring
 * the missing (query, passage) pairs in one call. Returns how many pairs were scored.
 */
export async function withTeacherScores(examples: TrainingExample[], scorer: Pick<PairScorer, 'score'>): Promise<{ examples: TrainingExample[]; scored: number }> {
  const pairs: Array<[string, string]> = [];
  const out = examples.map((ex) => ({ ...ex, positives: ex.positives.map((p) => ({ ...p })), negatives: ex.negatives.map((n) => ({ ...n })) }));
  const fill: Array<(v: number) => void> = [];
  for (const ex of out) {
    for (const p of ex.positives) {
      if (p.score === undefined) {
        pairs.push([ex.query, p.text]);
        fill.push((v) => (p.score = v));
      }
    }
    for (const n of ex.negatives) {
      if (n.ce === undefined) {
        pairs.push([ex.query, n.text]);
        fill.push((v) => (n.ce = v));
      }
    }
  }
  if (pairs.length) {
    const scores = await scorer.score(pairs);
    fill.forEach((set, i) => set(scores[i]));
  }
  return { examples: out, scored: pairs.length };
}
