// Loads what the Evaluate page shows for one run from what does not change with review: the
// member scores of positives (from the retrieval checkpoints the miner keeps) and of chosen
// negatives (the candidates), and positive ranks per member and fused. The page reads the
// run's candidates once and passes them here, to the review model and to the run comparison;
// review counts follow the decisions without reading any of this again.
import type { QuarryDB } from '../../../db/db';
import type { CandidateRecord, RunRecord } from '../../../db/schema';
import { listCheckpoints } from '../../../db/runs';
import type { Hit } from '../../../core/types';
import { fuse } from '../../../core/fusion';
import { firstPositiveRank, sharedHistogram, type HistogramBin } from './stats';

/** Shape of the miner's `retrieve:<member>:<part>` checkpoints (src/workers/mine/pipeline.ts). */
interface RetrievePart {
  queryIds: string[];
  results: Array<{ hits: Hit[]; positives: Record<string, number> }>;
}

export interface MemberView {
  name: string;
  histogram: HistogramBin[];
  positives: number;
  negatives: number;
  /** Best positive rank per query (null: not in this member's list); empty when checkpoints are gone. */
  ranks: Array<number | null>;
}

export interface EvaluateView {
  run: RunRecord;
  members: MemberView[];
  /** Cross-encoder logits: positives (cePositive, one per query) vs chosen negatives. */
  crossEncoder: HistogramBin[];
  /** Best positive rank per query in the fused list (members > 1 and checkpoints kept), else empty. */
  ensembleRanks: Array<number | null>;
  queries: number;
}

export async function loadEvaluateView(db: QuarryDB, run: RunRecord, candidates: readonly CandidateRecord[]): Promise<EvaluateView> {
  const queries = new Set(candidates.map((c) => c.queryId));

  const members: MemberView[] = [];
  // queryId → member name → hits, and queryId → positive ids, for the ensemble ranks.
  const listsByQuery = new Map<string, Map<string, Hit[]>>();
  const positivesByQuery = new Map<string, Set<string>>();
  for (const m of run.config.members) {
    const posScores: number[] = [];
    const ranks: Array<number | null> = [];
    const parts = await listCheckpoints<RetrievePart>(db, run.id, `retrieve:${m.name}:`);
    for (const { data } of parts) {
      if (!data || !Array.isArray(data.queryIds)) continue;
      data.queryIds.forEach((qid, i) => {
        const r = data.results[i];
        if (!r) return;
        const pos = Object.keys(r.positives ?? {});
        (listsByQuery.get(qid) ?? listsByQuery.set(qid, new Map()).get(qid)!).set(m.name, r.hits);
        const ps = positivesByQuery.get(qid) ?? positivesByQuery.set(qid, new Set()).get(qid)!;
        pos.forEach((p) => ps.add(p));
        for (const p of pos) posScores.push(r.positives[p]);
        ranks.push(firstPositiveRank(r.hits, pos));
      });
    }
    const negScores: number[] = [];
    for (const c of candidates) {
      const s = c.members[m.name]?.score;
      if (typeof s === 'number') negScores.push(s);
    }
    members.push({ name: m.name, histogram: sharedHistogram(posScores, negScores, 24), positives: posScores.length, negatives: negScores.length, ranks });
  }

  // The fused list as the miner's evaluation builds it: fusion over the members' top lists.
  const ensembleRanks: Array<number | null> = [];
  const cfg = run.config.members;
  if (cfg.length > 1) {
    for (const [qid, lists] of listsByQuery) {
      if (lists.size !== cfg.length) continue;
      const fused = fuse(
        cfg.map((m) => ({ name: m.name, weight: m.weight, hits: lists.get(m.name)! })),
        run.config.fusion,
      );
      ensembleRanks.push(firstPositiveRank(fused.map((h) => [h.docId, h.score] as Hit), positivesByQuery.get(qid) ?? new Set()));
    }
  }

  const cePos: number[] = [];
  const ceNeg: number[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (typeof c.ce === 'number') ceNeg.push(c.ce);
    if (typeof c.cePositive === 'number' && !seen.has(c.queryId)) {
      seen.add(c.queryId);
      cePos.push(c.cePositive);
    }
  }
  return {
    run,
    members,
    crossEncoder: sharedHistogram(cePos, ceNeg, 24),
    ensembleRanks,
    queries: queries.size,
  };
}
