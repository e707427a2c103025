// Export of a mining run as a training set: reads the run, its candidates, the project's
// decisions and qrels, assembles rows with src/core/export (which negatives go where),
// serialises them with the src/core/formats writers, and packs train/dev files plus a
// dataset card into ONE zip (fflate). Pure data in, bytes out: the page only downloads it.
import { strToU8, zipSync } from 'fflate';
import {
  DECISION_RULE,
  assembleRows,
  resolveDecisions,
  reviewCounts,
  splitByQuery,
  type AssembleCounts,
  type ExportCandidate,
  type ExportQueryInput,
  type ReviewCounts,
  withTeacherScores,
} from '../core/export';
import {
  codeSpan,
  datasetCard,
  exportTrainingSet,
  isFlagFormat,
  markdownText,
  type ExportFormat,
  type SkippedExample,
  type TrainingExample,
} from '../core/formats/export/index.ts';
import { agreement } from '../core/review';
import { detectLanguages } from '../core/text/language';
import { FUSED } from '../core/mining/score-source';
import type { Doc } from '../core/types';
import type { QuarryDB } from './db';
import { predictedFalseNegatives, thresholdPreview } from '../core/learn';
import { reviewModelOf } from './learn';
import type { CandidateRecord, DecisionRecord, DocumentRecord, RunRecord } from './schema';
import { allDocuments, allQueries, basicCounts, getDocuments, listQrels } from './corpus';

export interface ExportRequest {
  runId: string;
  format: ExportFormat;
  /** Also export unreviewed candidates (not flagged by the denoiser). Default: accepted only. */
  includeUnreviewed: boolean;
  /** Negatives per row (n-tuple width, triplets per query cap); LCE uses lceGroupSize − 1. */
  negativesPerRow?: number;
  /** LCE group size: 1 positive + n − 1 negatives. */
  lceGroupSize?: number;
  /** Fill rows up to the target with random corpus documents. */
  fillRandom: boolean;
  /** Share of queries held out as dev, in [0, 1). */
  devFraction: number;
  seed: number;
  withIds: boolean;
  /** Query instruction for the FlagEmbedding formats: `prompt` (flag) or `query_prompt` (flag-reranker). */
  prompt?: string;
  /** Only this reviewer's decisions (default: all, resolved by DECISION_RULE). */
  reviewer?: string;
  csvShape?: 'triplet' | 'ntuple' | 'labeled-pair';
  /** One-positive-per-row formats: `each` writes a row per (query, positive), as `quarry mine --positives each`. */
  positives?: 'first' | 'each';
  /** sentence-transformers include_scores (`quarry mine --include-scores`): score columns for inspection. */
  includeScores?: boolean;
  /** Hub license id for the dataset card (the source data's license); `other` when not given. */
  license?: string;
  /** ISO timestamp for the card; omitted in tests for reproducible output. */
  createdAt?: string;
  /**
   * With includeUnreviewed: leave out unreviewed candidates whose predicted false-negative
   * probability is above the run's `learnThreshold` (set on the Evaluate page).
   */
  usePredictions?: boolean;
}

export interface ExportFile {
  name: string;
  data: Uint8Array;
  rows: number;
}

export interface ExportResult {
  fileName: string;
  zip: Uint8Array;
  files: ExportFile[];
  counts: AssembleCounts;
  review: ReviewCounts;
  split: { train: number; dev: number };
  skipped: SkippedExample[];
  /** What the writer left out of every row and why, and teacher scores added. */
  notes: string[];
  card: string;
}

const EXT: Record<ExportFormat, string> = {
  'st-triplet': 'jsonl',
  'st-ntuple': 'jsonl',
  'st-ntuple-scores': 'jsonl',
  'st-labeled-list': 'jsonl',
  'st-labeled-pair': 'jsonl',
  flag: 'jsonl',
  'flag-reranker': 'jsonl',
  lce: 'jsonl',
  'lce-text': 'jsonl',
  tevatron: 'jsonl',
  csv: 'csv',
  parquet: 'parquet',
};

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'export'
  );
}

