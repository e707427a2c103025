// Pure numbers behind the Evaluate page (no React, no Dexie): histograms with shared bins,
// positive-rank buckets, review counts. Tested in stats.test.ts.
import type { Hit } from '../../../core/types';

export interface HistogramBin {
  x0: number;
  x1: number;
  /** Bin label for the axis: its centre, 2 decimals. */
  label: string;
  positives: number;
  negatives: number;
}

/**
 * Two distributions over the same `bins` equal-width bins spanning both (min..max), so the
 * bars can be compared side by side. The maximum falls in the last bin. Non-finite values
 * are ignored. Empty input gives no bins; a single distinct value gives one bin.
 */
export function sharedHistogram(positives: readonly number[], negatives: readonly number[], bins = 20): HistogramBin[] {
  const pos = positives.filter(Number.isFinite);
  const neg = negatives.filter(Number.isFinite);
  const all = [...pos, ...neg];
  if (all.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of all) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = max === min ? 1 : bins;
  const width = max === min ? 1 : (max - min) / n;
  const out: HistogramBin[] = Array.from({ length: n }, (_, i) => {
    const x0 = min + i * width;
    const x1 = i === n - 1 ? Math.max(max, x0 + width) : x0 + width;
    return { x0, x1, label: ((x0 + x1) / 2).toFixed(2), positives: 0, negatives: 0 };
  });
  const binOf = (v: number) => (max === min ? 0 : Math.min(n - 1, Math.floor((v - min) / width)));
  for (const v of pos) out[binOf(v)].positives++;
  for (const v of neg) out[binOf(v)].negatives++;
  return out;
}

export const RANK_BUCKETS = ['1', '2', '3', '4–5', '6–10', '11–20', '21–50', '51–100', '>100', 'not found'] as const;
export type RankBucket = (typeof RANK_BUCKETS)[number];

export function rankBucket(rank: number | null): RankBucket {
  if (rank === null) return 'not found';
  if (rank <= 3) return String(rank) as RankBucket;
  if (rank <= 5) return '4–5';
  if (rank <= 10) return '6–10';
  if (rank <= 20) return '11–20';
  if (rank <= 50) return '21–50';
  if (rank <= 100) return '51–100';
  return '>100';
}

/** Rank (1-based) of the best-ranked positive in a hit list, or null when none is there. */
export function firstPositiveRank(hits: readonly Hit[], positives: ReadonlySet<string> | readonly string[]): number | null {
  const set = positives instanceof Set ? positives : new Set(positives as readonly string[]);
  for (let i = 0; i < hits.length; i++) if (set.has(hits[i][0])) return i + 1;
  return null;
}

/** Count per bucket for several series (e.g. one per member): rows for a grouped bar chart. */
export function rankDistribution(series: Record<string, ReadonlyArray<number | null>>): Array<Record<string, string | number>> {
  return RANK_BUCKETS.map((bucket) => {
    const row: Record<string, string | number> = { bucket };
    for (const [name, ranks] of Object.entries(series)) row[name] = ranks.filter((r) => rankBucket(r) === bucket).length;
    return row;
  });
}

// Review counts are shared with the export's dataset card.
export { reviewCounts, type ReviewCounts } from '../../../core/export';
