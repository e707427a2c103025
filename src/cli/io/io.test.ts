import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../args.ts';
import { beirFolder, loadBeirFolder, reportIssues } from './beir.ts';
import { openOutput } from './output.ts';
import { exportTrainingSet } from '../../core/formats/export/index.ts';
import { importTrainingFile } from '../../core/formats/pairs.ts';
import { nodeGunzip, openChunks } from './open.ts';

// Temp folders made by these tests, removed at the end.
const made: string[] = [];
const track = (dir: string): string => (made.push(dir), dir);
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function beir(): string {
  const dir = track(mkdtempSync(join(tmpdir(), 'quarry-io-')));
  writeFileSync(join(dir, 'corpus.jsonl.gz'), gzipSync('{"_id":"d1","title":"T","text":"one"}\n{"_id":"d2","text":"two"}\n'));
  writeFileSync(join(dir, 'queries.jsonl'), '{"_id":"q1","text":"first"}\n{"_id":"q2","text":"second"}\n');
  mkdirSync(join(dir, 'qrels'));
  writeFileSync(join(dir, 'qrels/dev.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td9\t1\n');
  writeFileSync(join(dir, 'qrels/train.tsv.gz'), gzipSync('query-id\tcorpus-id\tscore\nq2\td2\t2\n'));
  return dir;
}

describe('BEIR folder loading', () => {
  it('finds plain and gzipped files and every split', async () => {
    const dir = beir();
    const src = beirFolder(dir);
    expect(src.corpus.name).toBe('corpus.jsonl.gz');
    expect(Object.keys(src.qrels)).toEqual(['dev', 'train']);
    const data = await loadBeirFolder(dir);
    expect(data.docs).toEqual([
      { id: 'd1', title: 'T', text: 'one' },
      { id: 'd2', title: '', text: 'two' },
    ]);
    expect(data.qrels.train).toEqual([{ queryId: 'q2', docId: 'd2', score: 2 }]);
    expect(data.issues).toEqual([{ file: 'qrels/dev.tsv', line: 3, reason: 'unknown document "d9" (not in corpus)' }]);
    let err = '';
    expect(reportIssues({ stderr: (t) => void (err += t) }, dir, data.issues)).toBe(1);
    expect(err).toBe(`${join(dir, 'qrels/dev.tsv')}:3: unknown document "d9" (not in corpus)\n1 bad line skipped; the valid rows were used; exit status 1\n`);
  });

  it('names a missing split or file as a user error', async () => {
    const dir = beir();
    await expect(loadBeirFolder(dir, { splits: ['test'] })).rejects.toThrow(
      new UserError(`${dir}: no qrels for split "test" (expected qrels/test.tsv; found dev, train)`),
    );
    expect(() => beirFolder(join(dir, 'qrels'))).toThrow(/not a BEIR folder: no corpus.jsonl \(or corpus.jsonl.gz\)/);
  });
});

describe('openOutput', () => {
  const write = (path: string, data: string | Uint8Array) => {
    const out = openOutput(path, { stdout: () => {}, stderr: () => {}, cwd: '/' });
    out.write(data);
    out.commit();
  };
  it('writes text and Parquet bytes into a new folder; the JSONL reads back', async () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'quarry-out-')));
    const ex = [{ queryId: 'q', query: 'q?', positives: [{ id: 'p', text: 'P' }], negatives: [{ id: 'n', text: 'N' }] }];
    const path = join(dir, 'sub/out.jsonl');
    write(path, exportTrainingSet(ex, 'flag', { withIds: true }).data);
    const back = await importTrainingFile(openChunks(path), { file: path, format: 'jsonl', decompress: nodeGunzip });
    expect(back.candidates).toEqual([{ queryId: 'q', docId: 'n' }]);
    const pq = join(dir, 'out.parquet');
    write(pq, exportTrainingSet(ex, 'parquet').data);
    expect(readFileSync(pq).subarray(0, 4).toString()).toBe('PAR1');
  });
});
