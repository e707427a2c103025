// Bench row "parse": the CLI's streaming corpus parser (core parseCorpus over node fs
// chunks, as `quarry` reads a BEIR folder) on the full Debian corpus.jsonl, in Node.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCorpus } from '../../src/core/formats/beir';
import { nodeGunzip, openChunks } from '../../src/cli/io/open';
import type { InputIssue } from '../../src/core/types';
import { DEBIAN, fmt } from '../lib/env';
import type { Row } from '../types';

export const name = 'parse (Node)';

export async function run(): Promise<Row[]> {
  const file = join(DEBIAN, 'corpus.jsonl');
  const bytes = statSync(file).size;
  // Best of 3: the first pass also warms the file cache and the JIT.
  let best = Infinity;
  let docs = 0;
  let issues: InputIssue[] = [];
  for (let i = 0; i < 3; i++) {
    issues = [];
    docs = 0;
    const t0 = performance.now();
    for await (const d of parseCorpus(openChunks(file), { file: 'corpus.jsonl', issues, decompress: nodeGunzip })) {
      if (d.id) docs++;
    }
    best = Math.min(best, performance.now() - t0);
  }
  const s = best / 1000;
  return [
    {
      row: 'parse: corpus.jsonl, core parser in Node (CLI path)',
      value: Math.round((bytes / 1e6 / s) * 10) / 10,
      unit: 'MB/s',
      detail: `${fmt(docs)} docs (${fmt(docs / s)} docs/s), ${fmt(bytes / 1e6, 1)} MB in ${fmt(s, 2)} s, ${issues.length} issues; best of 3`,
    },
  ];
}
