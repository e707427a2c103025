// `quarry mine` orchestration: member lists → core mineQuery per query (with the positives'
// exact member scores), optional cross-encoder denoising of each query's pool, and the
// training examples the export writers take.
import type { DenoiseRule } from '../../core/denoise';
import type { TrainingExample } from '../../core/formats/export/types';
import type { PairScorer } from '../../core/models';
import { denoisePool, mineQuery, type MineQueryInput, type MineQueryResult, type DropReason } from '../../core/mining';
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
  reranker?: { scorer: PairScorer; rule: DenoiseRule; poolLimit: number };
  log: (line: string) => void;
}

export interface MineOutcome {
  examples: TrainingExample[];
  results: MineQueryResult[];
  dropped: Record<DropReason, number>;
}

export async function mineSplit(data: SplitData, runs: MemberRun[], s: MineSettings): Promise<MineOutcome> {
  const texts = new Map(data.docs.map((d) => [d.id, docText(d)]));
  const corpusIds = data.docs.map((d) => d.id);
  const dense = similaritySpace(runs);

  const inputFor = (qid: string): Omit<MineQueryInput, 'ce'> => {
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
      rng: queryRng(s.seed, qid),
      textOf: (id) => texts.get(id),
      similarity: dense
        ? { qd: (docId) => dense.score(qid, docId), pd: (posId, docId) => dense.docDoc!(posId, docId) }
        : undefined,
    };
  };

  const queries = data.queries.filter((q) => [...(data.qrels.get(q.id)?.keys() ?? [])].some((id) => texts.has(id)));
  if (queries.length < data.queries.length) s.log(`${data.queries.length - queries.length} queries skipped: none of their positives is in the corpus`);

  // Cross-encoder: score every query's pool (capped) and its positives in one batched call.
  let ceScores: Map<string, Map<string, number>> | undefined;
  if (s.reranker) {
    const pairs: Array<[string, string]> = [];
    const owners: Array<[string, string]> = [];
    for (const q of queries) {
      const { candidates, positives } = denoisePool(inputFor(q.id), s.reranker.poolLimit);
      for (const id of [...positives, ...candidates]) {
        pairs.push([q.text, texts.get(id)!]);
        owners.push([q.id, id]);
      }
    }
    s.log(`cross-encoder: scoring ${pairs.length} (query, document) pairs`);
    const t0 = performance.now();
    const logits = await s.reranker.scorer.score(pairs);
    s.log(`cross-encoder: ${(pairs.length / ((performance.now() - t0) / 1000)).toFixed(0)} pairs/s`);
    ceScores = new Map();
    owners.forEach(([qid, id], i) => {
      let m = ceScores!.get(qid);
      if (!m) ceScores!.set(qid, (m = new Map()));
      m.set(id, logits[i]);
    });
  }

  const examples: TrainingExample[] = [];
  const results: MineQueryResult[] = [];
  const dropped = {} as Record<DropReason, number>;
  for (const q of queries) {
    const input = inputFor(q.id);
    const scores = ceScores?.get(q.id);
    const result = mineQuery(s.reranker && scores ? { ...input, ce: { rule: s.reranker.rule, scores } } : input);
    results.push(result);
    for (const d of result.dropped) dropped[d.reason] = (dropped[d.reason] ?? 0) + 1;
    examples.push({
      queryId: q.id,
      query: q.text,
      positives: result.positives.map((p) => ({ id: p.docId, text: texts.get(p.docId)!, ...(p.ce !== null ? { score: p.ce } : {}) })),
      negatives: result.negatives.map((n) => ({
        id: n.docId,
        text: texts.get(n.docId)!,
        ...(n.strategyScore !== null ? { score: n.strategyScore } : n.fusedScore !== null ? { score: n.fusedScore } : {}),
        ...(n.ce !== null ? { ce: n.ce } : {}),
      })),
    });
  }
  return { examples, results, dropped };
}

/**
 * The embedding space of the triangle rule and the near-duplicate flags: the `concat` member
 * when `--concat` is on (the paper's space for the triangle rule, arXiv 2505.18366: the
 * concatenated ensemble embedding), else the first dense member. Undefined without a dense member.
 */
export function similaritySpace(runs: readonly MemberRun[]): MemberRun | undefined {
  return runs.find((r) => r.spec.kind === 'concat' && r.docDoc) ?? runs.find((r) => r.docDoc);
}
