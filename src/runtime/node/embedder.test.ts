// Behaviour of the transformers.js embedder on a real (fast) model: ids equal the tokenizer's
// own when nothing is cut, the graph gets only the inputs it declares, vectors are unit
// length and independent of batch company and order (fp32), and token spans map back to text.
import { resolve } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder, type TransformersEmbedder } from '../embedder';
import { localModelSource, nodeSessionOptions } from './local-model';

const SHARED = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
const STATIC = resolve(SHARED, 'models/pkgs-static');
let e: TransformersEmbedder;

beforeAll(async () => {
  e = await loadEmbedder(localModelSource(STATIC, 'fp32'), { dtype: 'fp32', sessionOptions: nodeSessionOptions(), batchSize: 4 });
}, 120_000);
afterAll(async () => e?.dispose());

describe('loadEmbedder (pkgs-static, fp32)', () => {
  it('feeds only the declared inputs and reports the output size', () => {
    expect(e.inputNames).toEqual(['input_ids']);
    expect(e.dim).toBe(256);
    expect(e.key).toMatch(/^pkgs-static@[0-9a-f]{12}\|fp32\|mean\|d256\|q32\|/);
  });

  it('builds the same ids as the tokenizer with specials when nothing is truncated', async () => {
    env.localModelPath = resolve(SHARED, 'models') + '/';
    const tok = await AutoTokenizer.from_pretrained('pkgs-static');
    const text = 'vim: Vi IMproved - enhanced vi editor (with Python3 support)';
    expect(e.encode([text], 'document')[0].inputIds).toEqual(tok.encode(text));
  });

  it('returns unit vectors that do not depend on batch company or order', async () => {
    const texts = ['a', 'text editor for the terminal', 'Library for parsing JSON '.repeat(20), 'x y z', 'GNU C compiler'];
    const all = await e.embed(texts, 'document');
    const reversed = await e.embed([...texts].reverse(), 'document');
    const alone = await e.embed([texts[2]], 'document');
    const dim = e.dim;
    for (let i = 0; i < texts.length; i++) {
      const row = all.subarray(i * dim, (i + 1) * dim);
      expect(Math.hypot(...row)).toBeCloseTo(1, 5);
      const j = texts.length - 1 - i;
      const other = reversed.subarray(j * dim, (j + 1) * dim);
      for (let k = 0; k < dim; k++) expect(Math.abs(row[k] - other[k])).toBeLessThan(1e-6);
    }
    for (let k = 0; k < dim; k++) expect(Math.abs(all[2 * dim + k] - alone[k])).toBeLessThan(1e-6);
  });

  it('normalize: false keeps the raw pooled vectors (the setting reaches the model output)', async () => {
    const raw = await loadEmbedder(localModelSource(STATIC, 'fp32'), { normalize: false });
    const texts = ['text editor for the terminal', 'GNU C compiler'];
    const unit = await e.embed(texts, 'document');
    const plain = await raw.embed(texts, 'document');
    expect(raw.key).toBe(`${e.key}|raw`);
    const dim = e.dim;
    for (let i = 0; i < texts.length; i++) {
      const row = plain.subarray(i * dim, (i + 1) * dim);
      const norm = Math.hypot(...row);
      expect(Math.abs(norm - 1)).toBeGreaterThan(1e-3);
      for (let k = 0; k < dim; k++) expect(row[k] / norm).toBeCloseTo(unit[i * dim + k], 5);
    }
    await raw.dispose();
  });

  it('applies prefixes and the query length limit', async () => {
    const p = await loadEmbedder(localModelSource(STATIC, 'fp32'), { queryPrefix: 'query: ', queryMaxLen: 8 });
    const [q] = p.encode(['one two three four five six seven eight nine'], 'query');
    const [d] = p.encode(['one two'], 'document');
    expect(q.inputIds).toHaveLength(8);
    expect(q.inputIds.slice(0, 4)).toEqual(e.encode(['query: one'], 'query')[0].inputIds.slice(0, 4));
    expect(d.inputIds).toEqual(e.encode(['one two'], 'document')[0].inputIds);
    expect(p.key).not.toBe(e.key);
    await p.dispose();
  });

  it('gives token spans that cover the text the pieces came from', async () => {
    const text = 'Émacs — the extensible, self-documenting editor (GNU version 29.1)';
    const spans = await e.tokenSpans(text);
    const ids = e.encode([text], 'document')[0].inputIds;
    expect(spans).toHaveLength(ids.length - 2);
    expect(text.slice(...spans[0]).toLowerCase()).toBe('émacs'.slice(0, spans[0][1] - spans[0][0]).toLowerCase());
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    expect(text.slice(...spans[spans.length - 1])).toBe(')');
  });

  it('refuses a folder that is not a model with a clear message', () => {
    expect(() => localModelSource(resolve(SHARED, 'data'), 'fp32')).toThrow(/has no onnx\/model\.onnx/);
    expect(() => localModelSource('/no/such/model', 'q8')).toThrow(/is not a folder.*remote models are disabled/);
  });
});
