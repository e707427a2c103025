// Evaluation of each member and of their fusion over many queries: what `quarry eval --json`
// prints and what the browser's Evaluate page shows.

import { fuse, type MemberList } from '../fusion';
import { evaluate, type EvaluateOptions, type MetricSummary, type Qrels } from '../metrics';
import type { FusionMethod, Hit } from '../types';

export interface EnsembleEvaluation {
  queries: number;
  members: Record<string, MetricSummary>;
  ensemble: MetricSummary;
}

/**
 * `lists` maps a query id to its members' top lists (same member names for every query).
 * Members are scored on their own lists, the ensemble on the fused list of the union.
 * Queries follow evaluate(): those with a relevant qrel, a missing query counting 0.
 */
export function evaluateEnsemble(
  lists: ReadonlyMap<string, readonly MemberList[]>,
  qrels: Qrels,
  fusion: FusionMethod,
  opts: { rrfK?: number } & EvaluateOptions = {},
): EnsembleEvaluation {
  const memberRuns = new Map<string, Map<string, Hit[]>>();
  const fusedRun = new Map<string, Hit[]>();
  for (const [qid, members] of lists) {
    for (const m of members) {
      let run = memberRuns.get(m.name);
      if (!run) memberRuns.set(m.name, (run = new Map()));
      run.set(qid, m.hits);
    }
    fusedRun.set(qid, fuse(members, fusion, { rrfK: opts.rrfK }).map((h): Hit => [h.docId, h.score]));
  }
  const members: Record<string, MetricSummary> = {};
  for (const [name, run] of memberRuns) members[name] = evaluate(run, qrels, opts);
  const ensemble = evaluate(fusedRun, qrels, opts);
  return { queries: ensemble.queries, members, ensemble };
}
