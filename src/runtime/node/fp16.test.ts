// fp16 weights in onnxruntime-node: a model_fp16.onnx (half initializers, float16 output)
// loads with dtype fp16, its float16 output is read as float32, and its vectors match fp32's
// to half precision. The CLI picks it when the folder has no fp32 weights.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../embedder';
import { localModelSource } from './local-model';
import { toHalf, writeFp16Copy } from './test-support/fp16-model';

const SHARED = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
const STATIC = resolve(SHARED, 'models/pkgs-static');
const dir = join(mkdtempSync(join(tmpdir(), 'quarry-fp16-')), 'pkgs-static-fp16');
mkdirSync(join(dir, 'onnx'), { recursive: true });
for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) copyFileSync(join(STATIC, f), join(dir, f));
writeFp16Copy(join(STATIC, 'onnx/model.onnx'), join(dir, 'onnx/model_fp16.onnx'));
afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('fp16 weights', () => {
  it('half conversion is IEEE: 1 → 0x3c00, 65504 max, 2^-24 smallest subnormal, rounding to even', () => {
    expect([toHalf(1), toHalf(-2), toHalf(65504), toHalf(1e6), toHalf(2 ** -24), toHalf(1 + 2 ** -11)]).toEqual([0x3c00, 0xc000, 0x7bff, 0x7c00, 0x0001, 0x3c00]);
  });

  it('a model_fp16.onnx loads with dtype fp16 and embeds like fp32 to half precision', async () => {
    expect(statSync(join(dir, 'onnx/model_fp16.onnx')).size).toBeLessThan(statSync(join(STATIC, 'onnx/model.onnx')).size * 0.6);
    const texts = ['text editor for the terminal', 'GNU C compiler', 'Python bindings for Qt 6 Quick 3D module'];
    const fp32 = await loadEmbedder(localModelSource(STATIC, 'fp32'), { dtype: 'fp32' });
    const picked = localModelSource(dir, 'fp32', false);
    expect(picked.dtype).toBe('fp16');
    const fp16 = await loadEmbedder(picked, { dtype: 'fp16' });
    const a = await fp32.embed(texts, 'document');
    const b = await fp16.embed(texts, 'document');
    expect(b).toBeInstanceOf(Float32Array);
    const dim = fp32.dim;
    expect(fp16.dim).toBe(dim);
    for (let i = 0; i < texts.length; i++) {
      let cos = 0;
      for (let k = 0; k < dim; k++) cos += a[i * dim + k] * b[i * dim + k];
      expect(cos).toBeGreaterThan(0.9999);
      expect(cos).toBeLessThan(1.0000001);
    }
    await fp32.dispose();
    await fp16.dispose();
  }, 120_000);
});
