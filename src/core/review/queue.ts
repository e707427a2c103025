// The review queue: which candidates a reviewer sees, in which order. Pure: decisions,
// query texts and search matches come in through a context object so the same logic
// runs in the page and in tests.
import { hashString } from '../export/random';
import type { CandidateFlag, DecisionLabel } from '../types';

/** The fields of a mined candidate that the queue looks at (a CandidateRecord fits). */
export interface QueueItem {
  queryId: string;
  docId: string;
  /** 1-based rank in the fused list. */
  rank: number;
  fused: number;
  members: Record<string, { rank: number | null; score: number | null }>;
  ce?: number;
  cePositive?: number;
  flags: CandidateFlag[];
}

export type StatusFilter = 'all' | 'todo' | 'decided' | 'accept' | 'reject' | 'positive' | 'skip';
export type FlagFilter = 'any' | 'flagged' | 'unflagged' | CandidateFlag;
export type QueueOrder = 'query' | 'uncertainty' | 'audit';

/** An inclusive range; null ends are open. */
export type Range = [min: number | null, max: number | null];

export interface QueueFilters {
  status: StatusFilter;
  flag: FlagFilter;
  fused: Range;
  ce: Range;
  /** Minimum member rank spread (see memberSpread); 0 turns the filter off. */
  disagreement: number;
  /** Case-insensitive substring of the query text, the doc id, or (via ctx.docMatches) the document. */
  search: string;
  /** Only candidates that no earlier run of the project proposed. */
  onlyNew: boolean;
}

export const DEFAULT_FILTERS: QueueFilters = {
  status: 'all',
  flag: 'any',
  fused: [null, null],
  ce: [null, null],
  disagreement: 0,
  search: '',
  onlyNew: false,
};

export interface QueueContext {
  /** The label that counts for this reviewer (own decision, or anyone's outside overlap mode). */
  labelOf(queryId: string, docId: string): DecisionLabel | undefined;
  queryText?(queryId: string): string | undefined;
  /** Documents whose title or text contains the search string (looked up in the db). */
  docMatches?: ReadonlySet<string>;
  /** pairKey()s proposed by earlier runs, for `onlyNew`. */
  seenBefore?: ReadonlySet<string>;
  /** Retrieval depth: a member that did not retrieve a candidate counts as rank depth + 1. */
  depth: number;
  /** Seed of the audit order (the run's id hashed, so every reviewer sees the same sample). */
  auditSeed?: number;
  /**
   * Predicted false-negative probability per pairKey (src/core/learn, unreviewed candidates)
   * and the threshold picked on the Evaluate page: 'uncertainty' then reviews first what the
   * model is least sure of with respect to that threshold.
   */
  predicted?: { probability: ReadonlyMap<string, number>; threshold: number };
}

/** The key of a (query, document) pair in maps and sets. */
export function pairKey(queryId: string, docId: string): string {
  return `${queryId}\u0000${docId}`;
}

/** Not decided yet: no label, or skipped (a skip means "come back to it"). */
export function isTodo(label: DecisionLabel | undefined): boolean {
  return label === undefined || label === 'skip';
}

/**
 * How strongly the ensemble members disagree on a candidate: the largest rank minus
 * the smallest rank over members, a member that did not retrieve it counting as
 * `depth + 1`. One member at rank 2 and another at 80 gives 78. Fewer than two
 * members: 0.
 */
export function memberSpread(members: QueueItem['members'], depth: number): number {
  const ranks = Object.values(members).map((m) => m.rank ?? depth + 1);
  if (ranks.length < 2) return 0;
  return Math.max(...ranks) - Math.min(...ranks);
}

/**
 * How uncertain a candidate is; smaller is reviewed first. With a fitted review model
 * (ctx.predicted): |p − threshold|, the predicted false-negative probability's distance to the
 * threshold the export applies. Otherwise how close the candidate is to the positive: with
 * cross-encoder scores |ce(positive) − ce(candidate)|, without them the negated fused score.
 */
export function uncertainty(c: QueueItem, predicted?: QueueContext['predicted']): number {
  const p = predicted?.probability.get(pairKey(c.queryId, c.docId));
  if (p !== undefined) return Math.abs(p - predicted!.threshold);
  // without a prediction (reviewed, or no model): after every predicted candidate
  if (predicted) return 1 + uncertaintyWithoutModel(c);
  return uncertaintyWithoutModel(c);
}

function uncertaintyWithoutModel(c: QueueItem): number {
  if (c.ce !== undefined && c.cePositive !== undefined) return Math.abs(c.cePositive - c.ce);
  return -c.fused;
}

function inRange(v: number | undefined, [lo, hi]: Range): boolean {
  if (lo === null && hi === null) return true;
  if (v === undefined || Number.isNaN(v)) return false;
  return (lo === null || v >= lo) && (hi === null || v <= hi);
}

function statusMatches(status: StatusFilter, label: DecisionLabel | undefined): boolean {
  switch (status) {
    case 'all':
      return true;
    case 'todo':
      return isTodo(label);
    case 'decided':
      return !isTodo(label);
    default:
      return label === status;
  }
}

function flagMatches(flag: FlagFilter, flags: CandidateFlag[]): boolean {
  if (flag === 'any') return true;
  if (flag === 'flagged') return flags.length > 0;
  if (flag === 'unflagged') return flags.length === 0;
  return flags.includes(flag);
}

