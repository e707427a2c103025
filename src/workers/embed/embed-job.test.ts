import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { TextEmbedder, TextRole } from '../../core/models';
import { QuarryDB } from '../../db/db';
import { readVectors, storedSummary } from './block-store';
import { runEmbedJob, type EmbedItem, type JobProgress } from './embed-job';
import { modelKey } from './model-key';

/** A fake model whose vector is computable by hand: [length, role flag, first char code]. */
class CountingEmbedder implements TextEmbedder {
  readonly key = 'fake';
  readonly dim = 3;
  calls: Array<{ texts: string[]; role: TextRole }> = [];
  async embed(texts: string[], role: TextRole): Promise<Float32Array> {
    this.calls.push({ texts, role });
    return Float32Array.from(texts.flatMap((t) => [t.length, role === 'query' ? 1 : 0, t.charCodeAt(0)]));
  }
  get embeddedCount() {
    return this.calls.reduce((n, c) => n + c.texts.length, 0);
  }
}

const items: EmbedItem[] = [
  ...Array.from({ length: 23 }, (_, i) => ({ id: `d:${i}`, text: 'x'.repeat(i + 1), role: 'document' as const })),
  { id: 'q:a', text: 'alpha', role: 'query' },
  { id: 'q:b', text: 'be', role: 'query' },
];

