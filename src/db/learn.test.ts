// Learning from reviews, from the database: the export leaves out exactly the unreviewed
// candidates the Evaluate preview counts, never a human-reviewed one, and its card says which
// labels are human and which are predicted.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strFromU8 } from 'fflate';
import { QuarryDB } from './db';
import { putRecords } from './corpus';
import { buildExport } from './exports';
import { loadReviewModel, setLearnThreshold } from './learn';
import { predictedFalseNegatives, thresholdPreview } from '../core/learn';
import { auditOrder, auditSeedFor, pairKey } from '../core/review/queue';
import type { CandidateRecord, DecisionRecord, DocumentRecord, QrelRecord, QueryRecord, RunRecord } from './schema';

const P = 'proj-learn';
const RUN = 'run-learn';
let db: QuarryDB;

/** 40 queries × 8 candidates; a candidate is a false negative when its logit is above 1. */
async function seed() {
  const docs: DocumentRecord[] = [], queries: QueryRecord[] = [], qrels: QrelRecord[] = [], candidates: CandidateRecord[] = [];
  for (let i = 0; i < 40; i++) {
    queries.push({ projectId: P, id: `q${i}`, text: `query ${i}` });
    docs.push({ projectId: P, id: `p${i}`, title: `p${i}`, text: `positive ${i}` });
    qrels.push({ projectId: P, split: 'dev', queryId: `q${i}`, docId: `p${i}`, score: 1, source: 'import' });
    for (let r = 1; r <= 8; r++) {
      const id = `c${i}_${r}`;
      docs.push({ projectId: P, id, title: id, text: `candidate ${r} of ${i}` });
      const ce = ((i * 7 + r * 13) % 17) / 2 - 4; // spread over −4..4
      candidates.push({ runId: RUN, projectId: P, queryId: `q${i}`, docId: id, rank: r, fused: 3 - r / 4, members: { bm25: { rank: r, score: 12 - r } }, ce, cePositive: 3, flags: [] });
    }
  }
  const run: RunRecord = {
    id: RUN, projectId: P, name: 'learn run', createdAt: 1, status: 'done', stages: {},
    config: { split: 'dev', members: [{ spec: 'bm25', name: 'bm25', weight: 1 }], fusion: 'soft-z', strategy: 'topk', range: [0, 30], negatives: 8, randomNegatives: 0, chunk: 'none', depth: 100, reranker: 'pkgs-rerank' },
  };
  // the reviewer judges the first 100 candidates of the audit order by the hidden truth
  const decisions: DecisionRecord[] = auditOrder(candidates, auditSeedFor(RUN))
    .slice(0, 100)
    .map((c) => ({ projectId: P, queryId: c.queryId, docId: c.docId, reviewer: 'ann', label: c.ce! > 1 ? 'reject' : 'accept', at: 1, runId: RUN }));
  await putRecords(db, { documents: docs, queries, qrels });
  await db.transaction('rw', [db.projects, db.runs, db.candidates, db.decisions], async () => {
    await db.projects.put({ id: P, name: 'Learn', createdAt: 1, guidelines: '' });
    await db.runs.put(run);
    await db.candidates.bulkPut(candidates);
    await db.decisions.bulkPut(decisions);
  });
  return { decisions };
}

beforeEach(async () => {
  db = new QuarryDB(`learn-${Math.random()}`);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('learning from reviews in the database', () => {
  it('reports the model, the audit sample and the estimates', async () => {
    await seed();
    const { report } = await loadReviewModel(db, (await db.runs.get(RUN))!);
    expect(report.notFitted).toBeUndefined();
    expect(report.audit.audited).toBe(100);
    expect(report.reviewed.negatives + report.reviewed.falseNegatives).toBe(100);
    expect(report.unreviewed).toBe(220);
    expect(report.cv!.auc.estimate).toBeGreaterThan(0.9);
    expect(report.modelEstimate!.n).toBe(220);
  });

  it('an export with predictions drops exactly the previewed unreviewed candidates and states provenance', async () => {
    const { decisions } = await seed();
    const reviewed = new Set(decisions.map((d) => pairKey(d.queryId, d.docId)));
    await expect(buildExport(db, { runId: RUN, format: 'st-triplet', includeUnreviewed: true, usePredictions: true, fillRandom: false, devFraction: 0, seed: 1, withIds: true })).rejects.toThrow(/Evaluate page/);
    await setLearnThreshold(db, RUN, 0.5);
    const run = (await db.runs.get(RUN))!;
    const { report } = await loadReviewModel(db, run);
    const dropped = new Set(predictedFalseNegatives(report, 0.5).map((c) => pairKey(c.queryId, c.docId)));
    expect(dropped.size).toBe(thresholdPreview(report, 0.5).excluded);
    expect(dropped.size).toBeGreaterThan(0);

    const withModel = await buildExport(db, { runId: RUN, format: 'st-triplet', includeUnreviewed: true, usePredictions: true, fillRandom: false, devFraction: 0, seed: 1, withIds: true });
    const without = await buildExport(db, { runId: RUN, format: 'st-triplet', includeUnreviewed: true, fillRandom: false, devFraction: 0, seed: 1, withIds: true });
    const pairs = (r: typeof withModel) =>
      // with ids, sentence-transformers rows keep only the trainer's columns; ids go to a side file
      strFromU8(r.files.find((f) => f.name === 'train.ids.jsonl')!.data).trim().split('\n').map((l) => JSON.parse(l) as { query_id: string; negative_ids: string[] }).map((x) => pairKey(x.query_id, x.negative_ids[0]));
    const kept = new Set(pairs(withModel));
    const all = new Set(pairs(without));
    for (const k of dropped) {
      expect(kept.has(k)).toBe(false);
      expect(all.has(k)).toBe(true);
      expect(reviewed.has(k)).toBe(false);
    }
    expect(all.size - kept.size).toBe(dropped.size);
    expect(withModel.card).toContain('| negatives accepted by a reviewer | human |');
    expect(withModel.card).toContain(`| unreviewed candidates left out as predicted false negatives | predicted (probability > 0.5) | ${dropped.size} |`);
    expect(withModel.card).toMatch(/cross-validated AUC [01]\.\d{3}, 95% interval [01]\.\d{3}–[01]\.\d{3}/);
    expect(without.card).toContain('| unreviewed candidates exported as negatives | predicted (not reviewed, no model applied) |');
  });

  it('refuses a threshold outside (0, 1)', async () => {
    await seed();
    await expect(setLearnThreshold(db, RUN, 1)).rejects.toThrow(/\(0, 1\)/);
  });
});
