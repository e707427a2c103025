import { describe, expect, it } from 'vitest';
import { isSuspectedFalseNegative, parseDenoise, sigmoid } from './index';

describe('denoise', () => {
  it('sigmoid is stable for large magnitudes', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(Math.log(9))).toBeCloseTo(0.9, 15);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
  });

  it('abs:T suspects candidates whose probability reaches T', () => {
    const rule = parseDenoise('abs:0.1');
    expect(rule).toEqual({ kind: 'abs', threshold: 0.1, action: 'flag' });
    // sigmoid(−ln 9) = 0.1 exactly at the threshold → suspect; −2.5 → 0.0759 → fine
    expect(isSuspectedFalseNegative(rule, -Math.log(9) + 1e-9)).toBe(true);
    expect(isSuspectedFalseNegative(rule, -2.5)).toBe(false);
    expect(isSuspectedFalseNegative(rule, 3)).toBe(true);
  });

  it('rel:F compares probabilities with the hardest positive, sensible for negative logits', () => {
    const rule = parseDenoise('rel:0.95', 'drop');
    expect(rule).toEqual({ kind: 'rel', fraction: 0.95, action: 'drop' });
    // positive logit 2 → p = 0.880797; threshold 0.836757 → logit 1.6343
    expect(isSuspectedFalseNegative(rule, 1.7, 2)).toBe(true);
    expect(isSuspectedFalseNegative(rule, 1.6, 2)).toBe(false);
    // negative logits: positive −3 → p = 0.047426, threshold 0.045055 → logit −3.0538
    // (0.95 × −3 = −2.85 on raw logits would wrongly suspect nothing between −3 and −2.85 and
    // suspect candidates scoring below the positive)
    expect(isSuspectedFalseNegative(rule, -3.04, -3)).toBe(true);
    expect(isSuspectedFalseNegative(rule, -3.06, -3)).toBe(false);
    expect(isSuspectedFalseNegative(rule, 5)).toBe(false); // no positive score → rule cannot apply
  });

  it('none suspects nothing; bad specs are rejected clearly', () => {
    expect(isSuspectedFalseNegative(parseDenoise('none'), 100, 0)).toBe(false);
    expect(() => parseDenoise('abs:2')).toThrow(/abs needs a probability in \(0, 1\], e.g. abs:0.1/);
    expect(() => parseDenoise('rel')).toThrow(/unknown denoise rule "rel"/);
    expect(() => parseDenoise('abs:0.1', 'keep' as 'drop')).toThrow(/action must be drop or flag/);
  });
});
