// Import of training files that are not BEIR: (query, positive) pairs in CSV/TSV/JSONL,
// FlagEmbedding JSONL, sentence-transformers triplets / n-tuples / labeled pairs, and
// LCE groups (so every Quarry export can be read back). Negatives found in the file
// become candidates to review. Everything is normalised into one ImportBundle.
import type { Doc, InputIssue, Qrel, Query } from '../types.ts';
import { parseCsvRecords, unescapeFormula } from './csv.ts';
import type { Decompress } from './gzip.ts';
import { textId } from './ids.ts';
import { describe, readJsonl } from './jsonl.ts';
import { parquetReadObjects } from 'hyparquet';

export interface ImportedCandidate {
  queryId: string;
  docId: string;
  /** Teacher / retrieval score given by the file (FlagEmbedding `neg_scores`). */
  score?: number;
}

export interface ImportBundle {
  docs: Doc[];
  queries: Query[];
  /** One qrel (score 1) per (query, positive). */
  qrels: Qrel[];
  /** Negatives the file brought, to review. A negative that is also a positive of its query is left out. */
  candidates: ImportedCandidate[];
  /** Scores the file gave positives (FlagEmbedding `pos_scores`). */
  positiveScores: ImportedCandidate[];
  /** FlagEmbedding `prompt` per query id, when present. */
  prompts: Record<string, string>;
  issues: InputIssue[];
}

export interface ImportOptions {
  /** File name used in issues. */
  file: string;
  /** `parquet`: read whole (hyparquet), rows numbered from 1 in issues. */
  format: 'csv' | 'tsv' | 'jsonl' | 'parquet';
  /** Column holding the query (pairs files); detected when omitted. */
  queryColumn?: string;
  /** Column holding the positive (pairs files); detected when omitted. */
  positiveColumn?: string;
  decompress?: Decompress;
  /** CSV/TSV: undo the `'` that formula-safe CSV writers put before = + - @ (default true). */
  unescapeFormulas?: boolean;
}

const QUERY_COLUMNS = ['anchor', 'query', 'question', 'sentence1', 'text1'];
const POSITIVE_COLUMNS: Record<string, string[]> = {
  anchor: ['positive', 'answer', 'response', 'documents', 'passage', 'text'],
  query: ['positive', 'pos', 'answer', 'response', 'document', 'documents', 'passage', 'text'],
  question: ['answer', 'positive', 'response'],
  sentence1: ['sentence2'],
  text1: ['text2'],
};

/** Columns that are never one of the two texts of a pair. */
const NON_TEXT_COLUMNS = new Set(['label', 'labels', 'score', 'scores', 'query_id', 'positive_id', 'negative_ids']);

/** A 0/1 label (number, boolean or "0"/"1"), else undefined. */
function binaryLabel(v: unknown): 0 | 1 | undefined {
  const n = (typeof v === 'string' && v.trim() !== '') || typeof v === 'boolean' || typeof v === 'bigint' ? Number(v) : v;
  return n === 0 || n === 1 ? n : undefined;
}

/**
 * The two text columns of a labeled-pair row: the named pairs above, else the first two
 * columns that are neither label, score nor id (sentence-transformers writes labeled pairs
 * with the dataset's own column names, e.g. query/answer/label).
 */
function pairColumns(keys: string[]): { query: string; positive: string } | undefined {
  const named = detectColumns(keys);
  if (named) return named;
  const texts = keys.filter((k) => !NON_TEXT_COLUMNS.has(k.trim().toLowerCase()));
  return texts.length === 2 ? { query: texts[0], positive: texts[1] } : undefined;
}

/** Whether a header is one this importer can read without a manual column pick. */
export function knownShape(header: string[]): boolean {
  if (detectColumns(header)) return true;
  return header.some((h) => h.trim().toLowerCase() === 'label') && pairColumns(header) !== undefined;
}

/**
 * Default (query, positive) columns for a header: sentence-transformers `anchor`/`positive`,
 * `query`/`positive`, `question`/`answer` (case-insensitive). Undefined when none fits.
 */
