// Inter-reviewer agreement.

export interface KappaResult {
  /** Cohen's kappa; NaN when undefined (no pairs, or both reviewers used one single label). */
  kappa: number;
  /** Observed agreement p_o. */
  observed: number;
  /** Agreement expected by chance p_e. */
  expected: number;
  /** Number of items both reviewers labelled. */
  n: number;
}

/**
 * Cohen's kappa for two raters over the items both labelled:
 * κ = (p_o − p_e) / (1 − p_e), p_o = share of items with the same label,
 * p_e = Σ_k (n_k^A / n)(n_k^B / n) over labels k (Cohen 1960).
 * When p_e = 1 (both raters used one and the same label for everything) κ is 0/0:
 * NaN is returned and the UI shows the raw agreement instead.
 */
export function cohenKappa<L extends string>(pairs: ReadonlyArray<readonly [L, L]>): KappaResult {
  const n = pairs.length;
  if (n === 0) return { kappa: NaN, observed: NaN, expected: NaN, n: 0 };
  const countA = new Map<L, number>();
  const countB = new Map<L, number>();
  let agree = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    countA.set(a, (countA.get(a) ?? 0) + 1);
    countB.set(b, (countB.get(b) ?? 0) + 1);
  }
  let expected = 0;
  for (const [k, na] of countA) expected += (na / n) * ((countB.get(k) ?? 0) / n);
  const observed = agree / n;
  const kappa = expected === 1 ? NaN : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, n };
}
