// Rank ranges (`--range`), in the two meanings the field uses. They differ in what the ranks
// count and in whether the skip happens before or after the filters, so they are named.

/**
 * - `window` — FlagEmbedding `range_for_sampling` (FlagOpen/FlagEmbedding scripts/hn_mine.py,
 *   `find_knn_neg`: `inxs = all_inxs[i][sample_range[0]:sample_range[1]]`, then positives and
 *   the query text are filtered out). A slice of the RAW ranking: 1-based ranks min < r ≤ max,
 *   positives counted in the ranks, taken BEFORE any filter. `10:210` is FlagEmbedding's default.
 * - `st` — sentence-transformers `range_min` / `range_max` (UKPLab/sentence-transformers
 *   sentence_transformers/util/hard_negatives.py, `mine_hard_negatives`): the ranking is cut
 *   to its first `range_max + max_positives` entries, positives are masked, margin / max_score
 *   filters remove candidates, then the first `range_max` remaining candidates are kept and the
 *   first `range_min` of them skipped. So range_min skips the top candidates AFTER positives
 *   are removed and filters applied, and range_max bounds the candidates considered.
 *   Quarry counts this query's positives for `max_positives` (ST takes the maximum over the
 *   dataset; the same whenever every query has as many positives, e.g. one).
 */
export type RangeSemantics = 'window' | 'st';

export const RANGE_SEMANTICS: readonly RangeSemantics[] = ['window', 'st'];

export interface RankRange {
  min: number;
  max: number;
  /** Absent means 'window' (what a bare `MIN:MAX` has always meant in Quarry). */
  semantics?: RangeSemantics;
}

export const RANGE_SYNTAX = '[window:|st:]MIN:MAX';

/**
 * Parses `--range`: `window:MIN:MAX` (FlagEmbedding), `st:MIN:MAX` (sentence-transformers), or a
 * bare `MIN:MAX`, which is `window` (Quarry's meaning since the first release).
 */
export function parseRange(spec: string): RankRange {
  const m = /^\s*(?:(window|st)\s*:)?\s*(\d+)\s*:\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new Error(`range "${spec}": expected ${RANGE_SYNTAX} with whole numbers, e.g. 10:100 or st:0:50`);
  const min = Number(m[2]), max = Number(m[3]);
  if (max <= min) throw new Error(`range "${spec}": MAX must be greater than MIN`);
  return m[1] ? { min, max, semantics: m[1] as RangeSemantics } : { min, max };
}

/** Canonical text (`window:0:100`, `st:10:50`), for run records and logs. */
export function formatRange(r: RankRange): string {
  return `${r.semantics ?? 'window'}:${r.min}:${r.max}`;
}

/** One line saying what a range does, for logs and the Mine page. */
export function describeRange(r: RankRange): string {
  return (r.semantics ?? 'window') === 'window'
    ? `window ${r.min}:${r.max} (FlagEmbedding range_for_sampling): fused ranks ${r.min} < rank ≤ ${r.max}, positives counted, before filters`
    : `st ${r.min}:${r.max} (sentence-transformers range_min/range_max): first ${r.max} candidates passing the filters (positives removed), the first ${r.min} of them skipped`;
}

/** Window test on a 1-based rank (positives counted): min < rank ≤ max. */
export function inRange(rank: number, range: RankRange | undefined): boolean {
  return !range || (rank > range.min && rank <= range.max);
}

/**
 * Before the filters: is the candidate at this 1-based raw rank (positives counted) considered?
 * window: min < rank ≤ max. st: rank ≤ max + positives (ST's `topk(k = range_max + max_positives)`).
 */
export function rangeConsiders(rank: number, range: RankRange | undefined, positives: number): boolean {
  if (!range) return true;
  if ((range.semantics ?? 'window') === 'window') return inRange(rank, range);
  return rank <= range.max + positives;
}

/**
 * After positives, duplicates and the strategy filter: the candidates the range lets through,
 * in order. window: all (its cut was on raw ranks). st: `passing[min : max]` (ST keeps the
 * top `range_max` surviving candidates, then drops the first `range_min`).
 */
export function rangeAfterFilters<T>(passing: readonly T[], range: RankRange | undefined): T[] {
  if (!range || (range.semantics ?? 'window') === 'window') return [...passing];
  return passing.slice(range.min, range.max);
}
