// Which documents go into which training rows. Pure: the caller (src/db/exports.ts) loads
// the run's candidates, the project's decisions and qrels, and hands them over as data.
//
// Rules (they are printed on the dataset card, keep both in sync):
// - positives: the query's own qrels first (imported), then those promoted in review (qrels
//   written by review, and every candidate whose resolved decision is `positive`), marked
//   `promoted`: a promotion adds a positive, it never takes the gold one's place;
// - negatives, in this order: candidates whose decision is `accept` (by fused rank), then
//   (only if allowed) unreviewed candidates (no decision, or `skip`) without an excluding flag
//   (suspected false negative, near-duplicate of a positive, duplicate of a positive: see
//   exclusionReason, which `quarry mine` applies too), then (only if allowed and a target
//   count exists) random corpus documents, never one whose body equals a positive's;
// - a `reject`ed document never appears, neither as a negative nor as a random pick;
// - a query with no positive or no negative yields no row; with `strictTarget` (n-tuples and
//   Parquet need the same number of negative columns in every row), a query that cannot reach
//   the target yields no row either. LCE groups are not strict: the trainer fills a short group
//   by sampling its negatives with replacement.
import type { CandidateFlag, DecisionLabel, Doc, Query } from '../types';
import type { TrainingExample } from '../formats/export/types.ts';
import { hashString, mulberry32 } from './random';
import { duplicateOfPositives } from '../mining/duplicates';

export interface ExportCandidate {
  docId: string;
  /** Fused rank (1-based): the order negatives are taken in. */
  rank: number;
  /**
   * Retrieval score on the run's score source (the member the strategy compared, else the
   * fused score): the writers' negative `score`, as `quarry mine` writes it.
   */
  score?: number;
  /** Cross-encoder score of (query, this document). */
  ce?: number;
  /** Cross-encoder score of (query, hardest positive). */
  cePositive?: number;
  flags: readonly CandidateFlag[];
}

export interface ExportQueryInput {
  query: Query;
  /** Positive document ids from the query's own (imported) qrels, score > 0. */
  positiveIds: readonly string[];
  /** Positive document ids promoted in review (qrels with source 'review'). */
  promotedIds?: readonly string[];
  candidates: readonly ExportCandidate[];
}

export type NegativeSource = 'accepted' | 'unreviewed' | 'random';

export interface ExportOptions {
  includeUnreviewed: boolean;
  /** Fill up to the target with random corpus documents. Needs `target`. */
  fillRandom: boolean;
  /** Negatives per row: at most this many; with `fillRandom`, random documents fill up to it. */
  target?: number;
  /** Drop queries that cannot reach `target` (n-tuple rows have a fixed width). */
  strictTarget?: boolean;
  seed: number;
}

/** The writers' neutral row (src/core/formats TrainingExample). */
export type AssembledExample = TrainingExample;

export interface AssembledRow {
  example: AssembledExample;
  /** negativeSources[i] says where example.negatives[i] came from. */
  negativeSources: NegativeSource[];
}

export interface AssembleCounts {
  queriesIn: number;
  rows: number;
  droppedNoPositive: number;
  droppedNoNegative: number;
  droppedShort: number;
  positivesQrel: number;
  positivesPromoted: number;
  negatives: Record<NegativeSource, number>;
  rejectedExcluded: number;
  /** Unreviewed candidates left out for a flag (the sum of `excluded`). */
  flaggedExcluded: number;
  excluded: Record<ExclusionReason, number>;
}

/** Flags that keep a candidate out of an export unless a reviewer accepted it. */
export type ExclusionReason = 'suspected-false-negative' | 'near-duplicate' | 'duplicate-of-positive';
export const EXCLUSION_REASONS: readonly ExclusionReason[] = ['suspected-false-negative', 'near-duplicate', 'duplicate-of-positive'];

/**
 * Why a candidate nobody accepted must stay out of a training set: the denoiser suspects it
 * is relevant, or it is (nearly) a copy of a positive (cosine > 0.98, or the same body).
 * undefined when it may be exported. An accept overrides every flag: the reviewer saw it.
 * Used by the app's export and by `quarry mine` (which has no reviewer).
 */
export function exclusionReason(flags: readonly CandidateFlag[]): ExclusionReason | undefined {
  return EXCLUSION_REASONS.find((r) => flags.includes(r));
}

export function noExclusions(): Record<ExclusionReason, number> {
  return { 'suspected-false-negative': 0, 'near-duplicate': 0, 'duplicate-of-positive': 0 };
}

/** A document as a training text: `title: text` (see core docText), as the models saw it. */
export function exportText(doc: Pick<Doc, 'title' | 'text'>): string {
  return doc.title ? `${doc.title}: ${doc.text}` : doc.text;
}