/** Whether one candidate passes the filters. */
export function matches(c: QueueItem, f: QueueFilters, ctx: QueueContext): boolean {
  if (!statusMatches(f.status, ctx.labelOf(c.queryId, c.docId))) return false;
  if (!flagMatches(f.flag, c.flags)) return false;
  if (!inRange(c.fused, f.fused)) return false;
  if (!inRange(c.ce, f.ce)) return false;
  if (f.disagreement > 0 && memberSpread(c.members, ctx.depth) < f.disagreement) return false;
  if (f.onlyNew && ctx.seenBefore?.has(pairKey(c.queryId, c.docId))) return false;
  const s = f.search.trim().toLowerCase();
  if (s) {
    const q = ctx.queryText?.(c.queryId)?.toLowerCase() ?? '';
    if (!q.includes(s) && !c.docId.toLowerCase().includes(s) && !ctx.docMatches?.has(c.docId)) return false;
  }
  return true;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The queue: filtered candidates grouped by query (a query's candidates are always
 * contiguous, the page shows one query at a time).
 * - 'query': queries by id, candidates by fused rank.
 * - 'uncertainty': candidates by uncertainty() ascending, queries by their most
 *   uncertain candidate; ties by id / rank so the order is stable across reloads.
 * - 'audit': a uniform random permutation of the candidates (see auditOrder); a query's
 *   candidates are then NOT contiguous: each block is one candidate.
 */
export function buildQueue<T extends QueueItem>(items: readonly T[], f: QueueFilters, order: QueueOrder, ctx: QueueContext): T[] {
  if (order === 'audit') return auditOrder(items.filter((c) => matches(c, f, ctx)), ctx.auditSeed ?? 0);
  const groups = new Map<string, T[]>();
  for (const c of items) {
    if (!matches(c, f, ctx)) continue;
    let g = groups.get(c.queryId);
    if (!g) groups.set(c.queryId, (g = []));
    g.push(c);
  }
  const keyed = [...groups].map(([queryId, g]) => {
    const u = (c: QueueItem) => uncertainty(c, ctx.predicted);
    if (order === 'uncertainty') g.sort((a, b) => u(a) - u(b) || memberSpread(b.members, ctx.depth) - memberSpread(a.members, ctx.depth) || a.rank - b.rank);
    else g.sort((a, b) => a.rank - b.rank);
    return { queryId, g, u: order === 'uncertainty' ? u(g[0]) : 0 };
  });
  keyed.sort((a, b) => a.u - b.u || cmpStr(a.queryId, b.queryId));
  return keyed.flatMap((k) => k.g);
}

/** Index of the first item at or after `from` (wrapping around) whose label is todo; -1 if none. */
export function nextTodo(queue: readonly QueueItem[], from: number, ctx: Pick<QueueContext, 'labelOf'>): number {
  const n = queue.length;
  for (let k = 0; k < n; k++) {
    const i = (from + k) % n;
    if (isTodo(ctx.labelOf(queue[i].queryId, queue[i].docId))) return i;
  }
  return -1;
}

/** [start, end) of the contiguous block of the query at index i. */
export function queryBlock(queue: readonly QueueItem[], i: number): [number, number] {
  const q = queue[i].queryId;
  let s = i;
  while (s > 0 && queue[s - 1].queryId === q) s--;
  let e = i + 1;
  while (e < queue.length && queue[e].queryId === q) e++;
  return [s, e];
}

/** The audit seed of a run: every reviewer and the Evaluate page see the same sample. */
export function auditSeedFor(runId: string): number {
  return fnvMix(0, runId);
}

/** FNV-1a of a (query, document) pair mixed with a seed: the audit order's per-pair random key. */
function auditKey(seed: number, queryId: string, docId: string): number {
  return fnvMix(seed, pairKey(queryId, docId));
}

function fnvMix(seed: number, s: string): number {
  let h = hashString(s, 0x811c9dc5 ^ seed);
  // final avalanche (murmur3 fmix32) so nearby ids do not get nearby keys
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The audit order: candidates sorted by a seeded hash of their (query, document) pair, i.e. a
 * uniform random permutation that does not depend on scores or labels. Any prefix of it is a
 * uniform random sample of the candidates, so the decisions on the longest fully decided prefix
 * estimate the false-negative share of the whole pool without bias (auditSample), whatever
 * order those decisions were made in and whatever the calibration model believes.
 */
export function auditOrder<T extends QueueItem>(items: readonly T[], seed: number): T[] {
  return items
    .map((c) => ({ c, k: auditKey(seed, c.queryId, c.docId) }))
    .sort((a, b) => a.k - b.k || cmpStr(pairKey(a.c.queryId, a.c.docId), pairKey(b.c.queryId, b.c.docId)))
    .map((x) => x.c);
}

export interface AuditSample {
  /** Candidates in the longest prefix of the audit order whose every candidate is decided. */
  audited: number;
  /** Of those, rejected or promoted (false negatives). */
  falseNegatives: number;
  /** All candidates the audit order covers. */
  population: number;
}

/**
 * The audit sample of a pool: the decided prefix of auditOrder. Skips count as undecided (the
 * prefix stops there: dropping a skipped candidate would make the sample depend on labels).
 */
export function auditSample(items: readonly QueueItem[], seed: number, labelOf: QueueContext['labelOf']): AuditSample {
  let audited = 0, falseNegatives = 0;
  for (const c of auditOrder(items, seed)) {
    const l = labelOf(c.queryId, c.docId);
    if (isTodo(l)) break;
    audited++;
    if (l === 'reject' || l === 'positive') falseNegatives++;
  }
  return { audited, falseNegatives, population: items.length };
}
