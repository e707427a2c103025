import { describe, expect, it } from 'vitest';
import type { InputIssue } from '../types.ts';
import { csvCell, csvLines, escapeFormula, parseCsvRecords, unescapeFormula } from './csv.ts';
import { chunksOf } from './lines.ts';

async function records(text: string, delimiter = ',', chunk = 3) {
  const issues: InputIssue[] = [];
  const out: Array<[number, string[]]> = [];
  for await (const r of parseCsvRecords(chunksOf(text, chunk), { file: 'x.csv', issues }, { delimiter })) out.push([r.lineNo, r.cells]);
  return { out, issues };
}

describe('parseCsvRecords', () => {
  it('follows RFC 4180: quotes, doubled quotes, embedded commas and line breaks, CRLF', async () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"line one\r\nline two",\r\n"",plain "quote" inside,end';
    const { out, issues } = await records(text);
    expect(issues).toEqual([]);
    expect(out).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', 'x, y', 'say "hi"']],
      [3, ['2', 'line one\nline two', '']],
      [5, ['', 'plain "quote" inside', 'end']],
    ]);
  });

  it('splits TSV on tabs', async () => {
    const { out } = await records('query\tpositive\nq one\t"quoted\ttab"\n', '\t');
    expect(out).toEqual([
      [1, ['query', 'positive']],
      [2, ['q one', 'quoted\ttab']],
    ]);
  });

  it('reports an unterminated quote and junk after a closing quote, keeping other records', async () => {
    const { out, issues } = await records('a,b\n"x"y,1\nok,2\n"never closed,3\nmore');
    expect(out).toEqual([
      [1, ['a', 'b']],
      [3, ['ok', '2']],
    ]);
    expect(issues).toEqual([
      { file: 'x.csv', line: 2, reason: 'unexpected character after closing quote in column 1' },
      { file: 'x.csv', line: 4, reason: 'unterminated quoted field (missing closing ")' },
    ]);
  });
});

describe('formula-safe cells', () => {
  it('prefixes = + - @ tab CR with a quote and restores every text exactly', () => {
    expect(escapeFormula('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(escapeFormula('+1')).toBe("'+1");
    expect(escapeFormula('-x')).toBe("'-x");
    expect(escapeFormula('@cmd')).toBe("'@cmd");
    expect(escapeFormula('\tx')).toBe("'\tx");
    expect(escapeFormula('plain = text')).toBe('plain = text');
    expect(escapeFormula("'quoted")).toBe("'quoted");
    // Already-quoted formula text gets one more quote, so reading back is exact.
    expect(escapeFormula("'=x")).toBe("''=x");
    for (const s of ['=1+1', "'=x", "''@y", "'plain", 'ok', '-', '\r=']) expect(unescapeFormula(escapeFormula(s))).toBe(s);
  });

  it('quotes cells per RFC 4180', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell(0)).toBe('0');
    expect(csvCell(['a', 'b'])).toBe('"[""a"",""b""]"');
    expect([...csvLines(['h'], [{ h: 'v' }])].join('')).toBe('h\r\nv\r\n');
  });
});