export function detectColumns(header: string[]): { query: string; positive: string } | undefined {
  const lower = new Map(header.map((h) => [h.trim().toLowerCase(), h]));
  for (const q of QUERY_COLUMNS) {
    const qc = lower.get(q);
    if (qc === undefined) continue;
    for (const p of POSITIVE_COLUMNS[q]) {
      const pc = lower.get(p);
      if (pc !== undefined) return { query: qc, positive: pc };
    }
  }
  return undefined;
}

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/** Explicit ids written by `--with-ids` exports: a string, a list, or a JSON list in a CSV/Parquet cell. */
function idList(v: unknown): Array<string | null> | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : null));
  if (typeof v === 'number') return [String(v)];
  if (typeof v === 'string') {
    if (v.startsWith('[')) {
      try {
        return idList(JSON.parse(v));
      } catch {
        return [v];
      }
    }
    return [v];
  }
  return undefined;
}

/**
 * Accumulates rows of any supported shape into an ImportBundle, de-duplicating
 * documents, queries, qrels and candidates by id.
 */
export class BundleBuilder {
  private docs = new Map<string, Doc>();
  private queries = new Map<string, Query>();
  private qrels = new Map<string, Qrel>();
  private candidates = new Map<string, ImportedCandidate>();
  private positiveScores = new Map<string, ImportedCandidate>();
  private prompts: Record<string, string> = {};
  readonly issues: InputIssue[];

  constructor(
    readonly file: string,
    private readonly columns: { query?: string; positive?: string } = {},
    issues: InputIssue[] = [],
  ) {
    this.issues = issues;
  }

  private issue(line: number, reason: string): void {
    this.issues.push({ file: this.file, line, reason });
  }

  private query(text: string, id: string | null | undefined, line: number): string | undefined {
    const qid = id ?? textId('q', text);
    const prev = this.queries.get(qid);
    if (prev && prev.text !== text) {
      this.issue(line, `query id "${qid}" was used before for a different text`);
      return undefined;
    }
    if (!prev) this.queries.set(qid, { id: qid, text });
    return qid;
  }

  private doc(text: string, id: string | null | undefined, line: number, title = ''): string | undefined {
    const did = id ?? textId('d', text);
    const prev = this.docs.get(did);
    if (prev && prev.text !== text) {
      this.issue(line, `document id "${did}" was used before for a different text`);
      return undefined;
    }
    if (!prev) this.docs.set(did, { id: did, title, text });
    return did;
  }

  private positive(qid: string, did: string, score?: number): void {
    const key = `${qid}\u0000${did}`;
    if (!this.qrels.has(key)) this.qrels.set(key, { queryId: qid, docId: did, score: 1 });
    if (score !== undefined) this.positiveScores.set(key, { queryId: qid, docId: did, score });
  }

  private negative(qid: string, did: string, score?: number): void {
    const key = `${qid}\u0000${did}`;
    if (!this.candidates.has(key)) this.candidates.set(key, score === undefined ? { queryId: qid, docId: did } : { queryId: qid, docId: did, score });
  }

  /** Adds one row (a JSON object, or a CSV record keyed by header). Returns false when the row was rejected. */
  addRow(row: Record<string, unknown>, line: number): boolean {
    if (row.qry !== undefined) return this.addLce(row, line);
    if (Array.isArray(row.positive_passages)) return this.addTevatron(row, line);
    if (!this.columns.query && typeof row.query === 'string' && Array.isArray(row.pos)) return this.addFlag(row, line);
    if (Array.isArray(row.labels)) return this.addLabeledList(row, line);
    if ('label' in row && !Object.keys(row).some((k) => k === 'negative' || /^negative_\d+$/.test(k))) return this.addLabeled(row, line);
    return this.addTuple(row, line);
  }

  private addLce(row: Record<string, unknown>, line: number): boolean {
    const qry = row.qry as Record<string, unknown> | null;
    if (qry && typeof qry === 'object' && Array.isArray(qry.query)) {
      this.issue(line, 'LCE group holds token ids, not text (format lce for luyug/Reranker): its texts cannot be read back; import the lce-text export instead');
      return false;
    }
    if (!qry || typeof qry !== 'object' || !isText(qry.query)) {
      this.issue(line, 'LCE group: "qry" must be {"qid", "query"} with a non-empty query');
      return false;
    }
    const group = (field: 'pos' | 'neg'): Array<{ id?: string; text: string }> | undefined => {
      const v = row[field] ?? [];
      if (!Array.isArray(v)) return undefined;
      const out: Array<{ id?: string; text: string }> = [];
      for (const p of v) {
        if (!p || typeof p !== 'object' || !isText((p as Record<string, unknown>).passage)) return undefined;
        const pid = (p as Record<string, unknown>).pid;
        out.push({ id: pid === undefined || pid === null ? undefined : String(pid), text: (p as Record<string, string>).passage });
      }
      return out;
    };
    const pos = group('pos');
    const neg = group('neg');
    if (!pos || !neg || pos.length === 0) {
      this.issue(line, 'LCE group: "pos" must be a non-empty list and "neg" a list of {"pid", "passage"}');
      return false;
    }
    const qid = this.query(qry.query as string, qry.qid === undefined || qry.qid === null ? undefined : String(qry.qid), line);
    if (!qid) return false;
    for (const p of pos) {
      const did = this.doc(p.text, p.id, line);
      if (did) this.positive(qid, did);
    }
    for (const n of neg) {
      const did = this.doc(n.text, n.id, line);
      if (did) this.negative(qid, did);
    }
    return true;
  }

