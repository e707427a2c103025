import { describe, expect, it } from 'vitest';
import { auditOrder, pairKey, type QueueItem } from '../review/queue';
import { createRng } from '../selection/random';
import type { DecisionLabel } from '../types';
import { learnFromReviews, predictedFalseNegatives, thresholdPreview } from './review-model';

/** 300 candidates; the truth: a candidate whose logit is within 1 of its positive's is a false negative. */
function pool(seed: number) {
  const rng = createRng(seed);
  const items: QueueItem[] = [];
  const truth = new Map<string, 0 | 1>();
  for (let i = 0; i < 300; i++) {
    const ce = rng() * 8 - 4;
    const item: QueueItem = {
      queryId: `q${i % 30}`,
      docId: `d${i}`,
      rank: (i % 10) + 1,
      fused: 3 - (i % 10) * 0.2 + rng(),
      members: { bm25: { rank: (i % 10) + 1, score: 10 - (i % 10) }, dense: { rank: rng() < 0.2 ? null : (i % 7) + 1, score: 0.5 + rng() * 0.4 } },
      ce,
      cePositive: 2,
      flags: i % 50 === 0 ? ['random'] : [],
    };
    items.push(item);
    truth.set(pairKey(item.queryId, item.docId), ce > 1 + (rng() - 0.5) ? 1 : 0);
  }
  return { items, truth };
}

const label = (y: 0 | 1): DecisionLabel => (y ? 'reject' : 'accept');

describe('learning from reviews', () => {
  it('says what is missing until both kinds of decision are there', () => {
    const { items } = pool(1);
    const labels = new Map<string, DecisionLabel>([[pairKey('q1', 'd1'), 'accept']]);
    const r = learnFromReviews({ candidates: items, memberNames: ['bm25', 'dense'], depth: 100, labelOf: (q, d) => labels.get(pairKey(q, d)), auditSeed: 1 });
    expect(r.notFitted).toMatch(/at least 5 accepted and 5 rejected/);
    expect(r.predictions.size).toBe(0);
    expect(r.unreviewed).toBe(300 - 6 - 1); // 6 random negatives are not candidates
  });

  it('fits on decisions, predicts only unreviewed candidates, and the audit prefix gives an unbiased check', () => {
    const { items, truth } = pool(2);
    const seed = 77;
    const candidates = items.filter((c) => !c.flags.includes('random'));
    // the reviewer follows the audit order for 120 candidates
    const labels = new Map<string, DecisionLabel>();
    for (const c of auditOrder(candidates, seed).slice(0, 120)) labels.set(pairKey(c.queryId, c.docId), label(truth.get(pairKey(c.queryId, c.docId))!));
    const r = learnFromReviews({ candidates: items, memberNames: ['bm25', 'dense'], depth: 100, labelOf: (q, d) => labels.get(pairKey(q, d)), auditSeed: seed });
    expect(r.notFitted).toBeUndefined();
    expect(r.audit.audited).toBe(120);
    expect(r.reviewed.negatives + r.reviewed.falseNegatives).toBe(120);
    expect(r.predictions.size).toBe(candidates.length - 120);
    for (const c of r.predictions.keys()) expect(labels.has(pairKey(c.queryId, c.docId))).toBe(false);
    // the logit is the signal: the cross-validated AUC is high
    expect(r.cv!.auc.estimate).toBeGreaterThan(0.85);
    const rest = [...r.predictions.keys()];
    const trueShare = rest.reduce((a, c) => a + truth.get(pairKey(c.queryId, c.docId))!, 0) / rest.length;
    expect(trueShare).toBeGreaterThanOrEqual(r.modelEstimate!.low);
    expect(trueShare).toBeLessThanOrEqual(r.modelEstimate!.high);
    expect(trueShare).toBeGreaterThanOrEqual(r.audit.estimate!.low);
    expect(trueShare).toBeLessThanOrEqual(r.audit.estimate!.high);
    // the preview and the excluded list agree, and excluding catches mostly false negatives
    const p = thresholdPreview(r, 0.5);
    const dropped = predictedFalseNegatives(r, 0.5);
    expect(dropped).toHaveLength(p.excluded);
    const caught = dropped.filter((c) => truth.get(pairKey(c.queryId, c.docId)) === 1).length;
    expect(caught / dropped.length).toBeGreaterThan(0.7);
  });
});
