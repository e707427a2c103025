// User errors of the CLI, each case as a user meets it: bad input lines, a truncated .gz, an
// empty file, a bad or corrupt model folder, an unwritable or odd --out, a --cache that is a
// file, control bytes in a file. Each must give a non-zero exit status and one line naming the
// file and the problem, never "internal error". BM25 (and the small pkgs-static model where a
// model is needed) keep these fast.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { run } from './main.ts';
import type { CliIO } from './args.ts';
import { describeSystemError } from './errors.ts';

const made: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'quarry-err-'));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const REPO = resolve(import.meta.dirname, '../..');
const SHARED = process.env.QUARRY_SHARED ?? resolve(REPO, '../shared');
const STATIC = join(SHARED, 'models/pkgs-static');
const TIMEOUT = 120_000;

async function quarry(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd };
  const code = await run(argv, io);
  return { code, out, err };
}

const DOCS = [
  { _id: 'apt', title: 'apt', text: 'commandline package manager for Debian' },
  { _id: 'dpkg', title: 'dpkg', text: 'Debian package management system' },
  { _id: 'vim', title: 'vim', text: 'Vi IMproved, a highly configurable text editor' },
  { _id: 'nano', title: 'nano', text: 'small, friendly text editor inspired by Pico' },
  { _id: 'curl', title: 'curl', text: 'command line tool for transferring data with URL syntax' },
];
const QUERIES = [
  { _id: 'q1', text: 'package manager' },
  { _id: 'q2', text: 'text editor' },
];
const QRELS = 'query-id\tcorpus-id\tscore\nq1\tapt\t1\nq2\tvim\t1\n';

/** A small BEIR folder; `corpus` replaces corpus.jsonl's text when given. */
function beir(opts: { corpus?: string; gz?: Buffer; qrels?: string } = {}): string {
  const dir = temp();
  const corpus = opts.corpus ?? DOCS.map((d) => JSON.stringify(d)).join('\n') + '\n';
  if (opts.gz) writeFileSync(join(dir, 'corpus.jsonl.gz'), opts.gz);
  else writeFileSync(join(dir, 'corpus.jsonl'), corpus);
  writeFileSync(join(dir, 'queries.jsonl'), QUERIES.map((q) => JSON.stringify(q)).join('\n') + '\n');
  mkdirSync(join(dir, 'qrels'));
  writeFileSync(join(dir, 'qrels/dev.tsv'), opts.qrels ?? QRELS);
  return dir;
}

const badCorpus = () => DOCS.map((d, i) => (i === 4 ? '{"_id": "curl", "text": ' : JSON.stringify(d))).join('\n') + '\n';

/** The user-error shape: exit 1, no "internal error", no stack, the message on one line. */
function expectUserError(r: { code: number; err: string }, ...parts: string[]): void {
  expect(r.code, r.err).toBe(1);
  expect(r.err).not.toMatch(/internal error|QUARRY_DEBUG|\n\s+at /);
  const last = r.err.trimEnd().split('\n').at(-1)!;
  for (const p of parts) expect(last).toContain(p);
}