  private addFlag(row: Record<string, unknown>, line: number): boolean {
    const query = row.query;
    const pos = row.pos;
    const neg = row.neg ?? [];
    if (!isText(query)) {
      this.issue(line, '"query" must be a non-empty string');
      return false;
    }
    if (!Array.isArray(pos) || pos.length === 0 || !pos.every(isText)) {
      this.issue(line, '"pos" must be a non-empty list of non-empty strings');
      return false;
    }
    if (!Array.isArray(neg) || !neg.every((n) => typeof n === 'string')) {
      this.issue(line, `"neg" must be a list of strings, got ${describe(neg)}`);
      return false;
    }
    const scores = (field: string, len: number): Array<number | undefined> => {
      const v = row[field];
      if (v === undefined || v === null) return new Array(len).fill(undefined);
      if (!Array.isArray(v) || v.length !== len || !v.every((s) => typeof s === 'number' && Number.isFinite(s))) {
        this.issue(line, `"${field}" must be a list of ${len} numbers (one per ${field === 'pos_scores' ? 'pos' : 'neg'} entry); scores ignored`);
        return new Array(len).fill(undefined);
      }
      return v as number[];
    };
    const posScores = scores('pos_scores', pos.length);
    const negScores = scores('neg_scores', neg.length);
    const ids = {
      query: idList(row.query_id)?.[0],
      pos: idList(row.positive_id),
      neg: idList(row.negative_ids),
    };
    const qid = this.query(query, ids.query, line);
    if (!qid) return false;
    if (typeof row.prompt === 'string' && row.prompt !== '') this.prompts[qid] = row.prompt;
    pos.forEach((text, i) => {
      const did = this.doc(text, ids.pos?.[i], line);
      if (did) this.positive(qid, did, posScores[i]);
    });
    neg.forEach((text, i) => {
      if (!isText(text)) {
        this.issue(line, `"neg" entry ${i + 1} is empty`);
        return;
      }
      const did = this.doc(text, ids.neg?.[i], line);
      if (did) this.negative(qid, did, negScores[i]);
    });
    return true;
  }

  /** The (query, positive) columns of this row: the picked ones, else what the row's keys say. */
  private pairOf(row: Record<string, unknown>, labeled: boolean): { query: string; positive: string } | undefined {
    if (this.columns.query && this.columns.positive) return { query: this.columns.query, positive: this.columns.positive };
    return labeled ? pairColumns(Object.keys(row)) : detectColumns(Object.keys(row));
  }

  /**
   * Labeled pairs: any two text columns with a 0/1 `label` (sentence-transformers'
   * `sentence1/sentence2/label`, mine_hard_negatives' labeled-pair `query/answer/label`):
   * label 1 is a positive, 0 a negative of the query; a `score` becomes the pair's score.
   */
  private addLabeled(row: Record<string, unknown>, line: number): boolean {
    const cols = this.pairOf(row, true);
    if (!cols) {
      this.issue(line, `labeled pair: cannot tell the two texts apart (fields: ${Object.keys(row).join(', ')}); pick the columns`);
      return false;
    }
    const [q, d] = [row[cols.query], row[cols.positive]];
    const label = binaryLabel(row.label);
    if (!isText(q) || !isText(d)) {
      this.issue(line, `"${cols.query}" and "${cols.positive}" must be non-empty strings`);
      return false;
    }
    if (label === undefined) {
      this.issue(line, `"label" must be 1 (positive) or 0 (negative), got ${JSON.stringify(row.label)}`);
      return false;
    }
    const qid = this.query(q, idList(row.query_id)?.[0], line);
    if (!qid) return false;
    const explicit = label === 1 ? idList(row.positive_id)?.[0] : idList(row.negative_ids)?.[0];
    const did = this.doc(d, explicit, line);
    if (!did) return false;
    const score = typeof row.score === 'number' && Number.isFinite(row.score) ? row.score : undefined;
    if (label === 1) this.positive(qid, did, score);
    else this.negative(qid, did, score);
    return true;
  }

