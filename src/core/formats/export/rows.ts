// Row builders: TrainingExample → the exact JSON rows each trainer reads.
// Every builder reports the examples it cannot express instead of silently dropping them.
import type { ExampleNegative, ExamplePositive, ExportOptions, SkippedExample, TrainingExample } from './types.ts';

export type Row = Record<string, unknown>;

export interface RowSet {
  rows: Row[];
  skipped: SkippedExample[];
  /** Column order for tabular formats (CSV, Parquet). */
  columns: string[];
  /** What was left out of every row and why. */
  notes?: string[];
}

export const ID_COLUMNS = ['query_id', 'positive_id', 'negative_ids'];

function withIdColumns(columns: string[], opts: ExportOptions): string[] {
  return opts.withIds ? [...columns, ...ID_COLUMNS] : columns;
}

/** Why an example that needs both a positive and a negative is skipped, or undefined when it has both. */
function missingSide(ex: TrainingExample): SkippedExample['reason'] | undefined {
  if (ex.positives.length === 0) return 'no positive';
  if (ex.negatives.length === 0) return 'no negatives';
  return undefined;
}

/** The examples with a positive and a negative; the rest are recorded in `skipped`. */
function withBothSides(examples: TrainingExample[], skipped: SkippedExample[]): TrainingExample[] {
  return examples.filter((ex) => {
    const reason = missingSide(ex);
    if (reason) skipped.push({ queryId: ex.queryId, reason });
    return !reason;
  });
}

/**
 * The positives that get their own rows in one-positive-per-row formats (triplet, n-tuple,
 * labeled list, CSV, Parquet). `positives: 'each'`: every one, as mine_hard_negatives
 * writes. Default: the first (the qrels' own) and every one promoted in review; further
 * qrels positives are not repeated, so a query with many judged positives does not
 * multiply its rows; a promoted one is added, never substituted for the gold one.
 */
export function rowPositives(ex: TrainingExample, opts: ExportOptions = {}): ExamplePositive[] {
  return opts.positives === 'each' ? ex.positives : ex.positives.filter((p, i) => i === 0 || p.promoted);
}

/** A negative's score for include_scores: the cross-encoder's, else the retrieval score, else null. */
const negScore = (n: ExampleNegative): number | null => n.ce ?? n.score ?? null;
const posScore = (p: ExamplePositive): number | null => p.score ?? null;

/**
 * sentence-transformers triplets: one row `{anchor, positive, negative}` per negative and
 * row positive (the first, or each with `positives: 'each'`, as mine_hard_negatives
 * explodes multi-positive queries); `includeScores` adds `positive_score`/`negative_score`.
 */
export function stTripletRows(examples: TrainingExample[], opts: ExportOptions = {}): RowSet {
  const rows: Row[] = [];
  const skipped: SkippedExample[] = [];
  for (const ex of withBothSides(examples, skipped)) {
    for (const pos of rowPositives(ex, opts)) {
      for (const neg of ex.negatives) {
        const row: Row = { anchor: ex.query, positive: pos.text, negative: neg.text };
        if (opts.includeScores) Object.assign(row, { positive_score: posScore(pos), negative_score: negScore(neg) });
        if (opts.withIds) Object.assign(row, { query_id: ex.queryId, positive_id: pos.id, negative_ids: [neg.id] });
        rows.push(row);
      }
    }
  }
  const columns = ['anchor', 'positive', 'negative', ...(opts.includeScores ? ['positive_score', 'negative_score'] : [])];
  return { rows, skipped, columns: withIdColumns(columns, opts) };
}

/** The n-tuple width: `opts.ntupleNegatives`, else the most negatives any example has. */
export function ntupleWidth(examples: TrainingExample[], opts: ExportOptions = {}): number {
  if (opts.ntupleNegatives !== undefined) {
    if (!Number.isInteger(opts.ntupleNegatives) || opts.ntupleNegatives < 1) {
      throw new Error(`n-tuple size must be a positive integer, got ${opts.ntupleNegatives}`);
    }
    return opts.ntupleNegatives;
  }
  return examples.reduce((m, ex) => Math.max(m, ex.negatives.length), 0);
}

/**
 * sentence-transformers n-tuples: `{anchor, positive, negative_1..negative_n}` per row
 * positive. All rows must have the same columns, so examples with fewer than n negatives
 * are skipped and extra negatives dropped (see ExportOptions.ntupleNegatives). With
 * `withScores` (format st-ntuple-scores) a `score` list follows: the cross-encoder logits of
 * (query, positive) and of each (query, negative_i), what MarginMSE and distillation losses
 * read as the label; an example without a cross-encoder score for each of them is skipped.
 */
