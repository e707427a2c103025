// Learning from the reviews of one run: what the Evaluate page shows and what an export applies.
// One implementation for every caller, pure (labels come in through `labelOf`).
//
// Labels: accept = a true negative (0); reject or promote = a false negative (1); skip and
// undecided = unreviewed. Only candidates Quarry proposed count (random negatives are excluded:
// they are not what the calibration is about).

import { auditSample, isTodo, type QueueItem } from '../review/queue';
import type { DecisionLabel } from '../types';
import { crossValidate, fitCalibrator, predictFalseNegative, type CrossValidation, type LabelledRow } from './calibration';
import { estimateShareByAudit, estimateShareByModel, previewThreshold, type ShareEstimate, type ThresholdPreview } from './estimate';
import { featureSpace } from './features';

/** Fewest decisions of each kind before a model is fitted (below this the page says what is missing). */
export const MIN_PER_CLASS = 5;

export interface ReviewModelInput {
  candidates: readonly QueueItem[];
  memberNames: readonly string[];
  depth: number;
  labelOf(queryId: string, docId: string): DecisionLabel | undefined;
  auditSeed: number;
  seed?: number;
  /** Also estimate the false-negative share (bootstrap refits); default true. The queue needs predictions only. */
  estimate?: boolean;
}

export interface ReviewModelReport {
  reviewed: { negatives: number; falseNegatives: number };
  unreviewed: number;
  /** Why no model was fitted (too few decisions of one kind), else undefined. */
  notFitted?: string;
  features: string[];
  cv?: CrossValidation;
  /** Predicted false-negative probability of each unreviewed candidate (empty when not fitted). */
  predictions: Map<QueueItem, number>;
  modelEstimate?: ShareEstimate;
  audit: { audited: number; falseNegatives: number; estimate?: ShareEstimate };
}

const isCandidate = (c: QueueItem) => !c.flags.includes('random');

export function learnFromReviews(input: ReviewModelInput): ReviewModelReport {
  const space = featureSpace(input.memberNames, input.depth);
  const pool = input.candidates.filter(isCandidate);
  const rows: LabelledRow[] = [];
  const unreviewedItems: QueueItem[] = [];
  const xs: number[][] = []; // features of unreviewedItems, in the same order
  let neg = 0, fn = 0;
  for (const c of pool) {
    const l = input.labelOf(c.queryId, c.docId);
    const x = space.vector(facts(c));
    if (isTodo(l)) (unreviewedItems.push(c), xs.push(x));
    else if (l === 'accept') (rows.push({ x, y: 0 }), neg++);
    else (rows.push({ x, y: 1 }), fn++);
  }
  const a = auditSample(pool, input.auditSeed, input.labelOf);
  const audit = {
    audited: a.audited,
    falseNegatives: a.falseNegatives,
    estimate: a.audited > 0 ? estimateShareByAudit(a.falseNegatives, a.audited, a.population) : undefined,
  };
  const base = { reviewed: { negatives: neg, falseNegatives: fn }, unreviewed: unreviewedItems.length, features: space.names, audit };
  if (neg < MIN_PER_CLASS || fn < MIN_PER_CLASS) {
    return {
      ...base,
      notFitted: `needs at least ${MIN_PER_CLASS} accepted and ${MIN_PER_CLASS} rejected or promoted candidates (have ${neg} and ${fn})`,
      predictions: new Map(),
    };
  }
  const seed = input.seed ?? 1;
  const cv = crossValidate(space.names, rows, { seed });
  const cal = fitCalibrator(space.names, rows);
  const predictions = new Map(unreviewedItems.map((c, i) => [c, predictFalseNegative(cal, xs[i])]));
  const modelEstimate = input.estimate === false ? undefined : estimateShareByModel(space.names, rows, xs, { seed, bootstrap: 50 });
  return { ...base, cv, predictions, modelEstimate };
}

/** What excluding unreviewed candidates above `threshold` would change. */
export function thresholdPreview(report: ReviewModelReport, threshold: number): ThresholdPreview {
  return previewThreshold([...report.predictions.values()], threshold);
}

/** The candidates an export would drop at `threshold` (predicted, never human-reviewed ones). */
export function predictedFalseNegatives(report: ReviewModelReport, threshold: number): QueueItem[] {
  return [...report.predictions].filter(([, p]) => p > threshold).map(([c]) => c);
}

function facts(c: QueueItem) {
  return { fusedRank: c.rank, fusedScore: c.fused, members: c.members, ce: c.ce ?? null, cePositive: c.cePositive ?? null };
}

