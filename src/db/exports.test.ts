// Round trips: export a seeded run in every format, unzip, parse each file back and check
// it against the stored decisions (ids, texts, scores, group sizes).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { putDocuments, putQrels, putQueries, putRecords } from './corpus';
import { strFromU8, unzipSync } from 'fflate';
import { parquetReadObjects } from 'hyparquet';
import { QuarryDB } from './db';
import { buildExport, type ExportDeps, type ExportRequest } from './exports';
import { flagFileProblems, rerankerGroupProblems, stCollatorProblems } from '../core/formats/export/consumer-rules';
import { decide } from './decisions';
import { exportFixes, previewExports } from './export-preview';
import { EXPORT_FORMATS } from '../core/formats/export/index.ts';
import type { CandidateRecord, DecisionRecord, DocumentRecord, QrelRecord, QueryRecord, RunRecord } from './schema';
import { parseCsvRecords, unescapeFormula } from '../core/formats/index.ts';

const P = 'proj';
const RUN = 'run-1';
let db: QuarryDB;

// 4 queries q0..q3, positive p<i>, candidates c<i>_1..c<i>_5 (fused rank 1..5), 20 filler docs.
function seed(): { docs: DocumentRecord[] } {
  const docs: DocumentRecord[] = [];
  const queries: QueryRecord[] = [];
  const qrels: QrelRecord[] = [];
  const candidates: CandidateRecord[] = [];
  for (let i = 0; i < 4; i++) {
    queries.push({ projectId: P, id: `q${i}`, text: `query number ${i}` });
    docs.push({ projectId: P, id: `p${i}`, title: `pkg${i}`, text: `the positive of ${i}` });
    qrels.push({ projectId: P, split: 'dev', queryId: `q${i}`, docId: `p${i}`, score: 1, source: 'import' });
    for (let r = 1; r <= 5; r++) {
      const id = `c${i}_${r}`;
      // A title starting with "=" exercises the formula-safe CSV path; one text holds a comma, quote and newline.
      docs.push({ projectId: P, id, title: r === 1 && i === 0 ? '=HYPERLINK("x")' : `cand${i}${r}`, text: r === 2 ? 'has, "quotes"\nand lines' : `negative ${r} of ${i}` });
      candidates.push({
        runId: RUN,
        projectId: P,
        queryId: `q${i}`,
        docId: id,
        rank: r,
        fused: 2 - r / 10,
        members: { bm25: { rank: r, score: 10 - r } },
        ce: -r,
        cePositive: 5 + i,
        flags: r === 5 ? ['suspected-false-negative'] : [],
      });
    }
  }
  for (let k = 0; k < 20; k++) docs.push({ projectId: P, id: `z${k}`, title: '', text: `filler ${k}` });
  const run: RunRecord = {
    id: RUN,
    projectId: P,
    name: 'bm25 run',
    createdAt: 1,
    status: 'done',
    stages: {},
    config: { split: 'dev', members: [{ spec: 'bm25', name: 'bm25', weight: 1 }], fusion: 'soft-z', strategy: 'topk', range: [0, 30], negatives: 5, randomNegatives: 0, chunk: 'none', depth: 100, reranker: 'pkgs-rerank' },
    metrics: { bm25: { 'ndcg@10': 0.7 } },
  };
  const dec = (queryId: string, docId: string, label: DecisionRecord['label'], reviewer = 'ann'): DecisionRecord => ({ projectId: P, queryId, docId, reviewer, label, at: 1, runId: RUN });
  const decisions: DecisionRecord[] = [
    // q0: accept 1,3; reject 2; bob also rejects 3 → resolved reject
    dec('q0', 'c0_1', 'accept'),
    dec('q0', 'c0_2', 'reject'),
    dec('q0', 'c0_3', 'accept'),
    dec('q0', 'c0_3', 'reject', 'bob'),
    dec('q0', 'c0_1', 'accept', 'bob'),
    // q1: accept 1,2,3,4 (4 accepted negatives)
    dec('q1', 'c1_1', 'accept'),
    dec('q1', 'c1_2', 'accept'),
    dec('q1', 'c1_3', 'accept'),
    dec('q1', 'c1_4', 'accept'),
    // q2: promote 1 to positive, accept 2
    dec('q2', 'c2_1', 'positive'),
    dec('q2', 'c2_2', 'accept'),
    // q3: nothing reviewed
  ];
  return { docs, ...{ queries, qrels, candidates, run, decisions } } as never;
}