export function stNtupleRows(examples: TrainingExample[], opts: ExportOptions = {}, withScores = false): RowSet {
  const n = ntupleWidth(examples, opts);
  const rows: Row[] = [];
  const skipped: SkippedExample[] = [];
  const negColumns = Array.from({ length: n }, (_, i) => `negative_${i + 1}`);
  for (const ex of examples) {
    if (!ex.positives.length) {
      skipped.push({ queryId: ex.queryId, reason: 'no positive' });
      continue;
    }
    if (n === 0 || ex.negatives.length < n) {
      skipped.push({ queryId: ex.queryId, reason: `${ex.negatives.length} negatives, the n-tuple needs ${n || 'at least 1'}` });
      continue;
    }
    const negs = ex.negatives.slice(0, n);
    const positives = rowPositives(ex, opts);
    if (withScores && [...positives.map((p) => p.score), ...negs.map((x) => x.ce)].some((v) => typeof v !== 'number')) {
      skipped.push({ queryId: ex.queryId, reason: 'no cross-encoder score for every passage (mine with a reranker)' });
      continue;
    }
    for (const pos of positives) {
      const row: Row = { anchor: ex.query, positive: pos.text };
      negs.forEach((neg, i) => (row[negColumns[i]] = neg.text));
      if (withScores) row.score = [pos.score!, ...negs.map((x) => x.ce!)];
      if (opts.withIds) Object.assign(row, { query_id: ex.queryId, positive_id: pos.id, negative_ids: negs.map((x) => x.id) });
      rows.push(row);
    }
  }
  return { rows, skipped, columns: withIdColumns(['anchor', 'positive', ...negColumns, ...(withScores ? ['score'] : [])], opts) };
}

/**
 * Labeled pairs `{sentence1, sentence2, label}`: label 1 for every positive, 0 for every
 * negative; `includeScores` adds `score`. With ids: `positive_id` is sentence2's id on
 * label-1 rows (else null) and `negative_ids` is `[sentence2's id]` on label-0 rows (else []).
 */
export function stLabeledPairRows(examples: TrainingExample[], opts: ExportOptions = {}): RowSet {
  const rows: Row[] = [];
  const skipped: SkippedExample[] = [];
  for (const ex of examples) {
    if (ex.positives.length === 0 && ex.negatives.length === 0) {
      skipped.push({ queryId: ex.queryId, reason: 'no positives and no negatives' });
      continue;
    }
    for (const pos of ex.positives) {
      const row: Row = { sentence1: ex.query, sentence2: pos.text, label: 1 };
      if (opts.includeScores) row.score = posScore(pos);
      if (opts.withIds) Object.assign(row, { query_id: ex.queryId, positive_id: pos.id, negative_ids: [] });
      rows.push(row);
    }
    for (const neg of ex.negatives) {
      const row: Row = { sentence1: ex.query, sentence2: neg.text, label: 0 };
      if (opts.includeScores) row.score = negScore(neg);
      if (opts.withIds) Object.assign(row, { query_id: ex.queryId, positive_id: null, negative_ids: [neg.id] });
      rows.push(row);
    }
  }
  return { rows, skipped, columns: withIdColumns(['sentence1', 'sentence2', 'label', ...(opts.includeScores ? ['score'] : [])], opts) };
}

/**
 * Labeled lists as mine_hard_negatives' `labeled-list` writes them, for listwise
 * cross-encoder losses (LambdaLoss, ListNet): `{anchor, documents: [positive, negatives...],
 * labels: [1, 0, ...]}` per row positive; `includeScores` adds `scores`.
 */
export function stLabeledListRows(examples: TrainingExample[], opts: ExportOptions = {}): RowSet {
  const rows: Row[] = [];
  const skipped: SkippedExample[] = [];
  for (const ex of withBothSides(examples, skipped)) {
    for (const pos of rowPositives(ex, opts)) {
      const row: Row = { anchor: ex.query, documents: [pos.text, ...ex.negatives.map((x) => x.text)], labels: [1, ...ex.negatives.map(() => 0)] };
      if (opts.includeScores) row.scores = [posScore(pos), ...ex.negatives.map(negScore)];
      if (opts.withIds) Object.assign(row, { query_id: ex.queryId, positive_id: pos.id, negative_ids: ex.negatives.map((x) => x.id) });
      rows.push(row);
    }
  }
  return { rows, skipped, columns: withIdColumns(['anchor', 'documents', 'labels', ...(opts.includeScores ? ['scores'] : [])], opts) };
}

/**
 * FlagEmbedding fine-tuning JSONL: `{query, pos: [...], neg: [...]}`, plus `pos_scores` /
 * `neg_scores` (teacher scores for distillation) and the instruction when set. Scores are
 * cross-encoder logits of exactly those pairs (positive `score`, negative `ce`), one scale: a
 * retrieval score is never written there. They go in every row or in none: `datasets` makes
 * a column of a key, and a row without it breaks distillation, so when any passage lacks a
 * logit none are written and `notes` says why. The instruction is `prompt` for the
 * embedder (`flag`; AbsEmbedderTrainDataset) and `query_prompt` for the reranker
 * (`flag-reranker`; AbsRerankerTrainDataset, whose LLM variant reads `prompt` as its
 * yes/no question). With ids, `positive_id` is a list (rows hold every positive).
 */
