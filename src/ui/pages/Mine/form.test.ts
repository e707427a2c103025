import { describe, expect, it } from 'vitest';
import { BUNDLED_FALLBACK } from '../../../workers/mine/bundled';
import { demoConfig, demoConfigJa, describeConfig, validateConfig } from '../../../workers/mine/config';
import { defaultScoreSource } from '../../../core/mining/score-source';
import { parseMemberSpec, parseRerankerSpec } from '../../../core/spec/member-spec';
import { defaultForm, formToConfig, simansHint, withLastRunMembers } from './form';

const models = [...BUNDLED_FALLBACK];

describe('Mine form → MiningConfig', () => {
  it('writes every vector-changing setting into the member specs, as the CLI reads them', () => {
    const f = defaultForm(models, ['train', 'dev']);
    f.dense['pkgs-minilm'] = { on: true, weight: 2, dtype: 'fp32' };
    f.strategy = 'margin';
    f.strategyParam = '0.1';
    f.range = '5:40';
    f.denoise = 'abs';
    f.denoiseValue = '0.9';
    f.denoiseAction = 'drop';
    const c = formToConfig(f, models);
    expect(c.split).toBe('dev');
    expect(c.members).toEqual([
      { spec: 'dense:pkgs-minilm:dtype=fp32:pooling=mean:max_len=256', name: 'pkgs-minilm', weight: 2 },
      { spec: 'bm25:k1=0.9:b=0.4:tokenizer=auto', name: 'bm25', weight: 1 },
    ]);
    expect(parseMemberSpec(c.members[0].spec)).toMatchObject({ kind: 'dense', model: 'pkgs-minilm', dtype: 'fp32', maxLen: 256, pooling: 'mean' });
    expect(c.strategy).toBe('margin:0.1');
    expect(c.range).toEqual([5, 40]);
    expect(c.depth).toBe(100);
    expect(c.reranker).toBe('pkgs-rerank:dtype=q8');
    expect(parseRerankerSpec(c.reranker!)).toMatchObject({ model: 'pkgs-rerank', dtype: 'q8', maxLen: 192 });
    expect(c.denoise).toBe('abs:0.9:drop');
    expect(validateConfig(c)).toEqual([]);
  });

  it('an asymmetric member: the query model goes into the spec as query_model, the name says both', () => {
    const f = defaultForm(models, ['dev']);
    f.dense['pkgs-static'] = { on: true, weight: 1, dtype: 'q8', queryModel: 'pkgs-minilm' };
    const c = formToConfig(f, models);
    expect(c.members[0]).toEqual({ spec: 'dense:pkgs-static:dtype=q8:pooling=mean:max_len=256:query_model=pkgs-minilm', name: 'pkgs-static(q:pkgs-minilm)', weight: 1 });
    expect(parseMemberSpec(c.members[0].spec)).toMatchObject({ model: 'pkgs-static', queryModel: 'pkgs-minilm', name: 'pkgs-static(q:pkgs-minilm)' });
    expect(validateConfig(c)).toEqual([]);
    // The same model as its own query model is the plain member.
    f.dense['pkgs-static'] = { on: true, weight: 1, dtype: 'q8', queryModel: 'pkgs-static' };
    expect(formToConfig(f, models).members[0]).toMatchObject({ spec: 'dense:pkgs-static:dtype=q8:pooling=mean:max_len=256', name: 'pkgs-static' });
  });

  it('stores the score source: the first dense member by default (as quarry mine), fused only without one, or the choice', () => {
    const f = defaultForm(models, ['dev']);
    expect(formToConfig(f, models).scoreSource).toBe('fused'); // BM25 only
    expect(describeConfig(formToConfig(f, models))).toContain('percpos:0.95 on fused soft-z score (no dense member)');
    f.dense['pkgs-static'] = { on: true, weight: 1, dtype: 'q8' };
    f.dense['pkgs-minilm'] = { on: true, weight: 1, dtype: 'q8' };
    const c = formToConfig(f, models);
    expect(c.scoreSource).toBe(defaultScoreSource(c.members.map((m) => ({ name: m.name, dense: m.spec.startsWith('dense:') }))));
    expect(c.scoreSource).toBe(c.members[0].name);
    expect(describeConfig(c)).toContain(`on ${c.members[0].name} cosine`);
    expect(formToConfig({ ...f, scoreSource: 'bm25' }, models).scoreSource).toBe('bm25');
    expect(validateConfig({ ...c, scoreSource: 'nope' }).join()).toContain('score source "nope" is not a member');
    expect(demoConfig().scoreSource).toBe('pkgs-minilm');
    // runs stored before the field existed compared fused scores, and say so
    expect(describeConfig({ ...c, scoreSource: undefined })).toContain('on fused soft-z score');
  });

  it('names the rank-range semantics, the sampling and padding in the config', () => {
    const f = defaultForm(models, ['dev']);
    expect([f.rangeSemantics, f.sampling, f.pad]).toEqual(['window', 'top', false]);
    const plain = formToConfig(f, models);
    expect([plain.rangeSemantics, plain.sampling, plain.pad]).toEqual(['window', 'top', undefined]);
    f.rangeSemantics = 'st';
    f.range = '5:40';
    f.sampling = 'random';
    f.pad = true;
    const c = formToConfig(f, models);
    expect([c.range, c.rangeSemantics, c.sampling, c.pad]).toEqual([[5, 40], 'st', 'random', true]);
    expect(describeConfig(c)).toContain('ranks st:5:40');
    expect(describeConfig(c)).toContain('random sampling · padded');
  });

  it('shows what the SimANS defaults do on the cosine scale', () => {
    const { weights, profile } = simansHint();
    // exp(−100·0.05²) = e^−0.25, exp(−100·0.1²) = e^−1, exp(−100·0.2²) = e^−4
    expect(weights.map(([, w]) => w)).toEqual([Math.exp(-0.25), Math.exp(-1), Math.exp(-4)].map((x) => expect.closeTo(x, 12)));
    expect(profile.uniformTopMass).toBeCloseTo(0.1, 12);
    expect(profile.topMass).toBeGreaterThan(0.3);
    // with the old a = 1 the same pool is sampled almost uniformly
    expect(simansHint(1, 0).profile.topMass).toBeLessThan(0.11);
  });

  it('reports what is wrong instead of starting', () => {
    const f = defaultForm(models, ['dev']);
    f.bm25.on = false;
    expect(validateConfig(formToConfig(f, models))).toContain('choose at least one member (BM25 or a dense model)');
    f.bm25.on = true;
    f.range = '30:10';
    expect(() => formToConfig(f, models)).toThrow('range "30:10": MAX must be greater than MIN');
    f.range = '0:30';
    f.strategyParam = 'abc';
    expect(() => formToConfig(f, models)).toThrow('strategy percpos: "abc" is not a number');
    f.strategyParam = '0.95';
    f.bm25.weight = 0;
    expect(validateConfig(formToConfig(f, models))).toContain('at least one weight must be above 0');
  });

  it('token-window chunking: tokens:SIZE:OVERLAP, only with a dense model whose tokenizer counts', () => {
    const f = defaultForm(models, ['dev']);
    f.chunk = 'tokens';
    f.chunkTokens = { size: 128, overlap: 32 };
    expect(validateConfig(formToConfig(f, models)).join('\n')).toContain("chunking \"tokens:128:32\" counts tokens of a dense member's tokenizer");
    f.dense['pkgs-static'] = { on: true, weight: 1, dtype: 'q8' };
    expect(formToConfig(f, models).chunk).toBe('tokens:128:32');
    expect(validateConfig(formToConfig(f, models))).toEqual([]);
    f.chunkTokens = { size: 32, overlap: 32 };
    expect(validateConfig(formToConfig(f, models)).join('\n')).toContain('OVERLAP must be smaller than SIZE');
    f.chunk = 'paragraphs';
    expect(formToConfig(f, models).chunk).toBe('paragraphs');
  });

  it('sentence chunking: sentences:MAXCHARS, valid without a dense model', () => {
    const f = defaultForm(models, ['dev']);
    f.chunk = 'sentences';
    expect(formToConfig(f, models).chunk).toBe('sentences:400');
    f.chunkSentenceChars = 120;
    expect(formToConfig(f, models).chunk).toBe('sentences:120');
    expect(validateConfig(formToConfig(f, models))).toEqual([]);
    f.chunkSentenceChars = 0;
    expect(validateConfig(formToConfig(f, models)).join('\n')).toContain('MAXCHARS must be ≥ 1');
  });

  it('the demo config is the one the stakeholder demo promises', () => {
    const c = demoConfig();
    expect(validateConfig(c)).toEqual([]);
    expect(c.members.map((m) => parseMemberSpec(m.spec))).toMatchObject([
      { kind: 'dense', model: 'pkgs-minilm', dtype: 'q8' },
      { kind: 'dense', model: 'pkgs-static', dtype: 'q8' },
      { kind: 'bm25', k1: 0.9, b: 0.4 },
    ]);
    expect([c.fusion, c.strategy, c.range, c.negatives, c.reranker, c.denoise]).toEqual(['soft-z', 'percpos:0.95', [0, 30], 5, 'pkgs-rerank:dtype=q8', 'rel:0.95:flag']);
  });
});