/** The settings an export request implies for the assembler (target, strictness). */
export function assemblyTarget(req: Pick<ExportRequest, 'format' | 'negativesPerRow' | 'lceGroupSize'>): { target?: number; strict: boolean } {
  if (isLce(req.format)) {
    const g = req.lceGroupSize ?? 8;
    if (!(Number.isInteger(g) && g >= 2)) throw new Error(`LCE group size must be a whole number ≥ 2, got ${g}`);
    // At most g-1 negatives per group, fewer allowed: luyug/Reranker samples a short group's
    // negatives with replacement (random.choices), so only a group with none is dropped.
    return { target: g - 1, strict: false };
  }
  // n-tuples need the same number of negatives in every row.
  const strict = isNtuple(req.format);
  return { target: req.negativesPerRow, strict: strict && req.negativesPerRow !== undefined };
}

const isLce = (f: ExportFormat) => f === 'lce' || f === 'lce-text';

/** Formats with a fixed number of negative columns. */
export const isNtuple = (f: ExportFormat) => f === 'st-ntuple' || f === 'st-ntuple-scores' || f === 'parquet';

/** What buildExport needs from the model runtime (the page passes the embedding worker's). */
export interface ExportDeps {
  /** Token ids of texts under the tokenizer of the reranker `spec` (format `lce`). */
  tokenIds?: (rerankerSpec: string, texts: string[]) => Promise<number[][]>;
  /** Cross-encoder logits of (query, passage) pairs by the reranker `spec` (teacher scores of random fills). */
  score?: (rerankerSpec: string, pairs: Array<[string, string]>) => Promise<Float32Array>;
}

/**
 * Format `lce` holds token ids of the run's reranker: tokenise every text the examples use
 * once, up front (the tokenizer lives in a worker), and hand the writer a lookup.
 */
async function lceTokenIds(run: RunRecord, examples: Iterable<TrainingExample>, deps: ExportDeps): Promise<(text: string) => number[]> {
  if (!run.config.reranker) throw new Error(`LCE groups hold token ids of the reranker's tokenizer, and run "${run.name}" used no reranker: export lce-text (the same groups as text), or mine with a reranker`);
  if (!deps.tokenIds) throw new Error('LCE token ids need the reranker tokenizer, which is not available here: export lce-text');
  const texts = new Set<string>();
  for (const ex of examples) {
    texts.add(ex.query);
    ex.positives.forEach((p) => texts.add(p.text));
    ex.negatives.forEach((n) => texts.add(n.text));
  }
  const list = [...texts];
  const ids = await deps.tokenIds(run.config.reranker, list);
  const byText = new Map(list.map((t, i) => [t, ids[i]]));
  return (text) => byText.get(text)!;
}

/** What an export reads once, whatever the format: the run, its candidates, decisions, positives, documents. */
export interface ExportData {
  run: RunRecord;
  projectName: string;
  candidates: CandidateRecord[];
  decisions: DecisionRecord[];
  queries: number;
  resolved: ReturnType<typeof resolveDecisions>;
  predicted?: PredictedExclusions;
  inputs: ExportQueryInput[];
  docs: Map<string, Doc>;
  randomPool: string[];
}

