// Area under the ROC curve, and its standard error, for a classifier's scores.

/**
 * AUC = P(score of a random positive > score of a random negative) + ½·P(tie): the
 * Mann–Whitney U statistic divided by n₁·n₀, with average ranks for ties. NaN when either
 * class is empty (the AUC is undefined, not 0.5).
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  if (scores.length !== labels.length) throw new Error('auc: scores and labels differ in length');
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const r = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let k = i; k <= j; k++) ranks[idx[k]] = r;
    i = j + 1;
  }
  let n1 = 0, sum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      n1++;
      sum += ranks[i];
    }
  }
  const n0 = labels.length - n1;
  if (n1 === 0 || n0 === 0) return NaN;
  return (sum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * Standard error of an AUC by Hanley & McNeil (1982), "The meaning and use of the area
 * under a ROC curve", Radiology 143:29–36, eq. 2:
 *   SE² = [A(1−A) + (n₁−1)(Q₁−A²) + (n₀−1)(Q₂−A²)] / (n₁·n₀),  Q₁ = A/(2−A), Q₂ = 2A²/(1+A).
 */
export function aucStandardError(a: number, nPositive: number, nNegative: number): number {
  if (!(nPositive > 0 && nNegative > 0)) return NaN;
  const q1 = a / (2 - a), q2 = (2 * a * a) / (1 + a);
  const v = (a * (1 - a) + (nPositive - 1) * (q1 - a * a) + (nNegative - 1) * (q2 - a * a)) / (nPositive * nNegative);
  return Math.sqrt(Math.max(v, 0));
}