describe('skipped input lines make rank, eval and mine exit non-zero', () => {
  for (const cmd of ['rank', 'eval', 'mine'] as const) {
    it(`quarry ${cmd}`, async () => {
      const dir = beir({ corpus: badCorpus() });
      const extra = cmd === 'eval' ? ['--json'] : ['--out', join(dir, 'out.jsonl')];
      const r = await quarry(dir, cmd, '--data', dir, '--split', 'dev', '--member', 'bm25', ...(cmd === 'mine' ? ['--negatives', '1'] : []), ...extra);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(`${join(dir, 'corpus.jsonl')}:5: invalid JSON`);
      expect(r.err).toMatch(/exit status 1: 1 input problem was reported above and skipped/);
      // the work on the valid rows is still done and written
      if (cmd === 'eval') expect(JSON.parse(r.out).queries).toBe(2);
      else expect(readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
    });
  }
});

describe('a stream that fails while being read', () => {
  it('a truncated corpus.jsonl.gz exits non-zero with one line naming the file', async () => {
    const whole = gzipSync(Buffer.from(DOCS.map((d) => JSON.stringify(d)).join('\n').repeat(1) + '\n'));
    const dir = beir({ gz: whole.subarray(0, Math.floor(whole.length * 0.6)) });
    for (const cmd of ['stats', 'eval'] as const) {
      const r = await quarry(dir, cmd, '--data', dir, ...(cmd === 'eval' ? ['--member', 'bm25', '--json'] : []));
      expect(r.code, r.err).toBe(1);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
      expect(r.err).toContain(join(dir, 'corpus.jsonl.gz'));
    }
  });
});

describe('empty inputs are reported, not passed as success', () => {
  it('stats names an empty corpus and an empty qrels file and exits 1', async () => {
    const dir = beir({ corpus: '', qrels: '' });
    const r = await quarry(dir, 'stats', '--data', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'corpus.jsonl')}: the corpus file is empty: no documents`);
    expect(r.err).toContain(`${join(dir, 'qrels/dev.tsv')}: the qrels file is empty`);
    expect(r.err).not.toContain('not a BEIR');
  });

  it('a qrels file with only its header says so', async () => {
    const dir = beir({ qrels: 'query-id\tcorpus-id\tscore\n' });
    const r = await quarry(dir, 'stats', '--data', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'qrels/dev.tsv')}: the qrels file has a header but no judgement`);
  });
});

describe('--out', () => {
  it('"-" writes to stdout and creates no file named "-"', async () => {
    const dir = beir();
    const r = await quarry(dir, 'mine', '--data', dir, '--split', 'dev', '--member', 'bm25', '--negatives', '1', '--out', '-');
    expect(r.code, r.err).toBe(0);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0])).toEqual(['anchor', 'positive', 'negative']);
    expect(existsSync(join(dir, '-'))).toBe(false);
    expect(r.err).toContain('wrote 2 rows to stdout');
  });

  it('rank needs no --out: one JSON line per query on stdout', async () => {
    const dir = beir();
    const r = await quarry(dir, 'rank', '--data', dir, '--member', 'bm25', '--top', '2');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.query_id)).toEqual(['q1', 'q2']);
    expect(lines[0].hits[0][0]).toBe('apt');
  });

  it('an existing folder as --out fails before any work', async () => {
    const dir = beir();
    const r = await quarry(dir, 'rank', '--data', dir, '--member', 'bm25', '--out', dir);
    expectUserError(r, `${dir}: is a folder; --out needs a file name`);
    expect(r.err).not.toContain('indexing');
  });

  it('an unwritable --out fails at once, before loading anything, and leaves no temporary file', async () => {
    const dir = beir();
    const r = await quarry(dir, 'mine', '--data', dir, '--member', 'bm25', '--out', '/sys/kernel/quarry-train.jsonl');
    expectUserError(r, '/sys/kernel/quarry-train.jsonl: permission denied (EACCES)');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a path under /proc fails in seconds instead of hanging (real process)', () => {
    const dir = beir();
    const p = spawnSync(process.execPath, [join(REPO, 'bin/quarry.mjs'), 'rank', '--data', dir, '--member', 'bm25', '--out', '/proc/1/quarry/ranks.jsonl'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(p.signal, 'killed by the timeout: the command hung').toBeNull();
    expect(p.status).toBe(1);
    expect(p.stderr).toBe('quarry rank: cannot write --out /proc/1/quarry/ranks.jsonl: no such file or folder (ENOENT)\n');
  }, TIMEOUT);

  it('a failed run leaves neither the output nor its temporary file', async () => {
    const dir = beir();
    const out = join(dir, 'res', 'ranks.jsonl');
    const r = await quarry(dir, 'rank', '--data', dir, '--member', 'bm25', '--split', 'test', '--out', out);
    expect(r.code).toBe(1);
    expect(readdirSync(join(dir, 'res'))).toEqual([]);
  });
});

