// Hard-negative selection rules. Each is a small pure predicate over scores of ONE candidate;
// "keep" means the candidate may be used as a negative. All scores of one call must come from
// the same scale (cosines of one model, or fused scores of one fusion).
//
// With several positives the caller passes the HARDEST positive = the positive with the LOWEST
// score for the query. A negative kept against the lowest-scoring positive is also below every
// other positive by at least the same margin, so the rule holds for every (query, positive)
// pair the training set will form; NV-Retriever and sentence-transformers apply their rules per
// (query, positive) pair, and this is the conservative way to apply them per query.

/**
 * TopK-PercPos (NV-Retriever, Moreira et al. 2024, arXiv 2407.15831): keep a negative only if
 * its score is at most `fraction` (e.g. 0.95) of the positive's score:
 *   keep ⇔ neg ≤ pos − (1 − fraction)·|pos|
 * which equals neg ≤ fraction·pos for pos ≥ 0 (the paper's cosine setting). For pos < 0 the
 * literal fraction·pos would lie ABOVE the positive and admit negatives that outscore it, so
 * the threshold stays below the positive by the same relative amount instead.
 */
export function percPosKeep(neg: number, pos: number, fraction: number): boolean {
  // written as products so that the paper's case (pos ≥ 0) is exactly fraction · pos
  return neg <= (pos >= 0 ? fraction * pos : (2 - fraction) * pos);
}

/**
 * Absolute margin (sentence-transformers util/hard_negatives.py `absolute_margin`, from
 * NV-Retriever's TopK-MarginPos): drop a negative if neg + margin > pos, i.e.
 *   keep ⇔ neg ≤ pos − margin
 */
export function absoluteMarginKeep(neg: number, pos: number, margin: number): boolean {
  return neg <= pos - margin;
}

/**
 * Relative margin (sentence-transformers `relative_margin`: drop if neg > pos · (1 − margin)),
 * written so that it also behaves for negative positive scores:
 *   keep ⇔ neg ≤ pos − |pos|·margin
 * relmargin:m is the same rule as percpos:(1 − m).
 */
export function relativeMarginKeep(neg: number, pos: number, margin: number): boolean {
  // pos · (1 − m) for pos ≥ 0, exactly as sentence-transformers; pos · (1 + m) below zero
  return neg <= (pos >= 0 ? pos * (1 - margin) : pos * (1 + margin));
}

/**
 * Absolute cap (sentence-transformers `max_score`): keep ⇔ neg ≤ max. Meaningful on a bounded
 * scale such as cosine; on fused scores (z-sums) pick the cap accordingly.
 */
export function absoluteCapKeep(neg: number, max: number): boolean {
  return neg <= max;
}

/**
 * Triangle rule (Meghwani et al. 2025, "Hard Negative Mining for Domain-Specific Retrieval in
 * Enterprise Systems", arXiv 2505.18366, §3). The paper states it with distances: keep a
 * document D only if d(Q,D) < d(Q,P) and d(Q,D) < d(P,D): D is closer to the query than the
 * positive is (hard), and closer to the query than to the positive (not a paraphrase of P).
 * With cosine similarity (d = 1 − sim) the inequalities turn around:
 *   keep ⇔ sim(Q,D) > sim(Q,P)  and  sim(Q,D) > sim(P,D)
 * All three similarities come from one embedding space: the paper uses its concatenated
 * ensemble embedding (Quarry: the `concat` member when `--concat` is on, else the first dense
 * member). Scale: cosine. Strict inequalities, as in the paper.
 */
export function triangleKeep(simQD: number, simQP: number, simPD: number): boolean {
  return simQD > simQP && simQD > simPD;
}

/**
 * SimANS sampling weight (Zhou et al. 2022, "SimANS: Simple Ambiguous Negatives Sampling for
 * Dense Text Retrieval", EMNLP, arXiv 2210.11773; github.com/microsoft/SimXNS):
 *   p(d) ∝ exp(−a · (s(q,d) − s(q,p) − b)²)
 * Negatives scoring close to the positive (offset by b) are the most likely; far ones (either
 * way) fade out. The official sampler uses a = tau (default 1) and b = 0.
 */
export function simansWeight(neg: number, pos: number, a: number, b: number): number {
  const d = neg - pos - b;
  return Math.exp(-a * d * d);
}

/** Near-duplicate of the positive: cosine(positive, doc) above `threshold` (default 0.98). */
export function isNearDuplicate(simPD: number, threshold = 0.98): boolean {
  return simPD > threshold;
}

/** Exact duplicate: byte-identical text (such documents are relevant, not negatives). */
export function isExactDuplicate(text: string, positiveText: string): boolean {
  return text === positiveText;
}