  /**
   * sentence-transformers labeled lists (mine_hard_negatives `labeled-list`): a query column,
   * a list of texts and `labels` (1 positive, 0 negative), optional `scores`.
   */
  private addLabeledList(row: Record<string, unknown>, line: number): boolean {
    const keys = Object.keys(row);
    const listCol = keys.find((k) => !NON_TEXT_COLUMNS.has(k) && Array.isArray(row[k]));
    const queryCol = keys.find((k) => !NON_TEXT_COLUMNS.has(k) && isText(row[k]));
    const docs = listCol ? (row[listCol] as unknown[]) : undefined;
    const labels = (row.labels as unknown[]).map(binaryLabel);
    if (!queryCol || !docs || docs.length !== labels.length || !docs.every(isText) || labels.some((l) => l === undefined)) {
      this.issue(line, 'labeled list: expected a query text, a list of texts and "labels" of 0/1, one per text');
      return false;
    }
    const scores = Array.isArray(row.scores) && row.scores.length === docs.length ? (row.scores as unknown[]) : [];
    const qid = this.query(row[queryCol] as string, idList(row.query_id)?.[0], line);
    if (!qid) return false;
    (docs as string[]).forEach((text, i) => {
      const did = this.doc(text, undefined, line);
      const s = typeof scores[i] === 'number' ? (scores[i] as number) : undefined;
      if (did) (labels[i] === 1 ? this.positive(qid, did, s) : this.negative(qid, did, s));
    });
    return true;
  }

  /**
   * Tevatron training rows: `{query_id, query, positive_passages: [{docid, title, text}],
   * negative_passages: [...]}`; a passage is `title: text` like a BEIR document.
   */
  private addTevatron(row: Record<string, unknown>, line: number): boolean {
    const passages = (v: unknown): Array<{ id?: string; title: string; text: string }> | undefined => {
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) return undefined;
      const out: Array<{ id?: string; title: string; text: string }> = [];
      for (const p of v as Array<Record<string, unknown>>) {
        if (!p || typeof p !== 'object' || !isText(p.text)) return undefined;
        out.push({ id: p.docid === undefined || p.docid === null ? undefined : String(p.docid), title: typeof p.title === 'string' ? p.title : '', text: p.text });
      }
      return out;
    };
    const pos = passages(row.positive_passages);
    const neg = passages(row.negative_passages);
    if (!isText(row.query) || !pos || !neg || pos.length === 0) {
      this.issue(line, 'Tevatron row: needs "query" and a non-empty "positive_passages" (and "negative_passages") of {docid, title, text}');
      return false;
    }
    const qid = this.query(row.query, row.query_id === undefined || row.query_id === null ? undefined : String(row.query_id), line);
    if (!qid) return false;
    const add = (p: { id?: string; title: string; text: string }, positive: boolean) => {
      const did = this.doc(p.text, p.id, line, p.title);
      if (did) (positive ? this.positive(qid, did) : this.negative(qid, did));
    };
    pos.forEach((p) => add(p, true));
    neg.forEach((p) => add(p, false));
    return true;
  }

  private addTuple(row: Record<string, unknown>, line: number): boolean {
    const cols = this.pairOf(row, false);
    if (!cols) {
      this.issue(line, `cannot tell query and positive apart (fields: ${Object.keys(row).join(', ') || 'none'}); expected anchor/positive, query/positive or question/answer, or pick the columns`);
      return false;
    }
    const query = row[cols.query];
    const positive = row[cols.positive];
    if (!isText(query)) {
      this.issue(line, `"${cols.query}" must be a non-empty string${query === undefined ? ' (missing)' : ''}`);
      return false;
    }
    if (!isText(positive)) {
      this.issue(line, `"${cols.positive}" must be a non-empty string${positive === undefined ? ' (missing)' : ''}`);
      return false;
    }
    // Negatives: `negative`, or `negative_1..n` in order.
    const negatives: string[] = [];
    const negCols = Object.keys(row)
      .filter((k) => k === 'negative' || /^negative_\d+$/.test(k))
      .sort((a, b) => (a === 'negative' ? 0 : Number(a.slice(9))) - (b === 'negative' ? 0 : Number(b.slice(9))));
    for (const c of negCols) {
      const v = row[c];
      if (v === undefined || v === null || v === '') continue;
      if (!isText(v)) {
        this.issue(line, `"${c}" must be a string, got ${describe(v)}`);
        continue;
      }
      negatives.push(v);
    }
    const negIds = idList(row.negative_ids);
    // n-tuple-scores: `score` = [score(q, positive), score(q, negative_1..n)]
    const scores = Array.isArray(row.score) && row.score.length === negatives.length + 1 && row.score.every((x) => typeof x === 'number') ? (row.score as number[]) : undefined;
    if (Array.isArray(row.score) && !scores) this.issue(line, `"score" must be ${negatives.length + 1} numbers (the positive, then each negative); scores ignored`);
    const qid = this.query(query, idList(row.query_id)?.[0], line);
    if (!qid) return false;
    const did = this.doc(positive, idList(row.positive_id)?.[0], line);
    if (did) this.positive(qid, did, scores?.[0]);
    negatives.forEach((text, i) => {
      const nid = this.doc(text, negIds?.[i], line);
      if (nid) this.negative(qid, nid, scores?.[i + 1]);
    });
    return true;
  }

  finish(): ImportBundle {
    const candidates = [...this.candidates.entries()].filter(([k]) => !this.qrels.has(k)).map(([, c]) => c);
    return {
      docs: [...this.docs.values()],
      queries: [...this.queries.values()],
      qrels: [...this.qrels.values()],
      candidates,
      positiveScores: [...this.positiveScores.values()],
      prompts: this.prompts,
      issues: this.issues,
    };
  }
}

