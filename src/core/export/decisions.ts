// Several reviewers may label the same (query, document) pair. An export needs one label
// per pair; this module decides which, with a rule simple enough to state on the card.
import type { DecisionLabel } from '../types';

export interface DecisionLike {
  queryId: string;
  docId: string;
  reviewer: string;
  label: DecisionLabel;
}

/**
 * Precedence when reviewers disagree: positive > reject > accept > skip.
 * A document anyone promoted is relevant, so it must never be a negative; a document
 * anyone rejected is doubtful, so it stays out; only then does an accept count. `skip`
 * is "not decided" and never overrides anything.
 */
const PRECEDENCE: Record<DecisionLabel, number> = { positive: 3, reject: 2, accept: 1, skip: 0 };

export const DECISION_RULE =
  'one label per (query, document): positive > reject > accept > skip across reviewers';

/** Map queryId → docId → the resolved label. `reviewer` limits it to one reviewer's decisions. */
export function resolveDecisions(
  decisions: Iterable<DecisionLike>,
  reviewer?: string,
): Map<string, Map<string, DecisionLabel>> {
  const out = new Map<string, Map<string, DecisionLabel>>();
  for (const d of decisions) {
    if (reviewer !== undefined && d.reviewer !== reviewer) continue;
    let perQuery = out.get(d.queryId);
    if (!perQuery) out.set(d.queryId, (perQuery = new Map()));
    const prev = perQuery.get(d.docId);
    if (prev === undefined || PRECEDENCE[d.label] > PRECEDENCE[prev]) perQuery.set(d.docId, d.label);
  }
  return out;
}