/** Reads what an export of `req.runId` needs (see ExportData). */
export async function loadExportData(db: QuarryDB, req: ExportRequest): Promise<ExportData> {
  const run = await db.runs.get(req.runId);
  if (!run) throw new Error(`run ${req.runId} not found`);
  const project = await db.projects.get(run.projectId);
  const projectId = run.projectId;
  const [candidates, qrels, decisions, queryRecs] = await Promise.all([
    db.candidates.where('runId').equals(run.id).toArray(),
    listQrels(db, projectId),
    db.decisions.where('projectId').equals(projectId).toArray(),
    allQueries(db, projectId),
  ]);
  const queryText = new Map(queryRecs.map((q) => [q.id, q.text]));

  // Positives: the run's split's own qrels, then those promoted in review (any split), kept
  // apart so a promoted document never takes the gold positive's place (qrels come back
  // in document-id order, which says nothing about which is the gold one).
  const positives = new Map<string, string[]>();
  const promoted = new Map<string, string[]>();
  for (const q of qrels) {
    if (q.score <= 0) continue;
    const into = q.source === 'review' ? promoted : q.split === run.config.split ? positives : undefined;
    if (!into) continue;
    const list = into.get(q.queryId) ?? [];
    list.push(q.docId);
    into.set(q.queryId, list);
  }
  const resolved = resolveDecisions(decisions, req.reviewer);
  const predicted = predictedExclusions(run, candidates, resolved, req);
  const byQuery = new Map<string, ExportCandidate[]>();
  for (const c of candidates) {
    if (predicted?.excluded.has(c)) continue;
    const list = byQuery.get(c.queryId) ?? [];
    list.push({ docId: c.docId, rank: c.rank, score: retrievalScore(c, run.config.scoreSource), ce: c.ce, cePositive: c.cePositive, flags: c.flags });
    byQuery.set(c.queryId, list);
  }
  const inputs: ExportQueryInput[] = [...byQuery.keys()].sort().flatMap((qid) => {
    const text = queryText.get(qid);
    return text === undefined ? [] : [{ query: { id: qid, text }, positiveIds: positives.get(qid) ?? [], promotedIds: promoted.get(qid) ?? [], candidates: byQuery.get(qid)! }];
  });

  // Documents: all of them when random negatives may be drawn, else only those referenced.
  const docs = new Map<string, Doc>();
  let randomPool: string[] = [];
  const keep = (d: DocumentRecord | undefined) => d && docs.set(d.id, { id: d.id, title: d.title, text: d.text });
  if (req.fillRandom) {
    const all = await allDocuments(db, projectId);
    all.forEach(keep);
    randomPool = all.map((d) => d.id).sort();
  } else {
    const ids = new Set<string>();
    for (const i of inputs) {
      i.positiveIds.forEach((p) => ids.add(p));
      i.promotedIds?.forEach((p) => ids.add(p));
      i.candidates.forEach((c) => ids.add(c.docId));
      for (const [d, label] of resolved.get(i.query.id) ?? []) if (label === 'positive') ids.add(d);
    }
    const recs = await getDocuments(db, projectId, [...ids]);
    recs.forEach(keep);
  }

  return { run, projectName: project?.name ?? projectId, candidates, decisions, queries: queryRecs.length, resolved, predicted, inputs, docs, randomPool };
}

/** The rows of the training set `req` asks for, from loaded data (no serialisation). */
export function assembleExport(data: ExportData, req: ExportRequest) {
  const { target, strict } = assemblyTarget(req);
  const { rows, counts } = assembleRows(
    data.inputs,
    data.resolved,
    (id) => data.docs.get(id),
    { includeUnreviewed: req.includeUnreviewed, fillRandom: req.fillRandom, target, strictTarget: strict, seed: req.seed },
    data.randomPool,
  );
  return { rows, counts, target };
}

/** The writer options of a request (n-tuple width, LCE group size, CSV shape); token ids come separately. */
export function writerOptions(req: ExportRequest, target: number | undefined) {
  return {
    withIds: req.withIds,
    ntupleNegatives: isNtuple(req.format) || req.csvShape === 'ntuple' ? target : undefined,
    lceGroupSize: isLce(req.format) ? (target ?? 7) + 1 : undefined,
    csvShape: req.csvShape,
    positives: req.positives,
    includeScores: req.includeScores,
  };
}

/** Which side (train, dev) each query goes to, for a request; dev only when devFraction > 0. */
export function exportSides(req: ExportRequest, queryIds: string[]): Array<['train' | 'dev', string[]]> {
  const split = splitByQuery(queryIds, { devFraction: req.devFraction, seed: req.seed });
  return req.devFraction > 0 ? [['train', split.train], ['dev', split.dev]] : [['train', split.train]];
}

