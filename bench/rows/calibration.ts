// Bench rows "calibration": learning from reviews with a simulated reviewer on the demo slice.
//
// Candidates: the top 30 fused non-positive documents of each demo query (pkgs-static q8 +
// BM25, soft-z), each with the features Quarry stores (src/core/learn/features.ts) and a
// pkgs-rerank logit. The simulated reviewer follows a rule the model never sees: a candidate is
// a false negative when its cross-encoder logit is in the top 30% AND its body shares at least
// the median word overlap (Jaccard of word sets) with the positive's body. Word overlap is not a
// feature. For each of 10 seeds the reviewer judges 200 candidates drawn uniformly (the audit
// order); the calibration is fitted on them and checked on the unreviewed rest:
//  - does the rest's true AUC fall inside the cross-validated AUC interval the model reports?
//  - does the 95% interval of the estimated false-negative share of the rest cover the truth?
import { join } from 'node:path';
import { loadSplit } from '../../src/cli/pipeline/data';
import { MEMBER_DEPTH, runMembers } from '../../src/cli/pipeline/members';
import { fuse } from '../../src/core/fusion';
import { auc, crossValidate, estimateShareByAudit, estimateShareByModel, featureSpace, fitCalibrator, predictFalseNegative, quantile, type LabelledRow } from '../../src/core/learn';
import { createRng } from '../../src/core/selection/random';
import { parseMemberSpec } from '../../src/core/spec/member-spec';
import { docText } from '../../src/core/types';
import { loadCrossEncoder } from '../../src/runtime/cross-encoder';
import { localModelSource, nodeSessionOptions } from '../../src/runtime/node/local-model';
import { fmt, ROOT } from '../lib/env';
import type { Row } from '../types';

export const name = 'calibration (simulated reviewer, Node)';

const POOL = 30;
const REVIEWED = 200;
const SEEDS = 10;

const words = (t: string) => new Set(t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / Math.max(a.size + b.size - inter, 1);
}