describe('a new run defaults to the last run members', () => {
  it('turns on the members (weights, dtypes) and reranker the last run used, BM25 only if it was one', () => {
    const last = demoConfig('dev');
    const f = withLastRunMembers(defaultForm(models, ['dev']), { ...last, members: last.members.filter((m) => !m.spec.startsWith('bm25')).map((m, i) => ({ ...m, weight: i + 2 })) });
    expect(f.bm25.on).toBe(false);
    expect(f.dense['pkgs-minilm']).toMatchObject({ on: true, weight: 2, dtype: 'q8' });
    expect(f.dense['pkgs-static']).toMatchObject({ on: true, weight: 3 });
    expect(f.reranker).toBe('pkgs-rerank');
    const c = formToConfig(f, models);
    expect(c.members.map((m) => m.name)).toEqual(['pkgs-minilm', 'pkgs-static']);
    // No run yet: the plain default (BM25 alone).
    expect(formToConfig(withLastRunMembers(defaultForm(models, ['dev']), undefined), models).members.map((m) => m.name)).toEqual(['bm25']);
  });
});

describe('what tokenizer=auto chose', () => {
  it('the run line names the resolved tokenizer once the miner stored it', () => {
    const c = demoConfigJa();
    expect(describeConfig(c)).toContain('bm25 (tokenizer auto)');
    expect(describeConfig({ ...c, bm25Tokenizers: { bm25: 'segmenter' } })).toContain('bm25 (tokenizer segmenter, auto)');
  });
});
