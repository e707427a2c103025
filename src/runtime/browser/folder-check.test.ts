import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkModelFolder, checkOutputs, stripRoot } from './folder-check';

const shared = process.env.QUARRY_SHARED ?? '../shared';
const cfg = (m: string) => readFileSync(`${shared}/models/${m}/config.json`, 'utf8');
const tok = readFileSync(`${shared}/models/pkgs-minilm/tokenizer.json`, 'utf8');
const full = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];

describe('checkModelFolder', () => {
  it('accepts the shared demo models and tells bi-encoder from cross-encoder', () => {
    const bi = checkModelFolder(full.map((p) => `pkgs-minilm/${p}`), { config: cfg('pkgs-minilm'), tokenizer: tok });
    expect(bi).toMatchObject({ ok: true, problems: [], dtypes: ['fp32', 'q8'], kind: 'bi-encoder', modelType: 'bert', root: 'pkgs-minilm' });
    const ce = checkModelFolder(full, { config: cfg('pkgs-rerank'), tokenizer: tok });
    expect(ce).toMatchObject({ ok: true, kind: 'cross-encoder', root: '' });
  });

  it('names each missing file', () => {
    const r = checkModelFolder(['m/config.json', 'm/vocab.txt', 'm/model.onnx'], { config: cfg('pkgs-static') });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'no tokenizer.json (vocab.txt alone is not enough: transformers.js needs the fast-tokenizer file tokenizer.json)',
      'no tokenizer_config.json (special tokens, lower-casing)',
      'ONNX files found (model.onnx) but none where transformers.js looks: onnx/model.onnx (fp32), onnx/model_quantized.onnx (q8) or onnx/model_fp16.onnx (fp16)',
    ]);
    const none = checkModelFolder(['config.json', 'tokenizer.json', 'tokenizer_config.json'], {});
    expect(none.problems).toEqual(['no ONNX file: expected onnx/model.onnx (fp32) or onnx/model_quantized.onnx (q8)']);
    const noCfg = checkModelFolder(['tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'], {});
    expect(noCfg.problems).toEqual(['no config.json at the top of the folder (the model configuration)']);
  });

  it('reports broken JSON and a missing dtype', () => {
    const r = checkModelFolder(full, { config: '{"model_type": ', tokenizer: '{"version":"1.0"}' }, { dtype: 'fp16' });
    expect(r.problems[0]).toMatch(/^config.json is not valid JSON/);
    expect(r.problems[1]).toBe('tokenizer.json has no "model" section');
    expect(r.problems[2]).toBe('dtype fp16 needs onnx/model_fp16.onnx; this folder has fp32, q8');
  });

  it('strips only a shared top folder', () => {
    expect(stripRoot(['a/x', 'a/onnx/y'])).toEqual({ root: 'a', rel: ['x', 'onnx/y'] });
    expect(stripRoot(['onnx/a.onnx', 'onnx/b.onnx'])).toEqual({ root: '', rel: ['onnx/a.onnx', 'onnx/b.onnx'] });
    expect(stripRoot(['a/x', 'b/y'])).toEqual({ root: '', rel: ['a/x', 'b/y'] });
  });
});

describe('checkOutputs', () => {
  it('needs last_hidden_state for bi-encoders and logits for cross-encoders', () => {
    expect(checkOutputs('bi-encoder', ['last_hidden_state'])).toBeNull();
    expect(checkOutputs('cross-encoder', ['logits'])).toBeNull();
    expect(checkOutputs('bi-encoder', ['sentence_embedding', 'token_embeddings'])).toBe(
      'the ONNX graph\'s outputs are "sentence_embedding", "token_embeddings"; a bi-encoder needs "last_hidden_state"',
    );
  });
});
