// Dataset statistics, accumulated row by row so a loader can stream straight into it.
import { docText, type Doc, type Qrel, type Query } from '../types.ts';
import { countWords, summarize, type Summary } from './percentiles.ts';

export interface SplitStats {
  /** Judgement lines (any score). */
  qrels: number;
  /** Distinct queries with at least one judgement in this split. */
  queries: number;
  /** Distinct queries with at least one positive (score > 0): the ones evaluation and mining use. */
  queriesWithPositives: number;
  /** Judgements with score > 0. */
  positives: number;
  /** Positives per query, over queries with at least one positive. */
  positivesPerQuery: Summary;
  /** How many queries have exactly 1, 2, ... positives (`"5+"` collects the rest). */
  positivesHistogram: Record<string, number>;
}

export interface DataStats {
  documents: number;
  queries: number;
  /** Document length of `title: text` (what gets embedded), in words and characters (UTF-16 code units). */
  docWords: Summary;
  docChars: Summary;
  queryWords: Summary;
  queryChars: Summary;
  emptyDocuments: number;
  splits: Record<string, SplitStats>;
}

export class StatsAccumulator {
  private docWords: number[] = [];
  private docChars: number[] = [];
  private queryWords: number[] = [];
  private queryChars: number[] = [];
  private emptyDocs = 0;
  private splitRows = new Map<string, { qrels: number; perQuery: Map<string, number> }>();

  addDoc(doc: Doc): void {
    const text = docText(doc);
    const words = countWords(text);
    if (countWords(doc.text) === 0) this.emptyDocs++;
    this.docWords.push(words);
    this.docChars.push(text.length);
  }

  addQuery(query: Query): void {
    this.queryWords.push(countWords(query.text));
    this.queryChars.push(query.text.length);
  }

  /** Declares a split even if it turns out to have no valid rows. */
  addSplit(split: string): void {
    if (!this.splitRows.has(split)) this.splitRows.set(split, { qrels: 0, perQuery: new Map() });
  }

  addQrel(split: string, qrel: Qrel): void {
    this.addSplit(split);
    const s = this.splitRows.get(split)!;
    s.qrels++;
    const positive = qrel.score > 0 ? 1 : 0;
    s.perQuery.set(qrel.queryId, (s.perQuery.get(qrel.queryId) ?? 0) + positive);
  }

  finish(): DataStats {
    const splits: Record<string, SplitStats> = {};
    for (const [name, s] of [...this.splitRows].sort(([a], [b]) => a.localeCompare(b))) {
      const counts = [...s.perQuery.values()].filter((n) => n > 0);
      const histogram: Record<string, number> = {};
      for (const n of counts) {
        const key = n >= 5 ? '5+' : String(n);
        histogram[key] = (histogram[key] ?? 0) + 1;
      }
      splits[name] = {
        qrels: s.qrels,
        queries: s.perQuery.size,
        queriesWithPositives: counts.length,
        positives: counts.reduce((a, b) => a + b, 0),
        positivesPerQuery: summarize(counts),
        positivesHistogram: histogram,
      };
    }
    return {
      documents: this.docWords.length,
      queries: this.queryWords.length,
      docWords: summarize(this.docWords),
      docChars: summarize(this.docChars),
      queryWords: summarize(this.queryWords),
      queryChars: summarize(this.queryChars),
      emptyDocuments: this.emptyDocs,
      splits,
    };
  }
}

const fmt = (n: number): string =>
  n.toLocaleString('en-US', Number.isInteger(n) ? {} : { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

/** Plain-text report (what `quarry stats` prints). */
export function formatStatsTable(stats: DataStats): string {
  const out: string[] = [];
  out.push(table([
    ['', 'count'],
    ['documents', fmt(stats.documents)],
    ['queries', fmt(stats.queries)],
    ['empty documents', fmt(stats.emptyDocuments)],
  ]));
  out.push('');
  const len = (name: string, s: Summary) => [name, fmt(s.mean), fmt(s.p50), fmt(s.p90), fmt(s.p99), fmt(s.max)];
  out.push(table([
    ['length', 'mean', 'p50', 'p90', 'p99', 'max'],
    len('document words', stats.docWords),
    len('document chars', stats.docChars),
    len('query words', stats.queryWords),
    len('query chars', stats.queryChars),
  ]));
  const names = Object.keys(stats.splits);
  if (names.length) {
    out.push('');
    out.push(table([
      ['split', 'qrels', 'queries', 'with positives', 'positives', 'pos/query mean', 'p50', 'max'],
      ...names.map((n) => {
        const s = stats.splits[n];
        return [n, fmt(s.qrels), fmt(s.queries), fmt(s.queriesWithPositives), fmt(s.positives),
          fmt(s.positivesPerQuery.mean), fmt(s.positivesPerQuery.p50), fmt(s.positivesPerQuery.max)];
      }),
    ]));
  } else {
    out.push('', 'no qrels (qrels/<split>.tsv)');
  }
  return out.join('\n') + '\n';
}