/** Parquet needs random access (its footer): the whole file as one ArrayBuffer. */
async function wholeBuffer(chunks: AsyncIterable<Uint8Array>): Promise<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    parts.push(c);
    n += c.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

/**
 * Imports a pairs / FlagEmbedding / sentence-transformers / LCE file. CSV and TSV need a
 * header row; JSONL rows are recognised by their fields. Bad rows become issues; the
 * rest are kept.
 */
export async function importTrainingFile(chunks: AsyncIterable<Uint8Array>, opts: ImportOptions): Promise<ImportBundle> {
  const issues: InputIssue[] = [];
  const builder = new BundleBuilder(opts.file, { query: opts.queryColumn, positive: opts.positiveColumn }, issues);
  const ctx = { file: opts.file, issues, decompress: opts.decompress };
  if (opts.format === 'jsonl') {
    for await (const { value, lineNo } of readJsonl(chunks, ctx)) builder.addRow(value, lineNo);
    return builder.finish();
  }
  if (opts.format === 'parquet') {
    let rows: Record<string, unknown>[];
    try {
      rows = (await parquetReadObjects({ file: await wholeBuffer(chunks) })) as Record<string, unknown>[];
    } catch (e) {
      issues.push({ file: opts.file, line: 0, reason: `not a readable Parquet file: ${(e as Error).message}` });
      return builder.finish();
    }
    rows.forEach((r, i) => builder.addRow(r, i + 1));
    return builder.finish();
  }
  const unescape = opts.unescapeFormulas ?? true;
  let header: string[] | undefined;
  for await (const rec of parseCsvRecords(chunks, ctx, { delimiter: opts.format === 'tsv' ? '\t' : ',' })) {
    if (!header) {
      header = rec.cells.map((c) => c.trim());
      for (const picked of [opts.queryColumn, opts.positiveColumn]) {
        if (picked !== undefined && !header.includes(picked)) {
          issues.push({ file: opts.file, line: rec.lineNo, reason: `no column "${picked}" in header (${header.join(', ')})` });
          return builder.finish();
        }
      }
      if (!opts.queryColumn && !knownShape(header)) {
        issues.push({
          file: opts.file,
          line: rec.lineNo,
          reason: `cannot tell query and positive columns apart in header (${header.join(', ')}); pick them`,
        });
        return builder.finish();
      }
      continue;
    }
    if (rec.cells.length !== header.length) {
      issues.push({ file: opts.file, line: rec.lineNo, reason: `expected ${header.length} columns (as the header), found ${rec.cells.length}` });
      continue;
    }
    const row: Record<string, unknown> = {};
    header.forEach((h, i) => (row[h] = unescape ? unescapeFormula(rec.cells[i]) : rec.cells[i]));
    builder.addRow(row, rec.lineNo);
  }
  if (!header) issues.push({ file: opts.file, line: 0, reason: 'empty file (no header row)' });
  return builder.finish();
}
