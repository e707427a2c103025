import { mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TextEmbedder, TextRole } from '../../core/models';
import { EmbeddingStore, withEmbeddingCache } from './embedding-cache';
import { UserError } from '../args';

/** A 3-dim embedder whose vectors are computed from the text, counting what it embeds. */
class CountingEmbedder implements TextEmbedder {
  readonly dim = 3;
  calls: string[][] = [];
  failAfter = Infinity;
  constructor(readonly key = 'fake|fp32') {}
  async embed(texts: string[], role: TextRole): Promise<Float32Array> {
    if (this.calls.length >= this.failAfter) throw new Error('interrupted');
    this.calls.push(texts);
    const out = new Float32Array(texts.length * 3);
    texts.forEach((t, i) => out.set([t.length, t.charCodeAt(0) || 0, role === 'query' ? 1 : 2], i * 3));
    return out;
  }
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'quarry-cache-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('withEmbeddingCache', () => {
  it('returns the same vectors and embeds nothing on a second run', async () => {
    const dir = tempDir();
    const texts = ['alpha', 'beta', 'alpha', 'gamma delta'];
    const first = new CountingEmbedder();
    const a = withEmbeddingCache(first, dir, { flushEvery: 2 });
    const v1 = await a.embed(texts, 'document');
    expect(first.calls.flat()).toEqual(['alpha', 'beta', 'gamma delta']); // duplicate embedded once
    expect(Array.from(v1.subarray(6, 9))).toEqual([5, 97, 2]); // third row = 'alpha'
    expect(a.stats).toEqual({ hits: 0, misses: 3 });

    const second = new CountingEmbedder();
    const b = withEmbeddingCache(second, dir);
    const v2 = await b.embed(texts, 'document');
    expect(second.calls).toEqual([]);
    expect(Array.from(v2)).toEqual(Array.from(v1));
    expect(b.stats).toEqual({ hits: 4, misses: 0 });
  });

  it('keys by model key and role', async () => {
    const dir = tempDir();
    await withEmbeddingCache(new CountingEmbedder('m1'), dir).embed(['x'], 'document');
    const otherModel = new CountingEmbedder('m2');
    await withEmbeddingCache(otherModel, dir).embed(['x'], 'document');
    expect(otherModel.calls).toEqual([['x']]);
    const otherRole = new CountingEmbedder('m1');
    const q = await withEmbeddingCache(otherRole, dir).embed(['x'], 'query');
    expect(otherRole.calls).toEqual([['x']]);
    expect(q[2]).toBe(1);
  });

  it('keeps finished shards when a run is interrupted, and only embeds the rest next time', async () => {
    const dir = tempDir();
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const broken = new CountingEmbedder();
    broken.failAfter = 2; // the third slice throws
    await expect(withEmbeddingCache(broken, dir, { flushEvery: 2 }).embed(texts, 'document')).rejects.toThrow('interrupted');
    const resumed = new CountingEmbedder();
    const v = await withEmbeddingCache(resumed, dir, { flushEvery: 2 }).embed(texts, 'document');
    expect(resumed.calls).toEqual([['eeeee']]);
    expect(Array.from(v.subarray(12, 15))).toEqual([5, 101, 2]);
  });

  it('ignores a damaged shard and a leftover temp file, with a warning', async () => {
    const dir = tempDir();
    await withEmbeddingCache(new CountingEmbedder(), dir).embed(['one', 'two'], 'document');
    const sub = readdirSync(dir)[0];
    const roleDir = join(dir, sub, 'document');
    const shard = readdirSync(roleDir).find((f) => f.endsWith('.f32bin'))!;
    appendFileSync(join(roleDir, shard), Buffer.from([1, 2, 3]));
    writeFileSync(join(roleDir, 'x.f32bin.123.tmp'), 'partial');
    const warnings: string[] = [];
    const again = new CountingEmbedder();
    const v = await withEmbeddingCache(again, dir, { onWarning: (w) => warnings.push(w) }).embed(['one', 'two'], 'document');
    expect(again.calls).toEqual([['one', 'two']]);
    expect(Array.from(v.subarray(0, 3))).toEqual([3, 111, 2]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/does not match 2 vectors of dim 3; ignored/);
  });

  it('refuses a folder written for another dim', () => {
    const dir = tempDir();
    EmbeddingStore.open(dir, 'k', 'document', 3);
    expect(() => EmbeddingStore.open(dir, 'k', 'document', 4)).toThrow(/cache belongs to k \(document, dim 3\)/);
  });
});

describe('a damaged cache', () => {
  it('a meta.json that is not JSON is rewritten with a warning and blocks no later run', async () => {
    const dir = tempDir();
    const texts = ['alpha', 'beta'];
    const first = new CountingEmbedder();
    await withEmbeddingCache(first, dir).embed(texts, 'document');
    const [keyDir] = readdirSync(dir);
    const meta = join(dir, keyDir, 'document', 'meta.json');
    writeFileSync(meta, '{"key": "fake|fp32", "ro'); // cut mid-write
    const warnings: string[] = [];
    const again = new CountingEmbedder();
    const v = await withEmbeddingCache(again, dir, { onWarning: (w) => warnings.push(w) }).embed(texts, 'document');
    expect(warnings).toEqual([`${meta}: not valid JSON; rewritten (shards that pass their own checks are kept)`]);
    expect(again.calls).toEqual([]); // the shards were still good
    expect(Array.from(v.subarray(0, 3))).toEqual([5, 'a'.charCodeAt(0), 2]);
    // and the next run sees a valid meta.json again
    const third: string[] = [];
    await withEmbeddingCache(new CountingEmbedder(), dir, { onWarning: (w) => third.push(w) }).embed(texts, 'document');
    expect(third).toEqual([]);
  });

  it('a --cache path that is a file is a user error naming it', () => {
    const dir = tempDir();
    const file = join(dir, 'cache');
    writeFileSync(file, 'x');
    expect(() => EmbeddingStore.open(file, 'k', 'document', 3)).toThrow(new UserError(`--cache ${file}: exists and is not a folder`));
  });
});