export async function run(): Promise<Row[]> {
  const io = { stdout: () => {}, stderr: () => {}, cwd: ROOT };
  const data = await loadSplit(join(ROOT, 'public', 'demo'), 'dev', io, () => {});
  const specs = [parseMemberSpec(`dense:${join(ROOT, 'public', 'models', 'pkgs-static')}:dtype=q8`), parseMemberSpec('bm25')];
  const runs = await runMembers(specs, data.docs, data.queries, { depth: MEMBER_DEPTH, chunk: { kind: 'none' }, cwd: ROOT, log: () => {} });
  const dense = runs[0];
  const byId = new Map(data.docs.map((d) => [d.id, d]));
  const space = featureSpace(runs.map((r) => r.name), MEMBER_DEPTH);

  interface Cand { queryId: string; docId: string; positive: string; facts: Parameters<typeof space.vector>[0] }
  const cands: Cand[] = [];
  for (const q of data.queries) {
    const rel = [...(data.qrels.get(q.id) ?? new Map<string, number>())].filter(([, g]) => g > 0).map(([d]) => d);
    if (!rel.length) continue;
    const fused = fuse(runs.map((r) => ({ name: r.name, weight: 1, hits: r.lists.get(q.id) ?? [] })), 'soft-z');
    let rank = 0;
    for (const h of fused) {
      rank++;
      if (rel.includes(h.docId)) continue;
      if (cands.filter((c) => c.queryId === q.id).length >= POOL) break;
      cands.push({
        queryId: q.id,
        docId: h.docId,
        positive: rel[0],
        facts: { fusedRank: rank, fusedScore: h.score, members: h.members, ce: null, simToPositive: dense.docDoc?.(rel[0], h.docId) ?? null },
      });
    }
  }

  const ce = await loadCrossEncoder(localModelSource(join(ROOT, 'public', 'models', 'pkgs-rerank'), 'q8'), { dtype: 'q8', sessionOptions: nodeSessionOptions() });
  const queryText = new Map(data.queries.map((q) => [q.id, q.text]));
  const t0 = performance.now();
  const logits = await ce.score(cands.map((c) => [queryText.get(c.queryId)!, docText(byId.get(c.docId)!)]));
  const ceSeconds = (performance.now() - t0) / 1000;
  await ce.dispose();
  cands.forEach((c, i) => (c.facts.ce = logits[i]));

  // the hidden rule
  const overlap = cands.map((c) => jaccard(words(byId.get(c.docId)!.text), words(byId.get(c.positive)!.text)));
  const ceCut = quantile([...logits], 0.7);
  const ovCut = quantile(overlap, 0.5);
  const truth = cands.map((c, i) => (c.facts.ce! >= ceCut && overlap[i] >= ovCut ? 1 : 0) as 0 | 1);
  const x = cands.map((c) => space.vector(c.facts));
  const share = truth.reduce<number>((a, b) => a + b, 0) / truth.length;

  let aucInside = 0, modelCovers = 0, auditCovers = 0;
  const cvAucs: number[] = [], restAucs: number[] = [], widths: number[] = [], errors: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = createRng(seed);
    const order = cands.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const reviewed = order.slice(0, REVIEWED);
    const rest = order.slice(REVIEWED);
    const rows: LabelledRow[] = reviewed.map((i) => ({ x: x[i], y: truth[i] }));
    const cv = crossValidate(space.names, rows, { seed });
    const cal = fitCalibrator(space.names, rows);
    const restAuc = auc(rest.map((i) => predictFalseNegative(cal, x[i])), rest.map((i) => truth[i]));
    cvAucs.push(cv.auc.estimate);
    restAucs.push(restAuc);
    if (restAuc >= cv.auc.low && restAuc <= cv.auc.high) aucInside++;
    const restShare = rest.reduce((a, i) => a + truth[i], 0) / rest.length;
    const est = estimateShareByModel(space.names, rows, rest.map((i) => x[i]), { seed, bootstrap: 100 });
    if (restShare >= est.low && restShare <= est.high) modelCovers++;
    widths.push(est.high - est.low);
    errors.push(est.estimate - restShare);
    const fnReviewed = rows.reduce((a, r) => a + r.y, 0);
    const audit = estimateShareByAudit(fnReviewed, REVIEWED, rest.length);
    if (restShare >= audit.low && restShare <= audit.high) auditCovers++;
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const detail = `${fmt(cands.length)} candidates of ${data.queries.length} queries, hidden false-negative share ${(share * 100).toFixed(1)}%, ${REVIEWED} reviewed per seed, ${SEEDS} seeds`;
  return [
    { row: 'calibration: cross-validated AUC (mean over seeds)', value: Number(mean(cvAucs).toFixed(3)), detail: `AUC on the unreviewed rest: mean ${mean(restAucs).toFixed(3)}; ${detail}` },
    { row: 'calibration: rest AUC inside the reported AUC interval', value: `${aucInside}/${SEEDS}`, detail: 'Hanley–McNeil 95% interval of the 5-fold cross-validated AUC' },
    { row: 'calibration: estimated FN share of the rest covers the truth', value: `${modelCovers}/${SEEDS}`, detail: `model-based 95% interval, mean width ${(mean(widths) * 100).toFixed(1)} points, mean error ${(mean(errors) * 100).toFixed(2)} points (target ≥ 9/10)` },
    { row: 'calibration: audit estimate covers the truth', value: `${auditCovers}/${SEEDS}`, detail: 'Wilson 95% interval of the 200 uniformly drawn decisions' },
    { row: 'calibration: cross-encoder scoring of the candidates', value: Number((cands.length / ceSeconds).toFixed(0)), unit: 'pairs/s', detail: `pkgs-rerank q8, ${fmt(cands.length)} pairs in ${ceSeconds.toFixed(1)} s` },
  ];
}