beforeEach(async () => {
  db = new QuarryDB(`exports-test-${Math.random()}`);
  const s = seed() as unknown as { docs: DocumentRecord[]; queries: QueryRecord[]; qrels: QrelRecord[]; candidates: CandidateRecord[]; run: RunRecord; decisions: DecisionRecord[] };
  await db.projects.put({ id: P, name: 'Test Project', createdAt: 1, guidelines: '' });
  await putRecords(db, { documents: s.docs, queries: s.queries, qrels: s.qrels });
  await db.candidates.bulkPut(s.candidates);
  await db.runs.put(s.run);
  await db.decisions.bulkPut(s.decisions);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const base: ExportRequest = { runId: RUN, format: 'st-triplet', includeUnreviewed: false, fillRandom: false, devFraction: 0, seed: 1, withIds: true, createdAt: '2026-01-01T00:00:00Z' };
const text = (id: string, title: string, body: string) => (title ? `${title}: ${body}` : body);
const T = {
  p0: text('p0', 'pkg0', 'the positive of 0'),
  c0_1: '=HYPERLINK("x"): negative 1 of 0',
  c1_2: 'cand12: has, "quotes"\nand lines',
  c2_1: 'cand21: negative 1 of 2',
};

async function run(req: Partial<ExportRequest>, deps?: ExportDeps) {
  const res = await buildExport(db, { ...base, ...req }, deps);
  const files = unzipSync(res.zip);
  return { res, files, text: (n: string) => mergedIds(files, n) };
}

/**
 * File `n` as text; for a sentence-transformers file with ids, its rows with the ids of
 * `<n>.ids.jsonl` joined back line by line (the export keeps them apart; see the test below).
 */
function mergedIds(files: Record<string, Uint8Array>, n: string): string {
  const side = files[n.replace(/\.jsonl$/, '.ids.jsonl')];
  if (!n.endsWith('.jsonl') || !side) return strFromU8(files[n]);
  const ids = strFromU8(side).trim().split('\n');
  const rows = strFromU8(files[n]).trim().split('\n');
  expect(ids.length).toBe(rows.length);
  return rows.map((l, i) => JSON.stringify({ ...JSON.parse(l), ...JSON.parse(ids[i]) })).join('\n') + '\n';
}
const jsonl = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('buildExport', () => {
  it('sentence-transformers files with ids: rows hold only trainer columns, ids in train.ids.jsonl', async () => {
    const { files, res } = await run({ format: 'st-ntuple', negativesPerRow: 2, includeUnreviewed: true });
    const rows = strFromU8(files['train.jsonl']).trim().split('\n').map((l) => JSON.parse(l));
    for (const r of rows) expect(stCollatorProblems(r)).toEqual([]);
    const ids = strFromU8(files['train.ids.jsonl']).trim().split('\n').map((l) => JSON.parse(l));
    expect(ids.length).toBe(rows.length);
    expect(Object.keys(ids[0])).toEqual(['query_id', 'positive_id', 'negative_ids']);
    expect(res.files.map((f) => f.name)).toEqual(['train.jsonl', 'train.ids.jsonl', 'README.md']);
  });

  it('st-triplet: one row per accepted negative; rejected (by anyone) never appear', async () => {
    const { res, files, text: t } = await run({ format: 'st-triplet' });
    expect(Object.keys(files).sort()).toEqual(['README.md', 'train.ids.jsonl', 'train.jsonl']);
    const rows = jsonl(t('train.jsonl'));
    const pairs = rows.map((r) => [r.query_id, (r.negative_ids as string[])[0]]);
    // q0: only c0_1 (c0_2 rejected, c0_3 rejected by bob); q1: 4 accepted; q2: c2_2 with
    // its gold positive p2, then again with the promoted c2_1; q3: none
    expect(pairs).toEqual([
      ['q0', 'c0_1'],
      ['q1', 'c1_1'],
      ['q1', 'c1_2'],
      ['q1', 'c1_3'],
      ['q1', 'c1_4'],
      ['q2', 'c2_2'],
      ['q2', 'c2_2'],
    ]);
    expect(rows.filter((r) => r.query_id === 'q2').map((r) => r.positive_id)).toEqual(['p2', 'c2_1']);
    expect(rows[0]).toMatchObject({ anchor: 'query number 0', positive: T.p0, negative: T.c0_1, positive_id: 'p0' });
    expect(rows[2].negative).toBe(T.c1_2);
    expect(res.counts.negatives).toEqual({ accepted: 6, unreviewed: 0, random: 0 });
    expect(res.counts.droppedNoNegative).toBe(1); // q3
    // resolved over the run's 20 candidates: q0 1 (c0_3 rejected by bob), q1 4, q2 1
    expect(res.review).toMatchObject({ candidates: 20, accepted: 6, rejected: 2, promoted: 1, skipped: 0, unreviewed: 11 });
  });

  it('st-ntuple and parquet: fixed width, filled from unreviewed then random, same rows in both', async () => {
    const req = { includeUnreviewed: true, fillRandom: true, negativesPerRow: 4, seed: 3 };
    const nt = await run({ ...req, format: 'st-ntuple' });
    const rows = jsonl(nt.text('train.jsonl'));
    expect(rows).toHaveLength(5); // q0, q1, q2 with p2 and again with the promoted c2_1, q3
    const q0 = rows.find((r) => r.query_id === 'q0')!;
    // accepted c0_1, then unreviewed c0_4 (c0_5 flagged, c0_2/3 rejected), then 2 random fillers
    expect((q0.negative_ids as string[]).slice(0, 2)).toEqual(['c0_1', 'c0_4']);
    // random picks: any corpus document except q0's positive and candidates
    for (const id of (q0.negative_ids as string[]).slice(2)) expect(id).not.toMatch(/^(p0|c0_\d)$/);
    expect(Object.keys(q0).filter((k) => k.startsWith('negative_') && k !== 'negative_ids')).toEqual(['negative_1', 'negative_2', 'negative_3', 'negative_4']);
    expect(q0.negative_1).toBe(T.c0_1);
    const q2 = rows.find((r) => r.query_id === 'q2')!;
    expect((q2.negative_ids as string[]).slice(0, 3)).toEqual(['c2_2', 'c2_3', 'c2_4']);
    expect((q2.negative_ids as string[])[3]).not.toMatch(/^(p2|c2_\d)$/);
    // unreviewed: q0 c0_4, q2 c2_3+c2_4, q3 c3_1..4 = 7; random: q0 2 + q2 1 = 3
    expect(nt.res.counts.negatives).toEqual({ accepted: 6, unreviewed: 7, random: 3 });

    const pq = await run({ ...req, format: 'parquet' });
    const back = await parquetReadObjects({ file: pq.files['train.parquet'].slice().buffer });
    expect(back).toHaveLength(5);
    for (const [i, r] of back.entries()) {
      const j = rows[i];
      expect(r.query_id).toBe(j.query_id);
      for (const k of ['anchor', 'positive', 'negative_1', 'negative_2', 'negative_3', 'negative_4']) expect(r[k]).toBe(j[k]);
      expect(r.negative_ids).toEqual(j.negative_ids);
    }
  });

  it('st-labeled-pair: label 1 for positives (promoted included), 0 for negatives', async () => {
    const { text: t } = await run({ format: 'st-labeled-pair' });
    const rows = jsonl(t('train.jsonl')).filter((r) => r.query_id === 'q2');
    expect(rows.map((r) => [r.label, r.label === 1 ? r.positive_id : (r.negative_ids as string[])[0]])).toEqual([
      [1, 'p2'],
      [1, 'c2_1'],
      [0, 'c2_2'],
    ]);
    expect(rows[1].sentence2).toBe(T.c2_1);
  });

  it('flag with random fills: the fills are scored by the run reranker, so every row loads for distillation', async () => {
    const req = { format: 'flag' as const, negativesPerRow: 4, fillRandom: true, includeUnreviewed: false, withIds: false };
    // Without a scorer the writer leaves the scores out of every row and says why.
    const bare = await run(req);
    expect(jsonl(bare.text('train.jsonl')).some((r) => 'pos_scores' in r)).toBe(false);
    expect(bare.res.notes).toEqual([expect.stringMatching(/pos_scores\/neg_scores left out of every row/)]);
    expect(bare.text('README.md')).toContain('Note: pos_scores/neg_scores left out');
    const asked: string[] = [];
    const score = async (spec: string, pairs: Array<[string, string]>) => {
      asked.push(spec);
      return Float32Array.from(pairs, () => -9);
    };
    const scored = await run(req, { score });
    const rows = jsonl(scored.text('train.jsonl'));
    expect(asked).toEqual(['pkgs-rerank']);
    expect(flagFileProblems(rows, { target: 'embedder', distill: true })).toEqual([]);
    expect(rows.flatMap((r) => r.neg_scores as number[])).toContain(-9);
    expect(scored.res.notes).toEqual([expect.stringMatching(/passages without a cross-encoder score \(random fills\) scored with pkgs-rerank/)]);
  });

  it('flag-reranker: the instruction is query_prompt, never prompt', async () => {
    const { text: t } = await run({ format: 'flag-reranker', prompt: 'Given a query', withIds: false });
    const rows = jsonl(t('train.jsonl'));
    expect(rows[0].query_prompt).toBe('Given a query');
    expect(flagFileProblems(rows, { target: 'reranker', distill: true })).toEqual([]);
  });

  it('flag: pos/neg with cross-encoder pos_scores/neg_scores and the prompt', async () => {
    const { text: t } = await run({ format: 'flag', prompt: 'Represent this query: ' });
    const rows = jsonl(t('train.jsonl'));
    const q1 = rows.find((r) => r.query_id === 'q1')!;
    expect(q1.pos_scores).toEqual([6]); // cePositive of q1 = 5 + 1
    expect(q1.neg_scores).toEqual([-1, -2, -3, -4]); // ce = -rank
    expect(q1.negative_ids).toEqual(['c1_1', 'c1_2', 'c1_3', 'c1_4']);
    expect(q1.prompt).toBe('Represent this query:');
    // q2: the imported positive scores cePositive (its only positive at mining time), the
    // promoted candidate its own cross-encoder score.
    const q2 = rows.find((r) => r.query_id === 'q2')!;
    expect(q2.pos).toEqual([text('p2', 'pkg2', 'the positive of 2'), T.c2_1]);
    expect(q2.pos_scores).toEqual([7, -1]);
    expect(q2.neg_scores).toEqual([-2]);
  });

  it('lce: token ids from the run reranker tokenizer, in the types luyug/Reranker declares', async () => {
    const asked: string[] = [];
    // A stand-in for the worker's tokenizer: one id per character code of the first 5 characters.
    const tokenIds = async (spec: string, texts: string[]) => {
      asked.push(spec);
      return texts.map((t) => [...t.slice(0, 5)].map((c) => c.charCodeAt(0)));
    };
    const { text } = await run({ format: 'lce', lceGroupSize: 3, includeUnreviewed: true }, { tokenIds });
    expect(asked).toEqual(['pkgs-rerank']);
    const rows = jsonl(text('train.jsonl'));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(rerankerGroupProblems(r)).toEqual([]);
    const q0 = rows.find((r) => (r.qry as { qid: string }).qid === 'q0');
    expect(q0?.qry).toEqual({ qid: 'q0', query: [...'query'].map((c) => c.charCodeAt(0)) });
    await expect(run({ format: 'lce', lceGroupSize: 3 })).rejects.toThrow(/tokenizer.*lce-text/);
    await db.runs.update(RUN, { 'config.reranker': undefined });
    await expect(run({ format: 'lce', lceGroupSize: 3 }, { tokenIds })).rejects.toThrow(/used no reranker.*lce-text/);
  });

  it('lce-text (and lce): at most n−1 negatives per group; a shorter group is written (the trainer samples with replacement)', async () => {
    // luyug/Reranker's GroupedTrainDataset: random.choices(neg, k=g-1) when a group has fewer
    // than g-1 negatives, random.sample otherwise; only a group with no negative is unusable.
    const short = await run({ format: 'lce-text', lceGroupSize: 5 });
    const rows = jsonl(short.text('train.jsonl'));
    expect(rows.map((r) => (r.qry as { qid: string }).qid)).toEqual(['q0', 'q1', 'q2']);
    const negs = (qid: string) => (rows.find((r) => (r.qry as { qid: string }).qid === qid)!.neg as Array<{ pid: string }>).map((n) => n.pid);
    expect(negs('q0')).toEqual(['c0_1']);
    expect(negs('q1')).toEqual(['c1_1', 'c1_2', 'c1_3', 'c1_4']);
    expect(negs('q2')).toEqual(['c2_2']);
    expect(short.res.counts.droppedShort).toBe(0);
    expect(short.res.counts.droppedNoNegative).toBe(1); // q3: nothing reviewed
    const capped = jsonl((await run({ format: 'lce-text', lceGroupSize: 3 })).text('train.jsonl'));
    expect((capped.find((r) => (r.qry as { qid: string }).qid === 'q1')!.neg as unknown[]).length).toBe(2);

    const filled = await run({ format: 'lce-text', lceGroupSize: 5, includeUnreviewed: true, fillRandom: true });
    const groups = jsonl(filled.text('train.jsonl'));
    expect(groups).toHaveLength(4);
    for (const g of groups) {
      expect((g.neg as unknown[]).length).toBe(4);
      const pids = (g.neg as Array<{ pid: string }>).map((n) => n.pid);
      expect(pids).not.toContain('c0_2');
      expect(pids).not.toContain('c0_3');
      expect(new Set(pids).size).toBe(4);
    }
    const q3 = groups.find((g) => (g.qry as { qid: string }).qid === 'q3')!;
    expect((q3.pos as Array<{ pid: string }>).map((p) => p.pid)).toEqual(['p3']);
    expect((q3.neg as Array<{ pid: string }>).map((n) => n.pid)).toEqual(['c3_1', 'c3_2', 'c3_3', 'c3_4']);
    const card = filled.text('README.md');
    expect(card).toContain(`| accepted in review | ${filled.res.counts.negatives.accepted} |`);
    expect(card).toContain('LCE group size 5');
  });

  it('lce with the Export page defaults (5 negatives mined, group size 8, unreviewed included) is not empty', async () => {
    const res = await run({ format: 'lce-text', lceGroupSize: 8, includeUnreviewed: true });
    const groups = jsonl(res.text('train.jsonl'));
    expect(groups).toHaveLength(4);
    for (const g of groups) {
      const n = (g.neg as unknown[]).length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(7);
    }
    expect(res.res.counts.droppedShort).toBe(0);
  });

  it('csv: formula-safe cells come back intact, embedded commas, quotes and newlines too', async () => {
    const { files } = await run({ format: 'csv', withIds: false });
    const raw = strFromU8(files['train.csv']);
    expect(raw).toContain(`'=HYPERLINK`); // escaped on disk
    const records: string[][] = [];
    const chunks = (async function* () {
      yield files['train.csv'];
    })();
    for await (const r of parseCsvRecords(chunks, { file: 'train.csv', issues: [] })) records.push(r.cells.map(unescapeFormula));
    expect(records[0]).toEqual(['anchor', 'positive', 'negative']);
    expect(records[1]).toEqual(['query number 0', T.p0, T.c0_1]);
    expect(records[3]).toEqual(['query number 1', text('p1', 'pkg1', 'the positive of 1'), T.c1_2]);
    expect(records).toHaveLength(8); // header + 7 triplets (q2's second row: the promoted c2_1)
  });

  it('splits train/dev by query with no overlap, and writes a dataset card', async () => {
    const { res, files, text: t } = await run({ format: 'st-triplet', devFraction: 0.34, seed: 9, includeUnreviewed: true });
    expect(Object.keys(files).sort()).toEqual(['README.md', 'dev.ids.jsonl', 'dev.jsonl', 'train.ids.jsonl', 'train.jsonl']);
    const tq = new Set(jsonl(t('train.jsonl')).map((r) => r.query_id));
    const dq = new Set(jsonl(t('dev.jsonl')).map((r) => r.query_id));
    expect(tq.size + dq.size).toBe(4);
    expect([...tq].some((q) => dq.has(q))).toBe(false);
    expect(res.split).toEqual({ train: 3, dev: 1 });
    const card = t('README.md');
    expect(card).toContain('# Test Project: hard negatives (bm25 run)');
    expect(card).toContain('| selection strategy | topk |');
    expect(card).toContain('| accepted as negative | 6 |');
    expect(card).toContain('Reviewers: 2.');
    expect(card).toContain("Cohen's kappa");
    expect(card).toContain('by query, 34% dev, seed 9: 3 / 1 queries');
    expect(res.fileName).toBe('quarry-test-project-st-triplet-2026-01-01.zip');
  });

  it('the card’s Hub front matter: license as given, language detected from the exported texts, size and task tags', async () => {
    const front = (card: string) => card.split('---\n')[1];
    const en = front((await run({ format: 'st-triplet', license: 'cc-by-4.0' })).text('README.md'));
    expect(en).toContain('license: "cc-by-4.0"\nlanguage:\n- "en"\nsize_categories:\n- "n<1K"\ntask_categories:\n- "sentence-similarity"');
    expect(en).toContain('tags:\n- "sentence-transformers"\n- "hard-negatives"');
    // The same run with Japanese texts: `ja`, and `other` when no license is given.
    const s = seed() as unknown as { docs: DocumentRecord[]; queries: QueryRecord[]; qrels: QrelRecord[]; candidates: CandidateRecord[]; run: RunRecord; decisions: DecisionRecord[] };
    db.close();
    await db.delete();
    db = new QuarryDB(`exports-test-${Math.random()}`);
    await db.projects.put({ id: P, name: 'Test Project', createdAt: 1, guidelines: '' });
    await putRecords(db, {
      documents: s.docs.map((d) => ({ ...d, text: `これは文書 ${d.id} です` })),
      queries: s.queries.map((q, i) => ({ ...q, text: `テキストエディタ ${i} の説明` })),
      qrels: s.qrels,
    });
    await db.candidates.bulkPut(s.candidates);
    await db.runs.put(s.run);
    await db.decisions.bulkPut(s.decisions);
    const ja = front((await run({ format: 'flag' })).text('README.md'));
    expect(ja).toContain('license: "other"\nlanguage:\n- "ja"\n');
  });
});

describe('a promoted document adds a positive, it never replaces the gold one', () => {
  // The issue's q-aspell-nl: the gold positive is aspell-nl; review promotes aspell-es, whose
  // id sorts first. Every one-positive-per-row format must keep aspell-nl, and add aspell-es.
  const Q = 'q-aspell-nl';
  beforeEach(async () => {
    await putQueries(db, P, [{ id: Q, text: 'Dutch dictionary for aspell' }]);
    const doc = (id: string) => ({ id, title: id, text: `description of ${id}` });
    await putDocuments(db, P, ['aspell-nl', 'aspell-es', 'hunspell-nl', 'myspell-nl', 'aspell-de'].map(doc));
    await putQrels(db, P, 'dev', [{ queryId: Q, docId: 'aspell-nl', score: 1 }]);
    const cands = ['aspell-es', 'hunspell-nl', 'myspell-nl', 'aspell-de'];
    await db.candidates.bulkPut(
      cands.map((docId, i) => ({ runId: RUN, projectId: P, queryId: Q, docId, rank: i + 1, fused: 1 - i / 10, members: {}, flags: [] })),
    );
    const dec = (docId: string, label: DecisionRecord['label']) => ({ projectId: P, queryId: Q, docId, reviewer: 'ann', label, runId: RUN });
    await decide(db, [dec('aspell-es', 'positive'), dec('hunspell-nl', 'accept'), dec('myspell-nl', 'accept')], 'dev');
    expect((await db.qrels.get([P, 'dev', Q, 'aspell-es']))?.source).toBe('review');
  });

  const positivesOf = (rows: Array<Record<string, unknown>>) => rows.filter((r) => r.query_id === Q).map((r) => r.positive_id);

  it('triplet: rows for the gold positive first, then as many for the promoted one', async () => {
    const rows = jsonl((await run({ format: 'st-triplet' })).text('train.jsonl'));
    expect(rows.filter((r) => r.query_id === Q).map((r) => [r.positive_id, (r.negative_ids as string[])[0]])).toEqual([
      ['aspell-nl', 'hunspell-nl'],
      ['aspell-nl', 'myspell-nl'],
      ['aspell-es', 'hunspell-nl'],
      ['aspell-es', 'myspell-nl'],
    ]);
    expect(rows.find((r) => r.positive_id === 'aspell-nl')!.positive).toBe('aspell-nl: description of aspell-nl');
  });

  it('n-tuple, parquet and csv: one row per positive, gold first, same negatives', async () => {
    const nt = jsonl((await run({ format: 'st-ntuple', negativesPerRow: 2 })).text('train.jsonl'));
    expect(positivesOf(nt)).toEqual(['aspell-nl', 'aspell-es']);
    for (const r of nt.filter((x) => x.query_id === Q)) expect(r.negative_ids).toEqual(['hunspell-nl', 'myspell-nl']);

    const pq = await run({ format: 'parquet', negativesPerRow: 2 });
    const table = (await parquetReadObjects({ file: pq.files['train.parquet'].slice().buffer as ArrayBuffer })) as Array<Record<string, unknown>>;
    expect(positivesOf(table)).toEqual(['aspell-nl', 'aspell-es']);

    const csvFile = (await run({ format: 'csv', csvShape: 'triplet' })).files['train.csv'];
    const csv: string[][] = [];
    const chunks = (async function* () {
      yield csvFile;
    })();
    for await (const r of parseCsvRecords(chunks, { file: 'train.csv', issues: [] })) csv.push(r.cells.map(unescapeFormula));
    const header = csv[0];
    const qi = header.indexOf('query_id');
    const pi = header.indexOf('positive_id');
    expect(csv.slice(1).filter((r) => r[qi] === Q).map((r) => r[pi])).toEqual(['aspell-nl', 'aspell-nl', 'aspell-es', 'aspell-es']);
  });

  it('flag and lce: the gold positive is listed first, the promoted one after it', async () => {
    const flag = jsonl((await run({ format: 'flag' })).text('train.jsonl')).find((r) => r.query_id === Q)!;
    expect(flag.positive_id).toEqual(['aspell-nl', 'aspell-es']);
    const lce = jsonl((await run({ format: 'lce-text', lceGroupSize: 3 })).text('train.jsonl')).find((r) => (r.qry as { qid: string }).qid === Q)!;
    expect((lce.pos as Array<{ pid: string }>).map((p) => p.pid)).toEqual(['aspell-nl', 'aspell-es']);
  });
});

describe('export preview: the counts before the click are the rows written', () => {
  const tokenIds = async (_spec: string, texts: string[]) => texts.map((t) => [...t].map((c) => c.charCodeAt(0)));
  const variants: Array<Partial<ExportRequest>> = [
    { includeUnreviewed: false },
    { includeUnreviewed: true, devFraction: 0.5 },
    { includeUnreviewed: false, negativesPerRow: 3 },
    { includeUnreviewed: true, fillRandom: true, negativesPerRow: 4, devFraction: 0.25 },
  ];
  for (const v of variants) {
    it(`every format, ${JSON.stringify(v)}`, async () => {
      const reqs = EXPORT_FORMATS.map((format) => ({
        ...base,
        ...v,
        format,
        ...(format === 'lce' || format === 'lce-text' ? { lceGroupSize: 3 } : {}),
        ...(format === 'csv' ? { csvShape: 'ntuple' as const } : {}),
      }));
      const previews = await previewExports(db, reqs);
      for (const [i, req] of reqs.entries()) {
        const built = await buildExport(db, req, { tokenIds });
        const data = built.files.filter((f) => f.name !== 'README.md' && !f.name.endsWith('.ids.jsonl'));
        expect(previews[i].files.map((f) => f.rows), req.format).toEqual(data.map((f) => f.rows));
        expect(previews[i].rows).toBe(data.reduce((n, f) => n + f.rows, 0));
        const left = previews[i].left;
        expect(previews[i].queries + left.noPositive + left.noNegative + left.tooFew, req.format).toBe(previews[i].candidates);
      }
    });
  }

  it('names why queries are left out and offers fixes that keep them (accepted only, n-tuples of 4)', async () => {
    const req: ExportRequest = { ...base, format: 'st-ntuple', negativesPerRow: 4 };
    const [now] = await previewExports(db, [req]);
    // q1 has 4 accepted negatives; q0 1 and q2 1 are too few; q3 has none.
    expect(now).toMatchObject({ queries: 1, rows: 1, candidates: 4, left: { noPositive: 0, noNegative: 1, tooFew: 2 } });
    const fixes = await exportFixes(db, req, now);
    expect(fixes.map((f) => [f.kind, f.patch, f.after.queries])).toEqual([
      // unreviewed candidates too: q0 c0_4, q2 c2_3+c2_4 (3), q3 c3_1..4: only q1 and q3 reach 4
      ['include-unreviewed', { includeUnreviewed: true }, 2],
      // every query with an accepted negative reaches 1
      ['lower-width', { negativesPerRow: 1 }, 3],
    ]);
    for (const f of fixes) {
      const built = await buildExport(db, { ...req, ...f.patch });
      expect(built.files[0].rows).toBe(f.after.rows);
    }
  });
});
