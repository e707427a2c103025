// What the false-negative calibration sees of a candidate: only what Quarry already stores per
// candidate (fused rank and score, each member's rank and score, the cross-encoder logit, the
// cosine to the positive), plus how much the members disagree about it. Unknown values are NaN
// (the calibrator imputes them and learns from their absence).

import type { MemberScore } from '../fusion';

export interface CandidateFacts {
  fusedRank: number | null;
  fusedScore: number | null;
  members: Record<string, MemberScore>;
  ce: number | null;
  /** Cross-encoder logit of the (hardest) positive of the same query, when scored. */
  cePositive?: number | null;
  /** Cosine of the candidate and the (hardest) positive, when a dense member gives it. */
  simToPositive?: number | null;
}

export interface FeatureSpace {
  names: string[];
  vector(c: CandidateFacts): number[];
}

const orNaN = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/**
 * The feature columns for a run with these members. `depth` is the members' list depth: a
 * member that did not list the candidate counts as rank depth + 1 in the disagreement measure.
 */
export function featureSpace(memberNames: readonly string[], depth = 100): FeatureSpace {
  const names = [
    'log fused rank',
    'fused score',
    'cross-encoder logit',
    'logit minus positive logit',
    'cosine to positive',
    ...memberNames.flatMap((m) => [`${m} score`, `${m} log rank`]),
    'member disagreement',
  ];
  return {
    names,
    vector(c) {
      const logRanks = memberNames.map((m) => Math.log(c.members[m]?.rank ?? depth + 1));
      const mean = logRanks.reduce((a, b) => a + b, 0) / Math.max(logRanks.length, 1);
      const disagreement = Math.sqrt(logRanks.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(logRanks.length, 1));
      return [
        c.fusedRank === null ? NaN : Math.log(c.fusedRank),
        orNaN(c.fusedScore),
        orNaN(c.ce),
        c.ce === null || c.cePositive === null || c.cePositive === undefined ? NaN : c.ce - c.cePositive,
        orNaN(c.simToPositive),
        ...memberNames.flatMap((m) => {
          const s = c.members[m];
          return [orNaN(s?.score), s?.rank ? Math.log(s.rank) : NaN];
        }),
        disagreement,
      ];
    },
  };
}
