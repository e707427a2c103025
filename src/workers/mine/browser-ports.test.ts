// Which weights the app asks for when a spec names a model of the Models list: a dtype the
// spec writes wins; a spec without one takes the model's own dtype (the bundled folders hold
// only q8 weights, so asking for fp32 there is a 404 on onnx/model.onnx).
import { describe, expect, it } from 'vitest';
import { parseMemberSpec, parseRerankerSpec, type DenseSpec } from '../../core/spec/member-spec';
import { BUNDLED_FALLBACK } from './bundled';
import { denseModelRef, rerankerModelRef } from './browser-ports';

const rerank = BUNDLED_FALLBACK.find((m) => m.id === 'pkgs-rerank')!;
const minilm = BUNDLED_FALLBACK.find((m) => m.id === 'pkgs-minilm')!;

describe('model refs from specs', () => {
  it('a reranker named without a dtype loads the weights the bundled folder ships (q8)', () => {
    expect(rerankerModelRef(rerank, parseRerankerSpec('pkgs-rerank')).settings.dtype).toBe('q8');
  });

  it('a dtype the reranker spec writes wins over the model record', () => {
    expect(rerankerModelRef(rerank, parseRerankerSpec('pkgs-rerank:dtype=fp32')).settings.dtype).toBe('fp32');
  });

  it('a dense member without a dtype takes the record’s dtype too', () => {
    expect(denseModelRef(minilm, parseMemberSpec('dense:pkgs-minilm') as DenseSpec).settings.dtype).toBe('q8');
    expect(denseModelRef(minilm, parseMemberSpec('dense:pkgs-minilm:dtype=fp32') as DenseSpec).settings.dtype).toBe('fp32');
  });
});