export function assembleRows(
  inputs: readonly ExportQueryInput[],
  decisions: ReadonlyMap<string, ReadonlyMap<string, DecisionLabel>>,
  getDoc: (id: string) => Doc | undefined,
  opts: ExportOptions,
  /** Every document id random negatives may be drawn from (needed only with fillRandom). */
  randomPool: readonly string[] = [],
): { rows: AssembledRow[]; counts: AssembleCounts } {
  if (opts.fillRandom && opts.target === undefined) throw new Error('random fill needs a target number of negatives');
  if (opts.target !== undefined && !(Number.isInteger(opts.target) && opts.target >= 1)) {
    throw new Error(`negatives per row must be a whole number ≥ 1, got ${opts.target}`);
  }
  const counts: AssembleCounts = {
    queriesIn: inputs.length,
    rows: 0,
    droppedNoPositive: 0,
    droppedNoNegative: 0,
    droppedShort: 0,
    positivesQrel: 0,
    positivesPromoted: 0,
    negatives: { accepted: 0, unreviewed: 0, random: 0 },
    rejectedExcluded: 0,
    flaggedExcluded: 0,
    excluded: noExclusions(),
  };
  const rows: AssembledRow[] = [];
  const target = opts.target ?? Infinity;

  for (const input of inputs) {
    const labels = decisions.get(input.query.id) ?? new Map<string, DecisionLabel>();
    const cands = [...input.candidates].sort((a, b) => a.rank - b.rank);

    // Positives: the query's own qrels first, then promoted ones not already among them.
    const positives: AssembledExample['positives'] = [];
    const positiveIds = new Set<string>();
    const qrelIds = [...new Set(input.positiveIds)];
    const singleCePositive = qrelIds.length === 1 ? cands.find((c) => c.cePositive !== undefined)?.cePositive : undefined;
    let nQrel = 0;
    let nPromoted = 0;
    for (const id of qrelIds) {
      const doc = getDoc(id);
      if (!doc) continue;
      positiveIds.add(id);
      // cePositive is the score of the *hardest* positive; it names no document, so it is
      // only attributable when the query has exactly one positive.
      positives.push(withScore({ id, text: exportText(doc) }, singleCePositive));
      nQrel++;
    }
    const promote = (docId: string, score: number | undefined) => {
      if (positiveIds.has(docId)) return;
      const doc = getDoc(docId);
      if (!doc) return;
      positiveIds.add(docId);
      positives.push({ ...withScore({ id: docId, text: exportText(doc) }, score), promoted: true });
      nPromoted++;
    };
    const ceOf = new Map(cands.map((c) => [c.docId, c.ce]));
    for (const c of cands) if (labels.get(c.docId) === 'positive') promote(c.docId, c.ce);
    // Promoted in review, from this run or earlier ones (a qrel or a decision, not
    // necessarily a candidate here).
    for (const id of input.promotedIds ?? []) promote(id, ceOf.get(id));
    for (const [docId, label] of labels) if (label === 'positive') promote(docId, undefined);

    const negatives: AssembledExample['negatives'] = [];
    const sources: NegativeSource[] = [];
    const used = new Set<string>(positiveIds);
    let rejected = 0;
    let flagged = 0;
    const take = (c: ExportCandidate, source: NegativeSource) => {
      const doc = getDoc(c.docId);
      if (!doc || negatives.length >= target) return;
      used.add(c.docId);
      const neg: AssembledExample['negatives'][number] = { id: c.docId, text: exportText(doc) };
      if (c.score !== undefined) neg.score = c.score;
      if (c.ce !== undefined) neg.ce = c.ce;
      negatives.push(neg);
      sources.push(source);
    };
    for (const c of cands) {
      const label = labels.get(c.docId);
      if (label === 'reject') rejected++;
      if (label === 'accept' && !used.has(c.docId)) take(c, 'accepted');
    }
    for (const c of cands) {
      const label = labels.get(c.docId);
      if ((label !== undefined && label !== 'skip') || used.has(c.docId)) continue;
      const reason = exclusionReason(c.flags);
      if (reason) {
        flagged++;
        counts.excluded[reason]++;
        continue;
      }
      if (opts.includeUnreviewed) take(c, 'unreviewed');
    }
    if (opts.fillRandom && negatives.length < target && randomPool.length > 0) {
      // Never a rejected document, a positive, or a candidate (a candidate is a hard
      // negative someone may still judge: a random pick should be an easy one).
      const banned = new Set<string>(used);
      for (const c of cands) banned.add(c.docId);
      for (const [docId] of labels) banned.add(docId);
      const rand = mulberry32(hashString(input.query.id, opts.seed >>> 0));
      // a document with a positive's body is that positive under another name
      const isDuplicate = duplicateOfPositives([...positiveIds], getDoc);
      // Rejection sampling with a bounded number of tries; falls back to a scan for tiny pools.
      let tries = 0;
      while (negatives.length < target && tries < randomPool.length * 4 + 64) {
        tries++;
        const id = randomPool[Math.floor(rand() * randomPool.length)];
        if (banned.has(id)) continue;
        banned.add(id);
        const doc = getDoc(id);
        if (!doc || isDuplicate(id)) continue;
        negatives.push({ id, text: exportText(doc) });
        sources.push('random');
      }
    }

    counts.rejectedExcluded += rejected;
    counts.flaggedExcluded += flagged;
    if (positives.length === 0) {
      counts.droppedNoPositive++;
      continue;
    }
    if (negatives.length === 0) {
      counts.droppedNoNegative++;
      continue;
    }
    if (opts.strictTarget && negatives.length < target) {
      counts.droppedShort++;
      continue;
    }
    counts.rows++;
    counts.positivesQrel += nQrel;
    counts.positivesPromoted += nPromoted;
    for (const s of sources) counts.negatives[s]++;
    rows.push({ example: { queryId: input.query.id, query: input.query.text, positives, negatives }, negativeSources: sources });
  }
  return { rows, counts };
}

function withScore<T extends { id: string; text: string }>(p: T, score: number | undefined): T & { score?: number } {
  return score === undefined ? p : { ...p, score };
}
