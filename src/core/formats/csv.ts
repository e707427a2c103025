// CSV / TSV: an RFC 4180 reader built on readLines (so bytes that are not UTF-8 are
// reported per line and line numbers stay exact) and formula-safe cell writing.
//
// Reader rules: a field that starts with `"` is quoted; inside it `""` is a quote and
// delimiters and line breaks are data (a line break inside a quoted field comes out as
// `\n`, whatever the file used). A `"` inside an unquoted field is kept literally.
import type { ParseContext } from './jsonl.ts';
import { linesOrIssue } from './jsonl.ts';

export interface CsvRecord {
  cells: string[];
  /** Line the record starts on (1-based). */
  lineNo: number;
}

export interface CsvOptions {
  /** `,` (default) or `\t` for TSV. */
  delimiter?: string;
}

/** Splits a CSV/TSV stream into records. Malformed records become issues and are skipped. */
export async function* parseCsvRecords(
  chunks: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  opts: CsvOptions = {},
): AsyncIterable<CsvRecord> {
  const delim = opts.delimiter ?? ',';
  let cells: string[] = [];
  let field = '';
  let inQuotes = false; // inside a quoted field that continues on the next line
  let startLine = 0;
  let expectedNext = 0;

  for await (const { line, lineNo } of linesOrIssue(chunks, ctx)) {
    if (inQuotes && lineNo !== expectedNext) {
      // A line of the record could not be decoded (already reported): drop the record.
      inQuotes = false;
      cells = [];
      field = '';
    }
    let i = 0;
    if (!inQuotes) {
      if (line.trim() === '') continue; // blank lines between records
      startLine = lineNo;
      cells = [];
      field = '';
    } else {
      field += '\n';
    }
    let bad: string | undefined;
    let fieldStart = !inQuotes;
    while (i <= line.length) {
      if (inQuotes) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          field += line.slice(i);
          i = line.length + 1;
          break; // record continues on the next line
        }
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        inQuotes = false;
        i = q + 1;
        // After a closing quote only a delimiter or the end of the line may follow.
        if (i < line.length && !line.startsWith(delim, i)) {
          bad = `unexpected character after closing quote in column ${cells.length + 1}`;
          break;
        }
        cells.push(field);
        field = '';
        if (i >= line.length) {
          i = line.length + 1;
          fieldStart = false;
          break;
        }
        i += delim.length;
        fieldStart = true;
        continue;
      }
      if (fieldStart && line[i] === '"') {
        inQuotes = true;
        fieldStart = false;
        i++;
        continue;
      }
      const d = line.indexOf(delim, i);
      if (d < 0) {
        cells.push(field + line.slice(i));
        field = '';
        i = line.length + 1;
        fieldStart = false;
        break;
      }
      cells.push(field + line.slice(i, d));
      field = '';
      i = d + delim.length;
      fieldStart = true;
      if (i === line.length) {
        cells.push(''); // trailing delimiter: an empty last field
        i = line.length + 1;
        fieldStart = false;
        break;
      }
    }
    if (bad) {
      ctx.issues.push({ file: ctx.file, line: lineNo, reason: bad });
      inQuotes = false;
      continue;
    }
    if (inQuotes) {
      expectedNext = lineNo + 1;
      continue;
    }
    yield { cells, lineNo: startLine };
  }
  if (inQuotes) {
    ctx.issues.push({ file: ctx.file, line: startLine, reason: 'unterminated quoted field (missing closing ")' });
  }
}

const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Makes a cell safe to open in a spreadsheet: text starting with = + - @ tab or CR is
 * prefixed with a single quote (OWASP CSV injection advice). Text that already starts
 * with quotes followed by such a character gets one more quote, so `unescapeFormula`
 * restores every original exactly.
 */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Inverse of escapeFormula. */
export function unescapeFormula(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** One CSV cell: formula-safe, quoted per RFC 4180 when it holds a quote, comma or line break. */
export function csvCell(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = escapeFormula(value);
  else if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  else text = escapeFormula(JSON.stringify(value));
  return text.includes('"') || text.includes(delimiter) || text.includes('\n') || text.includes('\r')
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/** A CSV document (CRLF line ends, as RFC 4180 says). */
export function* csvLines(header: string[], rows: Iterable<Record<string, unknown>>, delimiter = ','): Iterable<string> {
  yield header.map((h) => csvCell(h, delimiter)).join(delimiter) + '\r\n';
  for (const row of rows) yield header.map((h) => csvCell(row[h], delimiter)).join(delimiter) + '\r\n';
}
