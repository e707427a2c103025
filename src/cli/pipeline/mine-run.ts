// `quarry mine` orchestration: member lists → core mineQuery per query (with exact member
// scores of positives and of documents outside a member's list), optional cross-encoder
// denoising (core mineWithCrossEncoder), and the training examples the export writers take,
// without the flagged negatives (core exclusionReason, as the app's export).
import type { DenoiseRule } from '../../core/denoise';
import type { TrainingExample } from '../../core/formats/export/types';
import type { PairScorer } from '../../core/models';
import { corpusOrder, mineQuery, mineWithCrossEncoder, type CrossEncoderQuery, type MineQueryResult, type DropReason } from '../../core/mining';
import { exclusionReason, noExclusions, type ExclusionReason } from '../../core/export';
import { queryRng, type RankRange, type Sampling, type Strategy } from '../../core/selection';
import type { FusionMethod } from '../../core/types';
import { docText } from '../../core/types';
import type { SplitData } from './data';
import type { MemberRun } from './members';

export interface MineSettings {
  fusion: FusionMethod;
  weights: number[];
  strategy: Strategy;
  /** 'fused' or a member name: the scale strategy thresholds compare. */
  scoreSource: string;
  range?: RankRange;
  sampling?: Sampling;
  pad?: boolean;
  negatives: number;
  randomNegatives: number;
  seed: number;
  reranker?: { scorer: PairScorer; rule: DenoiseRule };
  log: (line: string) => void;
}

export interface MineOutcome {
  examples: TrainingExample[];
  results: MineQueryResult[];
  dropped: Record<DropReason, number>;
  /** Mined negatives left out of the export for a flag (no reviewer can accept them here). */
  excluded: Record<ExclusionReason, number>;
}

export async function mineSplit(data: SplitData, runs: MemberRun[], s: MineSettings): Promise<MineOutcome> {
  const docs = new Map(data.docs.map((d) => [d.id, d]));
  const texts = new Map(data.docs.map((d) => [d.id, docText(d)]));
  const corpusIds = corpusOrder(data.docs.map((d) => d.id));
  const dense = similaritySpace(runs);
  const byName = new Map(runs.map((r) => [r.name, r]));

  const inputFor = (qid: string): CrossEncoderQuery => {
    const positives = [...(data.qrels.get(qid)?.keys() ?? [])]
      .filter((id) => texts.has(id))
      .map((docId) => {
        const memberScores: Record<string, number> = {};
        for (const r of runs) {
          const v = r.score(qid, docId);
          if (v !== undefined) memberScores[r.name] = v;
        }
        return { docId, memberScores };
      });
    return {
      queryId: qid,
      positives,
      memberLists: runs.map((r, i) => ({ name: r.name, weight: s.weights[i], hits: r.lists.get(qid) ?? [] })),
      fusion: s.fusion,
      strategy: s.strategy,
      scoreSource: s.scoreSource,
      range: s.range,
      sampling: s.sampling,
      pad: s.pad,
      negatives: s.negatives,
      randomNegatives: s.randomNegatives,
      corpusIds,
      newRng: () => queryRng(s.seed, qid),
      docOf: (id) => docs.get(id),
      memberScore: (member, docId) => byName.get(member)?.score(qid, docId),
      similarity: dense
        ? { qd: (docId) => dense.score(qid, docId), pd: (posId, docId) => dense.docDoc!(posId, docId) }
        : undefined,
    };
  };

  const queries = data.queries.filter((q) => [...(data.qrels.get(q.id)?.keys() ?? [])].some((id) => texts.has(id)));
  if (queries.length < data.queries.length) s.log(`${data.queries.length - queries.length} queries skipped: none of their positives is in the corpus`);

  let results: MineQueryResult[];
  if (s.reranker) {
    // Cross-encoder: each round scores, for every query at once, what it still needs (its
    // positives, then candidates down the pool until N pass); nothing unscored is exported.
    const queryText = new Map(queries.map((q) => [q.id, q.text]));
    const scorer = s.reranker.scorer;
    const t0 = performance.now();
    const outcome = await mineWithCrossEncoder(
      queries.map((q) => inputFor(q.id)),
      s.reranker.rule,
      (pairs) => scorer.score(pairs.map((p): [string, string] => [queryText.get(p.queryId)!, texts.get(p.docId)!])),
      (round, n) => s.log(`cross-encoder: scoring ${n} (query, document) pairs (round ${round})`),
    );
    s.log(`cross-encoder: ${outcome.pairs} pairs in ${outcome.rounds} rounds, ${(outcome.pairs / ((performance.now() - t0) / 1000)).toFixed(0)} pairs/s`);
    results = outcome.results;
  } else {
    results = queries.map((q) => {
      const { newRng, ...input } = inputFor(q.id);
      return mineQuery({ ...input, rng: newRng() });
    });
  }

  const examples: TrainingExample[] = [];
  const dropped = {} as Record<DropReason, number>;
  const excluded = noExclusions();
  results.forEach((result, i) => {
    const q = queries[i];
    for (const d of result.dropped) dropped[d.reason] = (dropped[d.reason] ?? 0) + 1;
    const kept = result.negatives.filter((n) => {
      const reason = exclusionReason(n.flags);
      if (reason) excluded[reason]++;
      return !reason;
    });
    examples.push({
      queryId: q.id,
      query: q.text,
      positives: result.positives.map((p) => ({ id: p.docId, text: texts.get(p.docId)!, ...(p.ce !== null ? { score: p.ce } : {}) })),
      negatives: kept.map((n) => ({
        id: n.docId,
        text: texts.get(n.docId)!,
        ...(n.strategyScore !== null ? { score: n.strategyScore } : n.fusedScore !== null ? { score: n.fusedScore } : {}),
        ...(n.ce !== null ? { ce: n.ce } : {}),
      })),
    });
  });
  return { examples, results, dropped, excluded };
}

/**
 * The embedding space of the triangle rule and the near-duplicate flags: the `concat` member
 * when `--concat` is on (the paper's space for the triangle rule, arXiv 2505.18366: the
 * concatenated ensemble embedding), else the first dense member. Undefined without a dense member.
 */
export function similaritySpace(runs: readonly MemberRun[]): MemberRun | undefined {
  return runs.find((r) => r.spec.kind === 'concat' && r.docDoc) ?? runs.find((r) => r.docDoc);
}
