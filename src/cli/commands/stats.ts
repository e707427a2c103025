// `quarry stats --data DIR [--json]`: counts and length statistics of a BEIR folder,
// with every bad line reported to stderr (file:line: reason) and exit status 1 if any.
import type { Command } from '../args.ts';
import { parseCorpus, parseQrels, parseQueries } from '../../core/formats/beir.ts';
import { countBytes } from '../../core/formats/lines.ts';
import type { InputIssue } from '../../core/types.ts';
import { StatsAccumulator, formatStatsTable } from '../../core/stats/index.ts';
import { beirFolder, formatIssue, issueSummary, readFailure } from '../io/beir.ts';
import { nodeGunzip } from '../io/open.ts';
import { resolve } from 'node:path';

export interface ParseSpeed {
  file: string;
  bytes: number;
  rows: number;
  seconds: number;
  mbPerSecond: number;
  rowsPerSecond: number;
}

export const command: Command = {
  name: 'stats',
  summary: 'Count documents, queries and qrels of a BEIR folder; report every bad line (file:line: reason).',
  options: {
    data: { type: 'string', valueName: 'DIR', required: true, description: 'BEIR folder (corpus.jsonl, queries.jsonl, qrels/*.tsv)' },
    json: { type: 'boolean', description: 'Print one JSON object instead of tables' },
  },
  details: 'Exit status: 0 when every line is valid, 1 when some lines were skipped (statistics cover the valid rows).',
  async run(args, io) {
    const dir = resolve(io.cwd, args.requireString('data'));
    const src = beirFolder(dir);
    const issues: InputIssue[] = [];
    const acc = new StatsAccumulator();
    const speed: ParseSpeed[] = [];

    const timed = async <T>(file: string, chunks: AsyncIterable<Uint8Array>, parse: (c: AsyncIterable<Uint8Array>) => AsyncIterable<T>, each: (row: T) => void) => {
      let bytes = 0;
      let rows = 0;
      const t0 = performance.now();
      for await (const row of parse(countBytes(chunks, (b) => (bytes = b)))) {
        rows++;
        each(row);
      }
      const seconds = (performance.now() - t0) / 1000;
      speed.push({ file, bytes, rows, seconds, mbPerSecond: bytes / 1e6 / seconds, rowsPerSecond: rows / seconds });
    };

    const docIds = new Set<string>();
    const queryIds = new Set<string>();
    try {
      await timed(src.corpus.name, src.corpus.open(), (c) => parseCorpus(c, { file: src.corpus.name, issues, decompress: nodeGunzip }), (d) => {
        docIds.add(d.id);
        acc.addDoc(d);
      });
      await timed(src.queries.name, src.queries.open(), (c) => parseQueries(c, { file: src.queries.name, issues, decompress: nodeGunzip }), (q) => {
        queryIds.add(q.id);
        acc.addQuery(q);
      });
      for (const [split, file] of Object.entries(src.qrels)) {
        acc.addSplit(split);
        await timed(file.name, file.open(), (c) => parseQrels(c, { file: file.name, issues, decompress: nodeGunzip, docIds, queryIds }), (r) => acc.addQrel(split, r));
      }
    } catch (err) {
      throw readFailure(dir, src, err);
    }

    const stats = acc.finish();
    if (args.flag('json')) {
      io.stdout(JSON.stringify({ data: dir, ...stats, issues: issues.length, parse: speed }) + '\n');
    } else {
      io.stdout(`${dir}\n\n${formatStatsTable(stats)}\n`);
      const rows = speed.map((s) => `${s.file}: ${(s.bytes / 1e6).toFixed(1)} MB, ${s.rows.toLocaleString('en-US')} rows in ${s.seconds.toFixed(2)} s (${s.mbPerSecond.toFixed(1)} MB/s, ${Math.round(s.rowsPerSecond).toLocaleString('en-US')} rows/s)`);
      io.stdout(`parse speed\n${rows.map((r) => '  ' + r).join('\n')}\n`);
    }
    for (const issue of issues) io.stderr(formatIssue(dir, issue) + '\n');
    if (issues.length) {
      io.stderr(issueSummary(issues, 'statistics cover the valid rows') + '\n');
      return 1;
    }
    return 0;
  },
};
