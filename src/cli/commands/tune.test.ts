// `quarry tune` on the demo slice (BM25 + the bundled pkgs-static q8 model): the weights it
// prints, passed to `quarry eval`, give exactly the nDCG@10 it reports, on the split it was
// fitted on and on a split it never saw.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main';

const DEMO = resolve(process.cwd(), 'public/demo');
const STATIC = `dense:${resolve(process.cwd(), 'public/models/pkgs-static')}:dtype=q8`;
let dir = '';

async function quarry(...argv: string[]) {
  let stdout = '', stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quarry-tune-'));
  mkdirSync(join(dir, 'qrels'));
  copyFileSync(join(DEMO, 'corpus.jsonl.gz'), join(dir, 'corpus.jsonl.gz'));
  copyFileSync(join(DEMO, 'queries.jsonl.gz'), join(dir, 'queries.jsonl.gz'));
  const [header, ...rows] = readFileSync(join(DEMO, 'qrels/dev.tsv'), 'utf8').trim().split('\n');
  const qids = [...new Set(rows.map((r) => r.split('\t')[0]))];
  const fitOn = new Set(qids.filter((_, i) => i % 2 === 0));
  writeFileSync(join(dir, 'qrels/fit.tsv'), [header, ...rows.filter((r) => fitOn.has(r.split('\t')[0]))].join('\n') + '\n');
  writeFileSync(join(dir, 'qrels/held.tsv'), [header, ...rows.filter((r) => !fitOn.has(r.split('\t')[0]))].join('\n') + '\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('quarry tune', () => {
  it('prints weights that quarry eval reproduces on the fitted split and on a held-out split', async () => {
    const cache = join(dir, 'cache');
    const members = ['--member', STATIC, '--member', 'bm25'];
    const t = await quarry('tune', '--data', dir, '--split', 'fit', ...members, '--cache', cache, '--report-split', 'held', '--json');
    expect(t.stderr).not.toMatch(/internal error/);
    expect(t.code).toBe(0);
    const out = JSON.parse(t.stdout) as {
      fusion: string;
      weights: number[];
      split: string;
      'ndcg@10': { equal: number; fitted: number };
      report: { split: string; 'ndcg@10': { equal: number; fitted: number } };
    };
    expect(Object.keys(out)).toEqual(['fusion', 'weights', 'split', 'ndcg@10', 'report']);
    expect(out.split).toBe('fit');
    expect(out.weights).toHaveLength(2);
    expect(out['ndcg@10'].fitted).toBeGreaterThanOrEqual(out['ndcg@10'].equal);

    const evalNdcg = async (split: string, extra: string[]) => {
      const e = await quarry('eval', '--data', dir, '--split', split, ...members, '--cache', cache, '--json', ...extra);
      expect(e.code).toBe(0);
      return (JSON.parse(e.stdout) as { ensemble: { 'ndcg@10': number } }).ensemble['ndcg@10'];
    };
    const fitted = ['--fusion', out.fusion, '--weights', out.weights.join(',')];
    expect(await evalNdcg('fit', fitted)).toBe(out['ndcg@10'].fitted);
    expect(await evalNdcg('fit', [])).toBe(out['ndcg@10'].equal);
    expect(await evalNdcg('held', fitted)).toBe(out.report['ndcg@10'].fitted);
    expect(await evalNdcg('held', [])).toBe(out.report['ndcg@10'].equal);
  });

  it('--holdout fits on part of one split and reports on the rest, as quarry eval scores it', async () => {
    const cache = join(dir, 'cache');
    const members = ['--member', STATIC, '--member', 'bm25'];
    const t = await quarry('tune', '--data', dir, '--split', 'fit', ...members, '--cache', cache, '--holdout', '0.5', '--json');
    expect(t.code).toBe(0);
    const out = JSON.parse(t.stdout) as { fusion: string; weights: number[]; report: { split: string; 'ndcg@10': { equal: number; fitted: number } } };
    const m = /^fit \(held out: (\d+) of (\d+) queries\)$/.exec(out.report.split);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(30);
    expect(Number(m![1])).toBeLessThan(Number(m![2]) - 30);
    // the held-out queries are those of the hash rule; score them with quarry eval
    const { hashString } = await import('../../core/export');
    const [header, ...rows] = readFileSync(join(dir, 'qrels/fit.tsv'), 'utf8').trim().split('\n');
    const heldRows = rows.filter((r) => hashString(r.split('\t')[0], 0x5eed) / 2 ** 32 < 0.5);
    expect(new Set(heldRows.map((r) => r.split('\t')[0])).size).toBe(Number(m![1]));
    writeFileSync(join(dir, 'qrels/heldout.tsv'), [header, ...heldRows].join('\n') + '\n');
    const e = await quarry('eval', '--data', dir, '--split', 'heldout', ...members, '--cache', cache, '--json', '--fusion', out.fusion, '--weights', out.weights.join(','));
    expect((JSON.parse(e.stdout) as { ensemble: { 'ndcg@10': number } }).ensemble['ndcg@10']).toBe(out.report['ndcg@10'].fitted);
    const both = await quarry('tune', '--data', dir, '--split', 'fit', '--member', 'bm25', '--holdout', '0.5', '--report-split', 'held');
    expect(both.code).toBe(2);
  });

  it('refuses --weights (it fits them) with a usage error', async () => {
    const r = await quarry('tune', '--data', dir, '--split', 'fit', '--member', 'bm25', '--weights', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/weights/);
  });
});
