// Import of training files that are not BEIR: (query, positive) pairs in CSV/TSV/JSONL,
// FlagEmbedding JSONL, sentence-transformers triplets / n-tuples / labeled pairs, and
// LCE groups (so every Quarry export can be read back). Negatives found in the file
// become candidates to review. Everything is normalised into one ImportBundle.
import type { Doc, InputIssue, Qrel, Query } from '../types.ts';
import { parseCsvRecords, unescapeFormula } from './csv.ts';
import type { Decompress } from './gzip.ts';
import { textId } from './ids.ts';
import { describe, readJsonl } from './jsonl.ts';

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
  format: 'csv' | 'tsv' | 'jsonl';
  /** Column holding the query (pairs files); detected when omitted. */
  queryColumn?: string;
  /** Column holding the positive (pairs files); detected when omitted. */
  positiveColumn?: string;
  decompress?: Decompress;
  /** CSV/TSV: undo the `'` that formula-safe CSV writers put before = + - @ (default true). */
  unescapeFormulas?: boolean;
}

const QUERY_COLUMNS = ['anchor', 'query', 'question', 'sentence1'];
const POSITIVE_COLUMNS: Record<string, string[]> = {
  anchor: ['positive'],
  query: ['positive', 'pos', 'answer', 'document', 'passage'],
  question: ['answer', 'positive'],
  sentence1: ['sentence2'],
};

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

  private doc(text: string, id: string | null | undefined, line: number): string | undefined {
    const did = id ?? textId('d', text);
    const prev = this.docs.get(did);
    if (prev && prev.text !== text) {
      this.issue(line, `document id "${did}" was used before for a different text`);
      return undefined;
    }
    if (!prev) this.docs.set(did, { id: did, title: '', text });
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
    if (!this.columns.query && typeof row.query === 'string' && Array.isArray(row.pos)) return this.addFlag(row, line);
    if (!this.columns.query && 'sentence1' in row && 'sentence2' in row && 'label' in row) return this.addLabeled(row, line);
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

  private addLabeled(row: Record<string, unknown>, line: number): boolean {
    const { sentence1, sentence2 } = row;
    const label = typeof row.label === 'string' ? Number(row.label) : row.label;
    if (!isText(sentence1) || !isText(sentence2)) {
      this.issue(line, '"sentence1" and "sentence2" must be non-empty strings');
      return false;
    }
    if (label !== 0 && label !== 1) {
      this.issue(line, `"label" must be 1 (positive) or 0 (negative), got ${JSON.stringify(row.label)}`);
      return false;
    }
    const qid = this.query(sentence1, idList(row.query_id)?.[0], line);
    if (!qid) return false;
    const explicit = label === 1 ? idList(row.positive_id)?.[0] : idList(row.negative_ids)?.[0];
    const did = this.doc(sentence2, explicit, line);
    if (!did) return false;
    if (label === 1) this.positive(qid, did);
    else this.negative(qid, did);
    return true;
  }

  private addTuple(row: Record<string, unknown>, line: number): boolean {
    const cols = this.columns.query && this.columns.positive
      ? { query: this.columns.query, positive: this.columns.positive }
      : detectColumns(Object.keys(row));
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
    const qid = this.query(query, idList(row.query_id)?.[0], line);
    if (!qid) return false;
    const did = this.doc(positive, idList(row.positive_id)?.[0], line);
    if (did) this.positive(qid, did);
    negatives.forEach((text, i) => {
      const nid = this.doc(text, negIds?.[i], line);
      if (nid) this.negative(qid, nid);
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
      if (!opts.queryColumn && !detectColumns(header) && !header.includes('sentence1')) {
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
