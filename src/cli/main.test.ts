// The dispatcher and `quarry stats`, called through run() with captured output, plus one
// real process spawn of bin/quarry.mjs.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { run } from './main.ts';
import type { CliIO } from './args.ts';

// Temp folders made by these tests, removed at the end.
const made: string[] = [];
const track = (dir: string): string => (made.push(dir), dir);
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const REPO = resolve(import.meta.dirname, '../..');
const SHARED = process.env.QUARRY_SHARED ?? resolve(REPO, '../shared');
const DEBIAN = join(SHARED, 'data/debian-pkgs');

async function quarry(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: process.cwd() };
  const code = await run(argv, io);
  return { code, out, err };
}

/** A small BEIR copy: the first `n` corpus lines and the queries/qrels that point into them. */
function sliceDebian(n: number): { dir: string; corpus: string[] } {
  const dir = track(mkdtempSync(join(tmpdir(), 'quarry-stats-')));
  const corpus = readFileSync(join(DEBIAN, 'corpus.jsonl'), 'utf8').split('\n').slice(0, n);
  const ids = new Set(corpus.map((l) => JSON.parse(l)._id as string));
  const qrels = readFileSync(join(DEBIAN, 'qrels/dev.tsv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split('\t'))
    .filter(([, d]) => ids.has(d));
  const qids = new Set(qrels.map(([q]) => q));
  const queries = readFileSync(join(DEBIAN, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l && qids.has(JSON.parse(l)._id));
  writeFileSync(join(dir, 'corpus.jsonl'), corpus.join('\n') + '\n');
  writeFileSync(join(dir, 'queries.jsonl'), queries.join('\n') + '\n');
  mkdirSync(join(dir, 'qrels'));
  writeFileSync(join(dir, 'qrels/dev.tsv'), ['query-id\tcorpus-id\tscore', ...qrels.map((r) => r.join('\t'))].join('\n') + '\n');
  return { dir, corpus };
}

describe('quarry dispatcher', () => {
  it('prints usage with every command, and exits 2 with no command', async () => {
    const r = await quarry();
    expect(r.code).toBe(2);
    for (const c of ['stats', 'rank', 'eval', 'mine', 'help']) expect(r.err).toContain(`  ${c}`);
    const h = await quarry('help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: quarry <command>');
  });

  it('rejects an unknown command and unknown options without a stack trace', async () => {
    const r = await quarry('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^quarry: unknown command "frobnicate"/);
    const o = await quarry('stats', '--dat', 'x');
    expect(o.code).toBe(2);
    expect(o.err).toBe("quarry stats: Unknown option '--dat' (see `quarry stats --help`)\n");
    const m = await quarry('stats');
    expect(m.err).toBe('quarry stats: missing required option --data (see `quarry stats --help`)\n');
  });

  it('shows per-command help generated from the option declarations', async () => {
    const r = await quarry('stats', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--data DIR\s+BEIR folder/);
    expect(r.out).toMatch(/--json\s+Print one JSON object/);
    expect((await quarry('help', 'stats')).out).toBe(r.out);
  });

  it('names a missing folder as a user error', async () => {
    const r = await quarry('stats', '--data', '/nonexistent/beir');
    expect(r.code).toBe(1);
    expect(r.err).toBe('quarry stats: /nonexistent/beir: no such folder\n');
  });
});

describe('quarry stats', () => {
  it('prints the counts of the full Debian dataset', async () => {
    const r = await quarry('stats', '--data', DEBIAN, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.documents).toBe(64553);
    expect(s.queries).toBe(43152);
    expect(s.splits.dev.qrels).toBe(5095);
    expect(s.splits.train.qrels).toBe(40266);
    expect(s.issues).toBe(0);
    const corpus = s.parse.find((p: { file: string }) => p.file === 'corpus.jsonl');
    expect(corpus.rows).toBe(64553);
    expect(corpus.bytes).toBe(31845208);
    console.log(`corpus.jsonl parse: ${corpus.mbPerSecond.toFixed(1)} MB/s, ${Math.round(corpus.rowsPerSecond)} rows/s`);
  });

  it('points at the exact line of a corrupted copy and still reports the valid rows', async () => {
    const { dir, corpus } = sliceDebian(300);
    const lines = [...corpus];
    lines[16] = lines[16].slice(0, 40); // line 17: cut in the middle of the JSON
    writeFileSync(join(dir, 'corpus.jsonl'), lines.join('\n') + '\n');
    const r = await quarry('stats', '--data', dir);
    expect(r.code).toBe(1);
    const errLines = r.err.trimEnd().split('\n');
    expect(errLines[0]).toMatch(new RegExp(`^${join(dir, 'corpus.jsonl')}:17: invalid JSON`));
    expect(r.out).toMatch(/documents\s+299\n/);
    // the qrel pointing at the lost document is reported too
    const lostId = JSON.parse(corpus[16])._id;
    const lostQrel = r.err.split('\n').find((l) => l.includes(`unknown document "${lostId}"`));
    if (readFileSync(join(dir, 'qrels/dev.tsv'), 'utf8').includes(`\t${lostId}\t`)) expect(lostQrel).toMatch(/qrels\/dev.tsv:\d+:/);
    expect(errLines[errLines.length - 1]).toMatch(/bad lines? skipped/);
  });

  it('reads .jsonl.gz through node:zlib', async () => {
    const { dir } = sliceDebian(200);
    const plain = await quarry('stats', '--data', dir, '--json');
    writeFileSync(join(dir, 'corpus.jsonl.gz'), gzipSync(readFileSync(join(dir, 'corpus.jsonl'))));
    execFileSync('rm', [join(dir, 'corpus.jsonl')]);
    const gz = await quarry('stats', '--data', dir, '--json');
    expect(gz.code).toBe(0);
    const a = JSON.parse(plain.out);
    const b = JSON.parse(gz.out);
    expect(b.documents).toBe(200);
    expect(b.docWords).toEqual(a.docWords);
    expect(b.parse[0].file).toBe('corpus.jsonl.gz');
  });

  it('runs as a real process through bin/quarry.mjs with exit status 1 on bad data', () => {
    const { dir, corpus } = sliceDebian(50);
    const lines = [...corpus];
    lines[4] = '{"_id": "", "text": "x"}';
    writeFileSync(join(dir, 'corpus.jsonl'), lines.join('\n') + '\n');
    const p = spawnSync(process.execPath, [join(REPO, 'bin/quarry.mjs'), 'stats', '--data', dir], { encoding: 'utf8' });
    expect(p.status).toBe(1);
    expect(p.stderr).toContain(`${join(dir, 'corpus.jsonl')}:5: empty "_id"`);
    expect(p.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(p.stdout).toMatch(/documents\s+49\n/);
  });
});
