import { describe, expect, it } from 'vitest';
import { parseMemberSpec, parseRerankerSpec, SpecError, uniqueMemberNames, modelDisplayName, documentEncoder, queryEncoder, dimMismatch, type DenseSpec } from './member-spec';

describe('parseMemberSpec', () => {
  it('bm25 with defaults and overrides', () => {
    expect(parseMemberSpec('bm25')).toEqual({ kind: 'bm25', name: 'bm25', k1: 0.9, b: 0.4, tokenizer: 'auto' });
    expect(parseMemberSpec('bm25:k1=1.2:b=0.75')).toEqual({ kind: 'bm25', name: 'bm25', k1: 1.2, b: 0.75, tokenizer: 'auto' });
    expect(parseMemberSpec('bm25:b=0')).toMatchObject({ k1: 0.9, b: 0 });
    expect(parseMemberSpec('bm25:tokenizer=cjk-bigram')).toMatchObject({ k1: 0.9, b: 0.4, tokenizer: 'cjk-bigram' });
  });

  it('dense with a relative model folder and defaults from models/README', () => {
    expect(parseMemberSpec('dense:../shared/models/pkgs-minilm')).toEqual({
      kind: 'dense',
      name: 'pkgs-minilm',
      model: '../shared/models/pkgs-minilm',
      dtype: 'fp32',
      pooling: 'mean',
      normalize: true,
      queryPrefix: '',
      docPrefix: '',
      maxLen: 256,
      queryMaxLen: 32,
      given: [],
    });
  });

  it('dense options, prefixes that contain colons and spaces, HF ids', () => {
    const s = parseMemberSpec('dense:intfloat/e5-small-v2:dtype=q8:pooling=cls:query_prefix=query: :doc_prefix=passage: :max_len=512');
    expect(s).toMatchObject({
      name: 'e5-small-v2',
      model: 'intfloat/e5-small-v2',
      dtype: 'q8',
      pooling: 'cls',
      queryPrefix: 'query: ',
      docPrefix: 'passage: ',
      maxLen: 512,
    });
  });

  it('query_model makes an asymmetric member: documents by the model, queries by the query model', () => {
    const s = parseMemberSpec('dense:public/models/pkgs-static:dtype=q8:query_model=public/models/pkgs-minilm:query_max_len=16') as DenseSpec;
    expect(s).toMatchObject({ name: 'pkgs-static(q:pkgs-minilm)', model: 'public/models/pkgs-static', queryModel: 'public/models/pkgs-minilm', dtype: 'q8', queryMaxLen: 16 });
    // The document side is exactly the plain member, so its stored vectors are shared with `dense:pkgs-static`.
    expect(documentEncoder(s)).toEqual(parseMemberSpec('dense:public/models/pkgs-static:dtype=q8:query_max_len=16'));
    expect(queryEncoder(s)).toMatchObject({ name: 'pkgs-minilm', model: 'public/models/pkgs-minilm', dtype: 'q8', queryMaxLen: 16 });
    expect(queryEncoder(s).queryModel).toBeUndefined();
    const plain = parseMemberSpec('dense:m') as DenseSpec;
    expect(documentEncoder(plain)).toBe(plain);
    expect(queryEncoder(plain)).toBe(plain);
    expect(() => parseMemberSpec('dense:m:query_model=')).toThrow(/query_model needs a model/);
    expect(s.given).toEqual(['dtype', 'query_model', 'query_max_len']);
    expect(dimMismatch(s, 256, 256)).toBeUndefined();
    expect(dimMismatch(s, 256, 384)).toBe(
      'member pkgs-static(q:pkgs-minilm): query model public/models/pkgs-minilm outputs 384-dim vectors, document model public/models/pkgs-static 256-dim: an asymmetric member needs encoders with one vector size',
    );
  });

  it('names a trailing-slash folder by its basename', () => {
    expect(modelDisplayName('/a/b/pkgs-static/')).toBe('pkgs-static');
    expect(parseMemberSpec('dense:/a/b/pkgs-static/').name).toBe('pkgs-static');
  });

  it('rejects unknown keys, bad values and kinds with a clear reason', () => {
    expect(() => parseMemberSpec('bm25:k2=1')).toThrow(/unknown option "k2"/);
    expect(() => parseMemberSpec('bm25:tokenizer=mecab')).toThrow(/tokenizer must be one of auto, latin, cjk-bigram, segmenter/);
    expect(() => parseMemberSpec('bm25:k1=abc')).toThrow(/k1 must be a number/);
    expect(() => parseMemberSpec('bm25:b=1.5')).toThrow(/b must be ≤ 1/);
    expect(() => parseMemberSpec('dense:m:dtype=int4')).toThrow(/dtype must be one of fp32, fp16, q8, q4/);
    expect(() => parseMemberSpec('dense:m:pooling=weightedmean')).toThrow(/pooling must be one of mean, cls, max, lasttoken/);
    expect(() => parseMemberSpec('dense:m:normalize=maybe')).toThrow(/normalize must be true or false/);
    expect(() => parseMemberSpec('dense:m:maxlen=3')).toThrow(/unknown option "maxlen"/);
    expect(() => parseMemberSpec('dense:m:max_len=12.5')).toThrow(/max_len must be an integer/);
    expect(() => parseMemberSpec('dense:')).toThrow(/missing model/);
    expect(() => parseMemberSpec('sparse:x')).toThrow(/unknown member kind "sparse"/);
    expect(() => parseMemberSpec('bm25:k1=1:k1=2')).toThrow(/given twice/);
    expect(() => parseMemberSpec('x')).toThrow(SpecError);
  });
});

describe('parseRerankerSpec', () => {
  it('defaults to 192-token pairs in fp32', () => {
    expect(parseRerankerSpec('../shared/models/pkgs-rerank')).toEqual({
      name: 'pkgs-rerank',
      model: '../shared/models/pkgs-rerank',
      dtype: 'fp32',
      maxLen: 192,
      given: [],
    });
    expect(parseRerankerSpec('m:dtype=q8').given).toEqual(['dtype']);
    expect(parseRerankerSpec('m:dtype=q8:max_len=128')).toMatchObject({ dtype: 'q8', maxLen: 128 });
    expect(() => parseRerankerSpec('m:pooling=cls')).toThrow(/unknown option "pooling"/);
  });
});

describe('uniqueMemberNames', () => {
  it('keeps plain names and disambiguates repeats', () => {
    const specs = ['dense:a/pkgs-minilm', 'dense:a/pkgs-minilm:dtype=q8', 'bm25'].map(parseMemberSpec);
    expect(uniqueMemberNames(specs)).toEqual(['pkgs-minilm[fp32,mean,256]', 'pkgs-minilm[q8,mean,256]', 'bm25']);
    expect(uniqueMemberNames(['bm25', 'bm25'].map(parseMemberSpec))).toEqual(['bm25[k1=0.9,b=0.4]', 'bm25[k1=0.9,b=0.4]#2']);
    expect(uniqueMemberNames(['bm25', 'bm25:tokenizer=segmenter'].map(parseMemberSpec))).toEqual(['bm25[k1=0.9,b=0.4]', 'bm25[k1=0.9,b=0.4,segmenter]']);
  });
});
