// BEIR folder parsers: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.
// Valid rows stream out; every problem is appended to ctx.issues with file and line.
import type { Doc, InputIssue, Qrel, Query } from '../types.ts';
import { describe, lineBatchesOrIssue, readJsonlBatches, type ParseContext } from './jsonl.ts';

/** Anything that can answer "is this id known?" (a Set, a Map, a db-backed lookup). */
export interface IdSet {
  has(id: string): boolean;
}

/** Reads `_id`: strings as they are, integers converted (some BEIR exports write numeric ids). */
function readId(
  value: Record<string, unknown>,
  ctx: ParseContext,
  lineNo: number,
  seen: Map<string, number>,
): string | undefined {
  const raw = value._id;
  let id: string | undefined;
  if (typeof raw === 'string') id = raw;
  else if (typeof raw === 'number' && Number.isInteger(raw)) id = String(raw);
  if (raw === undefined) {
    ctx.issues.push({ file: ctx.file, line: lineNo, reason: 'missing "_id"' });
    return undefined;
  }
  if (id === undefined) {
    ctx.issues.push({ file: ctx.file, line: lineNo, reason: `"_id" must be a string, got ${describe(raw)}` });
    return undefined;
  }
  if (id.trim() === '') {
    ctx.issues.push({ file: ctx.file, line: lineNo, reason: 'empty "_id"' });
    return undefined;
  }
  const first = seen.get(id);
  if (first !== undefined) {
    ctx.issues.push({ file: ctx.file, line: lineNo, reason: `duplicate _id "${id}" (first on line ${first})` });
    return undefined;
  }
  seen.set(id, lineNo);
  return id;
}

function readText(
  value: Record<string, unknown>,
  field: string,
  ctx: ParseContext,
  lineNo: number,
  required: boolean,
): string | undefined {
  const raw = value[field];
  if (raw === undefined || raw === null) {
    if (!required) return '';
    ctx.issues.push({ file: ctx.file, line: lineNo, reason: `missing "${field}"` });
    return undefined;
  }
  if (typeof raw !== 'string') {
    ctx.issues.push({ file: ctx.file, line: lineNo, reason: `"${field}" must be a string, got ${describe(raw)}` });
    return undefined;
  }
  return raw;
}

/** corpus.jsonl: `_id`, optional `title`, `text`; other fields (metadata) are ignored. */
export async function* parseCorpus(chunks: AsyncIterable<Uint8Array>, ctx: ParseContext): AsyncIterable<Doc> {
  const seen = new Map<string, number>();
  const issuesBefore = ctx.issues.length;
  for await (const batch of readJsonlBatches(chunks, ctx)) for (const { value, lineNo } of batch) {
    const id = readId(value, ctx, lineNo, seen);
    if (id === undefined) continue;
    const title = readText(value, 'title', ctx, lineNo, false);
    const text = readText(value, 'text', ctx, lineNo, true);
    if (title === undefined || text === undefined) {
      seen.delete(id); // a rejected row does not claim its id
      continue;
    }
    yield { id, title, text };
  }
  if (seen.size === 0 && ctx.issues.length === issuesBefore) emptyFile(ctx, 'the corpus file is empty: no documents');
}

/**
 * A file with no rows and no bad line is said to be empty: an empty input is a problem to
 * report (exit status, import report), not a silent success with zero rows.
 */
function emptyFile(ctx: ParseContext, reason: string): void {
  ctx.issues.push({ file: ctx.file, line: 0, reason });
}

/** queries.jsonl: `_id`, `text`; other fields are ignored. */
export async function* parseQueries(chunks: AsyncIterable<Uint8Array>, ctx: ParseContext): AsyncIterable<Query> {
  const seen = new Map<string, number>();
  const issuesBefore = ctx.issues.length;
  for await (const batch of readJsonlBatches(chunks, ctx)) for (const { value, lineNo } of batch) {
    const id = readId(value, ctx, lineNo, seen);
    if (id === undefined) continue;
    const text = readText(value, 'text', ctx, lineNo, true);
    if (text === undefined) {
      seen.delete(id);
      continue;
    }
    yield { id, text };
  }
  if (seen.size === 0 && ctx.issues.length === issuesBefore) emptyFile(ctx, 'the queries file is empty: no queries');
}

export interface QrelsContext extends ParseContext {
  /** When given, a qrel naming a document not in this set is an issue (and dropped). */
  docIds?: IdSet;
  queryIds?: IdSet;
}

const HEADER = ['query-id', 'corpus-id', 'score'];

/**
 * qrels TSV: header `query-id<TAB>corpus-id<TAB>score`, then one graded judgement per
 * line (integer score; several positives per query allowed). A file without the header
 * is accepted when its first line is valid data.
 */
