// JSON Lines on top of readLines: one object per line, every bad line becomes an issue.
import type { InputIssue } from '../types.ts';
import { maybeDecompress, type Decompress } from './gzip.ts';
import { readLineBatches } from './lines.ts';

/** Where parsers report problems, and how they undo gzip. */
export interface ParseContext {
  /** File name used in issues (e.g. `corpus.jsonl`). */
  file: string;
  /** Issues are appended here as they are found. */
  issues: InputIssue[];
  decompress?: Decompress;
}

export interface JsonRecord {
  value: Record<string, unknown>;
  lineNo: number;
}

/**
 * Yields each line's JSON object. Blank lines are skipped silently; invalid JSON, a
 * non-object value, or bytes that are not UTF-8 become issues and the line is skipped.
 * A read error (e.g. truncated gzip) is not a bad line: it throws StreamReadError, so
 * the caller fails the whole input instead of keeping the part read before it.
 */
export async function* readJsonl(chunks: AsyncIterable<Uint8Array>, ctx: ParseContext): AsyncIterable<JsonRecord> {
  for await (const batch of readJsonlBatches(chunks, ctx)) yield* batch;
}

/** readJsonl, one array per input chunk (fewer async hops for the row parsers). */
export async function* readJsonlBatches(chunks: AsyncIterable<Uint8Array>, ctx: ParseContext): AsyncIterable<JsonRecord[]> {
  for await (const lines of lineBatchesOrIssue(chunks, ctx)) {
    const out: JsonRecord[] = [];
    for (const ev of lines) {
      const text = ev.line;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        ctx.issues.push({ file: ctx.file, line: ev.lineNo, reason: `invalid JSON (${jsonError(err)})` });
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        ctx.issues.push({ file: ctx.file, line: ev.lineNo, reason: `expected a JSON object, got ${describe(value)}` });
        continue;
      }
      out.push({ value: value as Record<string, unknown>, lineNo: ev.lineNo });
    }
    if (out.length) yield out;
  }
}

/** readLines + gzip, with undecodable lines turned into issues; a read failure throws StreamReadError. */
export async function* linesOrIssue(
  chunks: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
): AsyncIterable<{ line: string; lineNo: number }> {
  for await (const batch of lineBatchesOrIssue(chunks, ctx)) yield* batch;
}

/** linesOrIssue, one array per input chunk. */
export async function* lineBatchesOrIssue(
  chunks: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
): AsyncIterable<Array<{ line: string; lineNo: number }>> {
  let last = 0;
  try {
    for await (const events of readLineBatches(maybeDecompress(chunks, ctx.decompress, ctx.file))) {
      const out: Array<{ line: string; lineNo: number }> = [];
      for (const ev of events) {
        last = ev.lineNo;
        if ('error' in ev) ctx.issues.push({ file: ctx.file, line: ev.lineNo, reason: ev.error });
        else out.push(ev);
      }
      if (out.length) yield out;
    }
  } catch (err) {
    // The bytes stopped (truncated gzip, unreadable file): the rows before are only part
    // of the file, so this must not pass as "N bad lines skipped".
    throw new StreamReadError(ctx.file, last + 1, err);
  }
}

/**
 * The input stream itself failed (truncated or corrupt gzip, a file that cannot be read
 * further): the file is incomplete. Callers must fail the import / command as a whole
 * (the CLI exits non-zero; the app rolls the import back).
 */
export class StreamReadError extends Error {
  override readonly name = 'StreamReadError';
  constructor(
    readonly file: string,
    /** The first line that could not be read. */
    readonly line: number,
    readonly reason: unknown,
  ) {
    const why = reason instanceof Error ? reason.message : String(reason);
    // The gunzip hook already names the file: say it once.
    super(`${file}: could not read past line ${line - 1}, the file is incomplete or corrupt (${why.startsWith(`${file}: `) ? why.slice(file.length + 2) : why})`);
  }
}

function jsonError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 120 ? msg.slice(0, 117) + '...' : msg;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `a string`;
  return `a ${typeof value}`;
}
