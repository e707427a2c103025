import { describe, expect, it } from 'vitest';
import { parseMemberSpec, type DenseSpec } from './member-spec';
import { applyFolderSettings, poolingConfigPath, readStFolder, readStMetadata } from './st-metadata';

// modules.json as sentence-transformers writes it for BAAI/bge-small-en-v1.5.
const BGE_MODULES = JSON.stringify([
  { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
  { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
]);
const pooling = (mode: string) =>
  JSON.stringify({
    word_embedding_dimension: 384,
    pooling_mode_cls_token: mode === 'cls',
    pooling_mode_mean_tokens: mode === 'mean',
    pooling_mode_max_tokens: mode === 'max',
    pooling_mode_mean_sqrt_len_tokens: false,
    pooling_mode_weightedmean_tokens: false,
    pooling_mode_lasttoken: mode === 'lasttoken',
    include_prompt: true,
  });

describe('readStMetadata', () => {
  it('reads CLS pooling, the Normalize module and query/document prompts, naming each file', () => {
    const s = readStMetadata({
      'modules.json': BGE_MODULES,
      '1_Pooling/config.json': pooling('cls'),
      'config_sentence_transformers.json': JSON.stringify({ prompts: { query: 'Represent this sentence for searching relevant passages: ', document: '' }, default_prompt_name: null }),
    });
    expect(s.pooling).toEqual({ value: 'cls', from: '1_Pooling/config.json' });
    expect(s.normalize).toEqual({ value: true, from: 'modules.json (Normalize module)' });
    expect(s.queryPrefix?.value).toBe('Represent this sentence for searching relevant passages: ');
    expect(s.docPrefix?.value).toBe('');
    expect(s.problems).toEqual([]);
  });

  it('maps every supported pooling flag and reports the ones Quarry cannot do', () => {
    for (const mode of ['mean', 'max', 'lasttoken', 'cls'] as const) {
      expect(readStMetadata({ '1_Pooling/config.json': pooling(mode) }).pooling?.value).toBe(mode);
    }
    const sqrt = readStMetadata({ '1_Pooling/config.json': JSON.stringify({ pooling_mode_mean_sqrt_len_tokens: true }) });
    expect(sqrt.pooling).toBeUndefined();
    expect(sqrt.problems[0]).toMatch(/mean_sqrt_len_tokens is not supported/);
  });

  it('E5-style prompts by name, and default_prompt_name for both sides', () => {
    const e5 = readStMetadata({ 'config_sentence_transformers.json': JSON.stringify({ prompts: { query: 'query: ', passage: 'passage: ' } }) });
    expect([e5.queryPrefix?.value, e5.docPrefix?.value]).toEqual(['query: ', 'passage: ']);
    const def = readStMetadata({ 'config_sentence_transformers.json': JSON.stringify({ prompts: { retrieval: 'Retrieve: ' }, default_prompt_name: 'retrieval' }) });
    expect([def.queryPrefix?.value, def.docPrefix?.value]).toEqual(['Retrieve: ', 'Retrieve: ']);
  });

  it('no Normalize module: cosine (the default) still normalises; similarity dot does not', () => {
    const modules = JSON.stringify([{ path: '', type: 'sentence_transformers.models.Transformer' }, { path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }]);
    expect(readStMetadata({ 'modules.json': modules }).normalize?.value).toBe(true);
    const dot = readStMetadata({ 'modules.json': modules, 'config_sentence_transformers.json': JSON.stringify({ similarity_fn_name: 'dot' }) });
    expect(dot.normalize).toEqual({ value: false, from: 'config_sentence_transformers.json similarity_fn_name dot' });
    expect(dot.problems).toContain('modules.json lists a Pooling module but 1_Pooling/config.json is missing');
  });

  it('a folder without sentence-transformers files gives nothing; broken JSON is a problem, not a crash', () => {
    expect(readStMetadata({})).toEqual({ problems: [] });
    expect(readStMetadata({ 'modules.json': '[' }).problems[0]).toMatch(/^modules.json: not valid JSON/);
  });

  it('follows the Pooling path modules.json names', () => {
    const modules = JSON.stringify([{ path: 'pool', type: 'sentence_transformers.models.Pooling' }]);
    expect(poolingConfigPath(modules)).toBe('pool/config.json');
    const read = (rel: string) => ({ 'modules.json': modules, 'pool/config.json': pooling('cls') } as Record<string, string>)[rel];
    expect(readStFolder(read).pooling).toEqual({ value: 'cls', from: 'pool/config.json' });
  });
});

describe('applyFolderSettings', () => {
  const folder = readStMetadata({
    'modules.json': BGE_MODULES,
    '1_Pooling/config.json': pooling('cls'),
    'config_sentence_transformers.json': JSON.stringify({ prompts: { query: 'q: ', document: 'd: ' } }),
  });

  it('fills what the spec did not write, with a note naming the file', () => {
    const { spec, notes } = applyFolderSettings(parseMemberSpec('dense:m') as DenseSpec, folder);
    expect(spec).toMatchObject({ pooling: 'cls', normalize: true, queryPrefix: 'q: ', docPrefix: 'd: ' });
    expect(notes).toContain('pooling "cls" (from 1_Pooling/config.json)');
  });

  it('an option the user wrote wins over the folder', () => {
    const { spec, notes } = applyFolderSettings(parseMemberSpec('dense:m:pooling=mean:query_prefix=mine> ') as DenseSpec, folder);
    expect(spec).toMatchObject({ pooling: 'mean', queryPrefix: 'mine>', docPrefix: 'd: ' });
    expect(notes.some((n) => n.startsWith('pooling'))).toBe(false);
  });
});
