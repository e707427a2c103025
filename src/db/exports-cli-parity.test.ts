// The Export page's include_scores and "one row per (query, positive)" write the file
// `quarry mine --include-scores --positives each` writes: the same BM25 run on the same data,
// mined by the app's pipeline and exported by buildExport, vs mined and written by the CLI:
// byte-identical files (rows, order, score columns, ids side file).
import 'fake-indexeddb/auto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { createRun } from './runs';
import { buildExport } from './exports';
import type { MiningConfig } from './schema';
import { runMining } from '../workers/mine/pipeline';
import { debianSlice, fakeEmbedPort, seedProject } from '../workers/mine/test-fixtures';
import { quarry } from '../cli/test-support/debian-slice';

const slice = debianSlice(40);
// A second judged positive for a few queries (as byte-identical descriptions give in the full
// data), so one row per (query, positive) differs from the first positive alone.
for (const [i, q] of slice.queries.slice(0, 5).entries()) {
  const other = slice.qrels.find((r) => r.queryId === slice.queries[i + 10].id)!;
  slice.qrels.push({ queryId: q.id, docId: other.docId, score: 1 });
}
const dir = mkdtempSync(join(tmpdir(), 'quarry-export-parity-'));
const data = join(dir, 'data');
mkdirSync(join(data, 'qrels'), { recursive: true });
writeFileSync(join(data, 'corpus.jsonl'), slice.docs.map((d) => JSON.stringify({ _id: d.id, title: d.title, text: d.text })).join('\n') + '\n');
writeFileSync(join(data, 'queries.jsonl'), slice.queries.map((q) => JSON.stringify({ _id: q.id, text: q.text })).join('\n') + '\n');
writeFileSync(join(data, 'qrels', 'dev.tsv'), ['query-id\tcorpus-id\tscore', ...slice.qrels.map((r) => `${r.queryId}\t${r.docId}\t${r.score}`)].join('\n') + '\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config: MiningConfig = {
  split: 'dev',
  members: [{ spec: 'bm25:k1=0.9:b=0.4', name: 'bm25', weight: 1 }],
  fusion: 'soft-z',
  strategy: 'topk',
  range: [0, 30],
  negatives: 5,
  randomNegatives: 0,
  chunk: 'none',
  depth: 100,
  scoreSource: 'bm25',
};

const lines = (text: string) => text.trim().split('\n');
/** Rows with their side file's ids joined back, line by line. */
const joined = (rows: string, ids: string) => lines(rows).map((l, i) => ({ ...JSON.parse(l), ...JSON.parse(lines(ids)[i]) }) as Record<string, unknown>);

describe('Export page vs quarry mine', () => {
  it('st-triplet with include_scores and one row per (query, positive): the same file', async () => {
    // Several positives per query (byte-identical descriptions), so "each" matters here.
    const multi = new Map<string, number>();
    for (const r of slice.qrels) multi.set(r.queryId, (multi.get(r.queryId) ?? 0) + 1);
    expect([...multi.values()].some((n) => n > 1)).toBe(true);

    const out = join(dir, 'cli.jsonl');
    const cli = await quarry(
      'mine', '--data', data, '--split', 'dev', '--member', 'bm25:k1=0.9:b=0.4', '--strategy', 'topk', '--range', '0:30', '--negatives', '5',
      '--score-source', 'bm25', '--format', 'st-triplet', '--positives', 'each', '--include-scores', '--with-ids', '--out', out,
    );
    expect(cli.code, cli.stderr).toBe(0);

    const db = new QuarryDB(`export-parity-${Math.random()}`);
    try {
      await seedProject(db, 'p', slice);
      await createRun(db, { projectId: 'p', name: 'bm25', config, id: 'r1' });
      expect(await runMining({ db, embed: fakeEmbedPort(db, {}), signal: new AbortController().signal }, 'r1')).toBe('done');
      const req = { runId: 'r1', format: 'st-triplet' as const, includeUnreviewed: true, fillRandom: false, devFraction: 0, seed: 42, withIds: true };
      const app = unzipSync((await buildExport(db, { ...req, positives: 'each', includeScores: true })).zip);
      const appRows = strFromU8(app['train.jsonl']);
      const cliRows = readFileSync(out, 'utf8');
      expect(JSON.parse(lines(appRows)[0])).toHaveProperty('positive_score');
      const key = (r: Record<string, unknown>) => JSON.stringify([r.query_id, r.positive_id, r.negative_ids]);
      const sort = (rows: Array<Record<string, unknown>>) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
      const appJoined = joined(appRows, strFromU8(app['train.ids.jsonl']));
      const cliJoined = joined(cliRows, readFileSync(out.replace(/\.jsonl$/, '.ids.jsonl'), 'utf8'));
      expect(appJoined.length).toBeGreaterThan(slice.queries.length);
      expect(sort(appJoined)).toEqual(sort(cliJoined));
      expect(appRows).toBe(cliRows);
      // Without the options, the app writes fewer rows and no score columns.
      const plain = strFromU8(unzipSync((await buildExport(db, req)).zip)['train.jsonl']);
      expect(lines(plain).length).toBeLessThan(appJoined.length);
      expect(JSON.parse(lines(plain)[0])).not.toHaveProperty('positive_score');
    } finally {
      db.close();
      await db.delete();
    }
  }, 300_000);
});