export async function buildExport(db: QuarryDB, req: ExportRequest, deps: ExportDeps = {}): Promise<ExportResult> {
  const data = await loadExportData(db, req);
  const { run, candidates, decisions, resolved, predicted } = data;
  const { rows, counts, target } = assembleExport(data, req);
  const prompt = req.prompt?.trim();
  let exampleList = rows.map((r) => (prompt && isFlagFormat(req.format) ? { ...r.example, prompt } : r.example));
  const notes: string[] = [];
  const reranker = run.config.reranker;
  if (isFlagFormat(req.format) && reranker && deps.score) {
    // Random fills (and anything else the reranker never saw) get their teacher score now, so
    // pos_scores / neg_scores stay in every row.
    const filled = await withTeacherScores(exampleList, { score: (pairs) => deps.score!(reranker, pairs) });
    exampleList = filled.examples;
    if (filled.scored) notes.push(`${filled.scored} passages without a cross-encoder score (random fills) scored with ${reranker} for pos_scores/neg_scores`);
  }
  const examples = new Map<string, TrainingExample>(exampleList.map((e) => [e.queryId, e]));
  const sides = exportSides(req, [...examples.keys()]);
  const split = { train: sides[0][1], dev: sides[1]?.[1] ?? [] };

  const writerOpts = {
    ...writerOptions(req, target),
    tokenIds: req.format === 'lce' ? await lceTokenIds(run, examples.values(), deps) : undefined,
  };
  const files: ExportFile[] = [];
  const skipped: SkippedExample[] = [];
  for (const [side, qids] of sides) {
    const out = exportTrainingSet(
      qids.map((q) => examples.get(q)!),
      req.format,
      writerOpts,
    );
    skipped.push(...out.skipped);
    for (const n of out.notes) if (!notes.includes(n)) notes.push(n);
    files.push({ name: `${side}.${EXT[req.format]}`, data: typeof out.data === 'string' ? strToU8(out.data) : out.data, rows: out.rows });
    // sentence-transformers rows keep only trainer columns; their ids sit beside them.
    if (out.ids !== undefined) files.push({ name: `${side}.ids.jsonl`, data: strToU8(out.ids), rows: out.rows });
  }

  const review = reviewCounts(candidates, resolved);
  const card = exportCard({
    req,
    projectName: data.projectName,
    documents: (await basicCounts(db, run.projectId)).documents,
    queries: data.queries,
    run,
    counts,
    review,
    files,
    split: { train: split.train.length, dev: req.devFraction > 0 ? split.dev.length : 0 },
    skipped: skipped.length,
    decisions,
    notes,
    predicted,
    language: detectLanguages(exampleTexts(examples.values())),
  });
  files.push({ name: 'README.md', data: strToU8(card), rows: 0 });

  const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, f.data])), { level: 6 });
  const date = (req.createdAt ?? new Date().toISOString()).slice(0, 10);
  return {
    fileName: `quarry-${slug(data.projectName)}-${req.format}-${date}.zip`,
    zip,
    files,
    counts,
    review,
    split: { train: split.train.length, dev: req.devFraction > 0 ? split.dev.length : 0 },
    skipped,
    notes,
    card,
  };
}

/**
 * A candidate's retrieval score on the run's score source: the member's own score when the
 * strategy compared one member's scores, else the fused score (runs stored before the score
 * source was recorded compared fused scores). The CLI writes the same (its strategy score).
 */
function retrievalScore(c: CandidateRecord, scoreSource: string | undefined): number {
  const own = scoreSource && scoreSource !== FUSED ? c.members[scoreSource]?.score : undefined;
  return own ?? c.fused;
}

/** Every text an export writes (queries, positives, negatives): what the card's `language` describes. */
function* exampleTexts(examples: Iterable<TrainingExample>): Iterable<string> {
  for (const ex of examples) {
    yield ex.query;
    for (const p of ex.positives) yield p.text;
    for (const n of ex.negatives) yield n.text;
  }
}