export async function* parseQrels(chunks: AsyncIterable<Uint8Array>, ctx: QrelsContext): AsyncIterable<Qrel> {
  const seen = new Map<string, number>();
  const issuesBefore = ctx.issues.length;
  let first = true;
  let header = false;
  for await (const batch of lineBatchesOrIssue(chunks, ctx)) for (const { line, lineNo } of batch) {
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (first) {
      first = false;
      if (cells.length === 3 && cells.every((c, i) => c.trim().toLowerCase() === HEADER[i])) {
        header = true;
        continue;
      }
      if (cells.length === 3 && !/^[+-]?\d+$/.test(cells[2].trim())) {
        ctx.issues.push({ file: ctx.file, line: lineNo, reason: `expected the header "query-id\tcorpus-id\tscore" or a judgement` });
        continue;
      }
    }
    if (cells.length !== 3) {
      ctx.issues.push({
        file: ctx.file,
        line: lineNo,
        reason: `expected 3 tab-separated columns (query-id, corpus-id, score), found ${cells.length}`,
      });
      continue;
    }
    const queryId = cells[0].trim();
    const docId = cells[1].trim();
    const scoreText = cells[2].trim();
    if (!queryId || !docId) {
      ctx.issues.push({ file: ctx.file, line: lineNo, reason: `empty ${queryId ? 'corpus-id' : 'query-id'}` });
      continue;
    }
    if (!/^[+-]?\d+$/.test(scoreText)) {
      ctx.issues.push({ file: ctx.file, line: lineNo, reason: `score must be an integer, got "${scoreText}"` });
      continue;
    }
    if (ctx.queryIds && !ctx.queryIds.has(queryId)) {
      ctx.issues.push({ file: ctx.file, line: lineNo, reason: `unknown query "${queryId}" (not in queries)` });
      continue;
    }
    if (ctx.docIds && !ctx.docIds.has(docId)) {
      ctx.issues.push({ file: ctx.file, line: lineNo, reason: `unknown document "${docId}" (not in corpus)` });
      continue;
    }
    const key = `${queryId}\u0000${docId}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      ctx.issues.push({
        file: ctx.file,
        line: lineNo,
        reason: `duplicate judgement for query "${queryId}" and document "${docId}" (first on line ${firstLine})`,
      });
      continue;
    }
    seen.set(key, lineNo);
    yield { queryId, docId, score: Number(scoreText) };
  }
  if (seen.size === 0 && ctx.issues.length === issuesBefore) {
    emptyFile(ctx, header ? 'the qrels file has a header but no judgement' : 'the qrels file is empty (expected query-id, corpus-id, score lines)');
  }
}

/** A file that can be opened (again) as a stream of byte chunks. */
export interface ChunkSource {
  /** Name used in issues, e.g. `corpus.jsonl.gz` or `qrels/dev.tsv`. */
  name: string;
  open(): AsyncIterable<Uint8Array>;
}

export interface BeirSource {
  corpus: ChunkSource;
  queries: ChunkSource;
  /** Split name → qrels file. */
  qrels: Record<string, ChunkSource>;
}

export interface BeirData {
  docs: Doc[];
  queries: Query[];
  qrels: Record<string, Qrel[]>;
  issues: InputIssue[];
}

export interface LoadBeirOptions {
  /** Only these splits' qrels (all when omitted). A named split that does not exist is an error. */
  splits?: string[];
  decompress?: import('./gzip.ts').Decompress;
}

/** Reads a whole BEIR dataset, checking qrels against the ids actually loaded. */
export async function loadBeir(source: BeirSource, opts: LoadBeirOptions = {}): Promise<BeirData> {
  const issues: InputIssue[] = [];
  const docs: Doc[] = [];
  for await (const d of parseCorpus(source.corpus.open(), { file: source.corpus.name, issues, decompress: opts.decompress })) {
    docs.push(d);
  }
  const queries: Query[] = [];
  for await (const q of parseQueries(source.queries.open(), { file: source.queries.name, issues, decompress: opts.decompress })) {
    queries.push(q);
  }
  const docIds = new Set(docs.map((d) => d.id));
  const queryIds = new Set(queries.map((q) => q.id));
  const qrels: Record<string, Qrel[]> = {};
  const splits = opts.splits ?? Object.keys(source.qrels).sort();
  for (const split of splits) {
    const file = source.qrels[split];
    if (!file) {
      throw new Error(`no qrels for split "${split}" (have: ${Object.keys(source.qrels).sort().join(', ') || 'none'})`);
    }
    const rows: Qrel[] = [];
    for await (const r of parseQrels(file.open(), { file: file.name, issues, decompress: opts.decompress, docIds, queryIds })) {
      rows.push(r);
    }
    qrels[split] = rows;
  }
  return { docs, queries, qrels, issues };
}