export function flagRows(examples: TrainingExample[], opts: ExportOptions = {}, target: 'embedder' | 'reranker' = 'embedder'): RowSet {
  const rows: Row[] = [];
  const skipped: SkippedExample[] = [];
  const kept = withBothSides(examples, skipped);
  // Teacher scores are cross-encoder logits only (positive `score`, negative `ce`): a retrieval
  // score is on another scale and is never written next to them.
  const scoresOf = (ex: TrainingExample) => ({ pos: ex.positives.map((p) => p.score), neg: ex.negatives.map((n) => n.ce) });
  const complete = (ex: TrainingExample) => {
    const s = scoresOf(ex);
    return [...s.pos, ...s.neg].every((v) => typeof v === 'number');
  };
  const scored = kept.filter(complete).length;
  const withScores = kept.length > 0 && scored === kept.length;
  const notes: string[] = [];
  if (scored > 0 && !withScores) {
    notes.push(`pos_scores/neg_scores left out of every row: ${kept.length - scored} of ${kept.length} rows have passages without a cross-encoder score (e.g. random negatives); score them to distil`);
  }
  const promptKey = target === 'embedder' ? 'prompt' : 'query_prompt';
  // Same keys in every row: datasets would give a row without the key None, which FlagEmbedding
  // formats into the query as "None"; "" leaves the query as it is.
  const anyPrompt = kept.some((ex) => ex.prompt !== undefined);
  for (const ex of kept) {
    const row: Row = { query: ex.query, pos: ex.positives.map((p) => p.text), neg: ex.negatives.map((n) => n.text) };
    if (withScores) {
      const s = scoresOf(ex);
      row.pos_scores = s.pos;
      row.neg_scores = s.neg;
    }
    if (anyPrompt) row[promptKey] = ex.prompt ?? '';
    if (opts.withIds) {
      Object.assign(row, { query_id: ex.queryId, positive_id: ex.positives.map((p) => p.id), negative_ids: ex.negatives.map((n) => n.id) });
    }
    rows.push(row);
  }
  return { rows, skipped, notes, columns: withIdColumns(['query', 'pos', 'neg', 'pos_scores', 'neg_scores', promptKey], opts) };
}

/**
 * LCE groups as luyug/Reranker reads them: `{"qry": {"qid", "query"}, "pos": [{"pid",
 * "passage"}], "neg": [{"pid", "passage"}]}`. Its GroupedTrainDataset declares `query` and
 * `passage` as `List[int32]` (token ids of the reranker's tokenizer, no special tokens),
 * so format `lce` writes ids from `opts.tokenIds` and refuses to run without it; `lce-text`
 * writes the same groups with strings, for readers that tokenise themselves. With
 * `lceGroupSize` g, at most g-1 negatives (the first ones) are written; the trainer samples
 * with replacement when a group has fewer, so only examples without any negative are
 * skipped. Ids are part of the format, so `withIds` adds nothing.
 */
export function lceRows(examples: TrainingExample[], opts: ExportOptions = {}, asText = false): RowSet {
  const g = opts.lceGroupSize;
  if (g !== undefined && (!Number.isInteger(g) || g < 2)) throw new Error(`LCE group size must be an integer >= 2, got ${g}`);
  const encode = asText ? (t: string) => t : opts.tokenIds;
  if (!encode) {
    throw new Error("format lce writes token ids and needs the reranker's tokenizer (give a reranker); lce-text writes the same groups as text");
  }
  const rows: Row[] = [];
  const skipped: SkippedExample[] = [];
  for (const ex of withBothSides(examples, skipped)) {
    const negs = g === undefined ? ex.negatives : ex.negatives.slice(0, g - 1);
    rows.push({
      qry: { qid: ex.queryId, query: encode(ex.query) },
      pos: ex.positives.map((p) => ({ pid: p.id, passage: encode(p.text) })),
      neg: negs.map((n) => ({ pid: n.id, passage: encode(n.text) })),
    });
  }
  return { rows, skipped, columns: ['qry', 'pos', 'neg'] };
}

/**
 * Tevatron training rows (its HF datasets, e.g. Tevatron/msmarco-passage): `{query_id,
 * query, positive_passages: [{docid, title, text}], negative_passages: [...]}`. Quarry holds
 * a document as one text (`title: text`), so `title` is "" and `text` the whole passage.
 * Ids are part of the format.
 */
export function tevatronRows(examples: TrainingExample[]): RowSet {
  const rows: Row[] = [];
  const skipped: SkippedExample[] = [];
  const passage = (p: { id: string; text: string }) => ({ docid: p.id, title: '', text: p.text });
  for (const ex of withBothSides(examples, skipped)) {
    rows.push({ query_id: ex.queryId, query: ex.query, positive_passages: ex.positives.map(passage), negative_passages: ex.negatives.map(passage) });
  }
  return { rows, skipped, columns: ['query_id', 'query', 'positive_passages', 'negative_passages'] };
}