interface CardInput {
  /** ISO 639-1 codes detected in the exported texts (core detectLanguages). */
  language: string[];
  req: ExportRequest;
  projectName: string;
  documents: number;
  queries: number;
  run: RunRecord;
  counts: AssembleCounts;
  review: ReviewCounts;
  files: ExportFile[];
  split: { train: number; dev: number };
  skipped: number;
  decisions: DecisionRecord[];
  notes: string[];
  predicted?: PredictedExclusions;
}

interface PredictedExclusions {
  threshold: number;
  excluded: Set<CandidateRecord>;
  /** Expected false-negative share among the unreviewed candidates kept, by the model. */
  expectedShareKept: number;
  /** Cross-validated AUC of the model, with its interval. */
  auc: { estimate: number; low: number; high: number };
}

/** The unreviewed candidates an export drops as predicted false negatives (src/db/learn.ts). */
function predictedExclusions(
  run: RunRecord,
  candidates: CandidateRecord[],
  resolved: ReturnType<typeof resolveDecisions>,
  req: ExportRequest,
): PredictedExclusions | undefined {
  if (!req.usePredictions || !req.includeUnreviewed) return undefined;
  const threshold = run.learnThreshold;
  if (threshold === undefined) throw new Error(`run "${run.name}" has no false-negative threshold: pick one on the Evaluate page first`);
  const report = reviewModelOf(run, candidates, resolved);
  if (report.notFitted || !report.cv) throw new Error(`the false-negative model of run "${run.name}" is not fitted: it ${report.notFitted ?? 'has no cross-validation'}`);
  const preview = thresholdPreview(report, threshold);
  return {
    threshold,
    excluded: new Set(predictedFalseNegatives(report, threshold) as CandidateRecord[]),
    expectedShareKept: preview.expectedShareKept,
    auc: report.cv.auc,
  };
}

/** Agreement of the two reviewers with the most decisions, when they overlap. */
function reviewerAgreement(decisions: CardInput['decisions']): { reviewers: number; kappa?: number; pair?: [string, string]; n?: number } {
  const per = new Map<string, number>();
  for (const d of decisions) per.set(d.reviewer, (per.get(d.reviewer) ?? 0) + 1);
  const top = [...per.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([r]) => r);
  if (top.length < 2) return { reviewers: top.length };
  const a = agreement(decisions, top[0], top[1]);
  return { reviewers: top.length, kappa: a.n > 0 && Number.isFinite(a.kappa) ? a.kappa : undefined, pair: [top[0], top[1]], n: a.n };
}

