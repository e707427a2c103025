// Cross-encoder denoising: a candidate negative that the cross-encoder finds about as relevant
// as the positive is probably an unlabelled positive (a false negative), the most harmful kind
// of "hard negative". Rules read RAW logits (one-label cross-encoders) and compare them on the
// probability scale sigmoid(logit), which is bounded and positive, so "a fraction of the
// positive's score" means the same thing whatever the sign of the logits.
//
//   abs:T   suspect ⇔ sigmoid(ce(q, d)) ≥ T. RocketQA (Qu et al. 2021, arXiv 2010.08191) kept
//           denoised hard negatives only when the cross-encoder probability was < 0.1: abs:0.1.
//   rel:F   suspect ⇔ sigmoid(ce(q, d)) > F · sigmoid(ce(q, p)), p = the hardest positive (lowest
//           cross-encoder score): a candidate scoring like even the weakest positive is suspect.
//           Unlike a fraction of raw logits, this cannot flip meaning when logits are negative.
//   none    no denoising.
// The action says whether a suspect is dropped or kept with the flag 'suspected-false-negative'.

export type DenoiseAction = 'drop' | 'flag';

export type DenoiseRule =
  | { kind: 'none' }
  | { kind: 'abs'; threshold: number; action: DenoiseAction }
  | { kind: 'rel'; fraction: number; action: DenoiseAction };

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Parses `none | abs:T | rel:F` (T, F in (0, 1]) with an action (default 'flag'). */
export function parseDenoise(spec: string, action: DenoiseAction = 'flag'): DenoiseRule {
  if (action !== 'drop' && action !== 'flag') throw new Error(`denoise action must be drop or flag, got "${action}"`);
  const [kind, arg, ...rest] = spec.trim().split(':');
  if (kind === 'none' && arg === undefined) return { kind: 'none' };
  if ((kind === 'abs' || kind === 'rel') && arg !== undefined && rest.length === 0) {
    const v = arg.trim() === '' ? NaN : Number(arg);
    if (!(v > 0 && v <= 1)) throw new Error(`denoise "${spec}": ${kind} needs a probability in (0, 1], e.g. ${kind === 'abs' ? 'abs:0.1' : 'rel:0.95'}`);
    return kind === 'abs' ? { kind, threshold: v, action } : { kind, fraction: v, action };
  }
  throw new Error(`unknown denoise rule "${spec}"; expected none, abs:T or rel:F`);
}

/**
 * Whether a candidate with cross-encoder logit `ceNeg` is a suspected false negative.
 * `cePositive` is the hardest positive's logit (needed by `rel`; without it `rel` suspects nothing).
 */
export function isSuspectedFalseNegative(rule: DenoiseRule, ceNeg: number, cePositive?: number): boolean {
  switch (rule.kind) {
    case 'none':
      return false;
    case 'abs':
      return sigmoid(ceNeg) >= rule.threshold;
    case 'rel':
      return cePositive !== undefined && sigmoid(ceNeg) > rule.fraction * sigmoid(cePositive);
  }
}