describe('version', () => {
  it('quarry version, -V and --version print the package version', async () => {
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
    for (const arg of ['version', '-V', '--version']) {
      const r = await quarry(REPO, arg);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`quarry ${version}\n`);
    }
  });
});

describe('model folders', () => {
  /** A copy of pkgs-static's small files with `change` applied. */
  function modelCopy(change: (dir: string) => void): string {
    const dir = join(temp(), 'model');
    mkdirSync(join(dir, 'onnx'), { recursive: true });
    for (const f of readdirSync(STATIC)) if (f.endsWith('.json') || f.endsWith('.txt')) copyFileSync(join(STATIC, f), join(dir, f));
    writeFileSync(join(dir, 'onnx/model.onnx'), readFileSync(join(STATIC, 'onnx/model.onnx')));
    change(dir);
    return dir;
  }

  it('a folder that is no model folder', async () => {
    const dir = beir();
    const r = await quarry(dir, 'eval', '--data', dir, '--member', `dense:${join(dir, 'qrels')}`);
    expectUserError(r, `${join(dir, 'qrels')} has no onnx/model.onnx`);
  });

  it('a config.json that is not JSON is named', async () => {
    const dir = beir();
    const model = modelCopy((m) => writeFileSync(join(m, 'config.json'), '{"model_type": "bert",'));
    const r = await quarry(dir, 'eval', '--data', dir, '--member', `dense:${model}`);
    expectUserError(r, `${join(model, 'config.json')}: not valid JSON`);
  });

  it('corrupt ONNX weights are named, as the cross-encoder of mine too', async () => {
    const dir = beir();
    const model = modelCopy((m) => writeFileSync(join(m, 'onnx/model.onnx'), Buffer.from('this is not a protobuf'.repeat(50))));
    const r = await quarry(dir, 'eval', '--data', dir, '--member', `dense:${model}`);
    expectUserError(r, `${join(model, 'onnx/model.onnx')}: cannot load the model`);
    const m = await quarry(dir, 'mine', '--data', dir, '--split', 'dev', '--member', 'bm25', '--reranker', model, '--out', join(dir, 'x.jsonl'));
    expectUserError(m, `${join(model, 'onnx/model.onnx')}: cannot load the model`);
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
  }, TIMEOUT);

  it('a --cache path that is a file (EEXIST) is named', async () => {
    const dir = beir();
    writeFileSync(join(dir, 'cache'), '');
    const r = await quarry(dir, 'eval', '--data', dir, '--member', `dense:${STATIC}`, '--cache', join(dir, 'cache'));
    expectUserError(r, `--cache ${join(dir, 'cache')}: exists and is not a folder`);
  }, TIMEOUT);
});

describe('system errors in words', () => {
  it('EPERM, EEXIST and EACCES name the path and the problem', () => {
    const err = (code: string, path: string) => Object.assign(new Error(`${code}: x, open '${path}'`), { code, syscall: 'open', path });
    expect(describeSystemError(err('EPERM', '/a/b'))).toBe('/a/b: operation not permitted (EPERM)');
    expect(describeSystemError(err('EEXIST', '/a/c'))).toBe('/a/c: already exists (EEXIST)');
    expect(describeSystemError(err('EACCES', '/a/d'), '/out')).toBe('/out: permission denied (EACCES)');
  });
});

describe('terminal control bytes from input files', () => {
  it('are escaped in every message, never echoed raw', async () => {
    const evil = '\u001b[2J\u001b]0;pwned\u0007x\u202Egnp.exe';
    const corpus = [...DOCS, { _id: evil, text: 'a' }, { _id: evil, text: 'b' }].map((d) => JSON.stringify(d)).join('\n') + '\n';
    const dir = beir({ corpus });
    const r = await quarry(dir, 'stats', '--data', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'corpus.jsonl')}:7: duplicate _id "\\x1b[2J\\x1b]0;pwned\\x07x\\u{202E}gnp.exe" (first on line 6)`);
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