function exportCard(x: CardInput): string {
  const { req, run, counts, review } = x;
  const negatives = counts.negatives.accepted + counts.negatives.unreviewed + counts.negatives.random;
  const agree = reviewerAgreement(x.decisions);
  const { target } = assemblyTarget(req);
  const base = datasetCard({
    title: `${x.projectName}: hard negatives (${run.name})`,
    source: { name: x.projectName, documents: x.documents, queries: x.queries, split: run.config.split },
    models: run.config.members.map((m) => ({ name: m.name, spec: m.spec })),
    fusion: run.config.fusion,
    reranker: run.config.reranker,
    strategy: run.config.strategy,
    settings: {
      'rank range': run.config.range.join(':'),
      'negatives per query (mining)': run.config.negatives,
      'random negatives (mining)': run.config.randomNegatives,
      chunking: run.config.chunk,
      ...(run.config.denoise ? { denoise: run.config.denoise } : {}),
      ...(run.config.members.some((m) => m.weight !== 1) ? { weights: run.config.members.map((m) => m.weight).join(',') } : {}),
    },
    format: req.format,
    counts: { examples: counts.rows, rows: x.files.reduce((s, f) => s + f.rows, 0), negatives, skipped: counts.queriesIn - counts.rows + x.skipped },
    review: {
      accepted: review.accepted,
      rejected: review.rejected,
      promoted: review.promoted,
      skipped: review.skipped,
      pending: review.unreviewed,
      reviewers: agree.reviewers,
      kappa: agree.kappa,
    },
    createdAt: req.createdAt,
    license: req.license,
    language: x.language,
  });
  const lines = [
    '',
    '## Export',
    '',
    '| setting | value |',
    '|---|---|',
    `| run | ${markdownText(run.name)} (${codeSpan(run.id)}) |`,
    `| negatives | accepted${req.includeUnreviewed ? ' + unreviewed (not flagged by the denoiser)' : ' only'}${req.fillRandom ? ' + random corpus documents' : ''} |`,
    ...(target !== undefined ? [`| negatives per row | ${target}${isLce(req.format) ? ` (LCE group size ${target + 1})` : ''} |`] : []),
    `| decisions | ${req.reviewer ? `reviewer ${req.reviewer} only` : DECISION_RULE} |`,
    `| train / dev split | by query, ${Math.round(req.devFraction * 1000) / 10}% dev, seed ${req.seed}: ${x.split.train} / ${x.split.dev} queries |`,
    ...(req.prompt?.trim() && isFlagFormat(req.format) ? [`| ${req.format === 'flag' ? 'prompt' : 'query_prompt'} | ${markdownText(req.prompt.trim())} |`] : []),
    `| ids in rows | ${req.withIds ? 'yes' : 'no'} |`,
    '',
    ...predictedCardLines(x),
    '| where negatives came from | count |',
    '|---|---:|',
    `| accepted in review | ${counts.negatives.accepted} |`,
    `| unreviewed candidates | ${counts.negatives.unreviewed} |`,
    `| random documents | ${counts.negatives.random} |`,
    '',
    '| queries not exported | count |',
    '|---|---:|',
    `| no positive | ${counts.droppedNoPositive} |`,
    `| no negative | ${counts.droppedNoNegative} |`,
    `| too few negatives for the row size | ${counts.droppedShort} |`,
    `| dropped by the format writer | ${x.skipped} |`,
    '',
    `Rejected candidates never appear (${counts.rejectedExcluded} excluded). Candidates nobody accepted were left out when flagged (${counts.flaggedExcluded}):`,
    '',
    '| excluded unless accepted | count |',
    '|---|---:|',
    `| suspected false negative (cross-encoder) | ${counts.excluded['suspected-false-negative']} |`,
    `| near-duplicate of a positive (cosine > 0.98) | ${counts.excluded['near-duplicate']} |`,
    `| same body as a positive | ${counts.excluded['duplicate-of-positive']} |`,
    '',
    ...x.notes.map((n) => `Note: ${n}.`),
    ...(agree.pair && agree.n ? [`Agreement measured between ${agree.pair[0]} and ${agree.pair[1]} over ${agree.n} pairs both decided.`] : []),
    '',
    '## Files',
    '',
    ...x.files.map((f) => `- \`${f.name}\`: ${f.rows} rows`),
  ];
  return base + lines.join('\n') + '\n';
}

/** Which labels are human and which are predicted: a card section of its own. */
function predictedCardLines(x: CardInput): string[] {
  const { counts, predicted } = x;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return [
    '| labels | provenance | count |',
    '|---|---|---:|',
    `| negatives accepted by a reviewer | human | ${counts.negatives.accepted} |`,
    `| unreviewed candidates exported as negatives | predicted${predicted ? ` (false-negative probability ≤ ${predicted.threshold})` : ' (not reviewed, no model applied)'} | ${counts.negatives.unreviewed} |`,
    ...(predicted
      ? [
          `| unreviewed candidates left out as predicted false negatives | predicted (probability > ${predicted.threshold}) | ${predicted.excluded.size} |`,
          '',
          `Predicted labels come from a logistic model fitted on this project's review decisions (cross-validated AUC ${predicted.auc.estimate.toFixed(3)}, 95% interval ${predicted.auc.low.toFixed(3)}–${predicted.auc.high.toFixed(3)}); it expects ${pct(predicted.expectedShareKept)} of the unreviewed candidates it kept to be false negatives.`,
        ]
      : []),
    '',
  ];
}