let dbs: QuarryDB[] = [];
const freshDb = () => {
  const db = new QuarryDB(`embed-job-${Math.random()}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs) await db.delete();
  dbs = [];
});

describe('runEmbedJob', () => {
  it('stores every item once in blocks, with the vectors the model returned', async () => {
    const db = freshDb();
    const model = new CountingEmbedder();
    const progress: JobProgress[] = [];
    const r = await runEmbedJob(db, model, [...items, items[0]], {
      projectId: 'p',
      modelKey: 'k',
      blockSize: 10,
      batchSize: 4,
      onProgress: (p) => progress.push(p),
    });
    expect(r).toMatchObject({ status: 'done', embedded: 25, skipped: 0, blocksWritten: 3, dim: 3 });
    // Queries and documents never share a model call; documents come longest first.
    expect(model.calls[0]).toEqual({ texts: ['alpha', 'be'], role: 'query' });
    expect(model.calls[1].texts.map((t) => t.length)).toEqual([23, 22, 21, 20]);
    expect(model.calls.every((c) => c.texts.length <= 4)).toBe(true);
    const { ids, vectors } = await readVectors(db, 'p', 'k');
    expect(ids.length).toBe(25);
    const at = (id: string) => Array.from(vectors.subarray(ids.indexOf(id) * 3, ids.indexOf(id) * 3 + 3));
    expect(at('d:4')).toEqual([5, 0, 120]);
    expect(at('q:a')).toEqual([5, 1, 97]);
    expect(await db.embeddings.count()).toBe(3);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ done: 25, total: 25, skipped: 0, blocksWritten: 3, etaS: 0 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('a cancelled job keeps its stored blocks and a rerun embeds only the rest', async () => {
    const db = freshDb();
    const first = new CountingEmbedder();
    let stop = false;
    const r1 = await runEmbedJob(db, first, items, {
      projectId: 'p',
      modelKey: 'k',
      blockSize: 8,
      batchSize: 4,
      isCancelled: () => stop,
      onBlock: () => {
        stop = true; // cancel right after the first block is committed
      },
    });
    expect(r1).toMatchObject({ status: 'cancelled', embedded: 8, blocksWritten: 1 });
    expect((await storedSummary(db, 'p', 'k')).ids.size).toBe(8);

    const second = new CountingEmbedder();
    const r2 = await runEmbedJob(db, second, items, { projectId: 'p', modelKey: 'k', blockSize: 8, batchSize: 4 });
    expect(r2).toMatchObject({ status: 'done', skipped: 8, embedded: 17, blocksWritten: 3 });
    expect(second.embeddedCount).toBe(17);
    const s = await storedSummary(db, 'p', 'k');
    expect(s).toMatchObject({ blocks: 4, nextBlockId: 4 });
    expect(s.ids.size).toBe(25);

    const third = new CountingEmbedder();
    const r3 = await runEmbedJob(db, third, items, { projectId: 'p', modelKey: 'k' });
    expect(r3).toMatchObject({ embedded: 0, skipped: 25, blocksWritten: 0 });
    expect(third.calls).toEqual([]);
  });

  it('keeps projects and model keys apart', async () => {
    const db = freshDb();
    await runEmbedJob(db, new CountingEmbedder(), items.slice(0, 3), { projectId: 'p', modelKey: 'k1' });
    const other = new CountingEmbedder();
    await runEmbedJob(db, other, items.slice(0, 3), { projectId: 'p', modelKey: 'k2' });
    await runEmbedJob(db, other, items.slice(0, 3), { projectId: 'p2', modelKey: 'k1' });
    expect(other.embeddedCount).toBe(6);
  });

  it('takes a corpus larger than a spread can pass as arguments (64k documents overflowed a worker stack)', async () => {
    const db = freshDb();
    const n = 300_000;
    const many: EmbedItem[] = Array.from({ length: n }, (_, i) => ({ id: `d:${i}`, text: 'x'.repeat(1 + (i % 7)), role: 'document' as const }));
    const oneDim: TextEmbedder = { key: 'fake1', dim: 1, embed: async (texts) => Float32Array.from(texts, (t) => t.length), tokenSpans: async () => [] };
    const r = await runEmbedJob(db, oneDim, many, { projectId: 'p', modelKey: 'k', blockSize: 100_000, batchSize: 100_000 });
    expect(r.embedded).toBe(n);
    const stored = await readVectors(db, 'p', 'k');
    expect(stored.ids.length).toBe(n);
    // longest first: the first block starts with 7-character texts
    expect(stored.vectors[0]).toBe(7);
  });

  it('rejects a model that returns the wrong number of floats', async () => {
    const db = freshDb();
    const broken: TextEmbedder = { key: 'b', dim: 4, embed: async (t) => new Float32Array(t.length * 3) };
    await expect(runEmbedJob(db, broken, items, { projectId: 'p', modelKey: 'k' })).rejects.toThrow(
      /embedder returned 6 floats for 2 texts of dim 4/,
    );
  });
});

describe('modelKey', () => {
  const base = {
    source: { type: 'bundled' as const, path: 'pkgs-minilm' },
    settings: { pooling: 'mean' as const, normalize: true, queryPrefix: '', docPrefix: '', maxLength: 256, dtype: 'q8' as const },
  };
  it('is stable, readable, and changes with every vector-changing setting', async () => {
    const k = await modelKey(base);
    expect(k).toMatch(/^pkgs-minilm-[0-9a-f]{16}$/);
    expect(await modelKey({ ...base, settings: { ...base.settings } })).toBe(k);
    const variants = [
      { ...base.settings, dtype: 'fp32' as const },
      { ...base.settings, pooling: 'cls' as const },
      { ...base.settings, normalize: false },
      { ...base.settings, queryPrefix: 'query: ' },
      { ...base.settings, docPrefix: 'passage: ' },
      { ...base.settings, maxLength: 128 },
    ];
    const keys = await Promise.all(variants.map((settings) => modelKey({ ...base, settings })));
    expect(new Set([k, ...keys]).size).toBe(7);
    expect(await modelKey({ ...base, source: { type: 'hub', hubId: 'Xenova/pkgs-minilm' } })).not.toBe(k);
  });
});

describe('seedBundledModels', () => {
  it('adds the three demo models once and keeps edited settings', async () => {
    const { seedBundledModels } = await import('./bundled-models');
    const db = freshDb();
    expect(await seedBundledModels(db)).toBe(3);
    const minilm = await db.models.get('pkgs-minilm');
    expect(minilm).toMatchObject({ kind: 'bi-encoder', source: { type: 'bundled', path: 'pkgs-minilm' }, settings: { dtype: 'q8', maxLength: 256 } });
    expect((await db.models.get('pkgs-rerank'))?.settings.maxLength).toBe(192);
    await db.models.update('pkgs-minilm', { settings: { ...minilm!.settings, queryPrefix: 'query: ' } });
    expect(await seedBundledModels(db)).toBe(0);
    expect((await db.models.get('pkgs-minilm'))?.settings.queryPrefix).toBe('query: ');
  });
});
