import { describe, expect, it } from 'vitest';
import { checkAddForm, checkSettings, describeFolderSettings, describeSource, editSetting, formToRecord, vectorPreview, withFolderSettings, withPreset } from './model-form';
import { readStMetadata } from '../../../core/spec/st-metadata';
import { findPreset } from '../../../core/spec/model-presets';
import { defaultSettings } from '../../../workers/embed/bundled-models';

describe('Models page form helpers', () => {
  it('validates names and locations per source', () => {
    expect(checkAddForm({ sourceType: 'hub', location: 'Xenova/bge-small-en-v1.5', name: 'bge', kind: 'bi-encoder' }, [])).toEqual([]);
    expect(checkAddForm({ sourceType: 'hub', location: 'bge-small', name: 'pkgs-minilm', kind: 'bi-encoder' }, ['pkgs-minilm'])).toEqual([
      'Name: "pkgs-minilm" is already in the list.',
      'Hugging Face id: expected "organisation/model", e.g. Xenova/bge-small-en-v1.5.',
    ]);
    expect(checkAddForm({ sourceType: 'local', location: '', name: 'my model', kind: 'bi-encoder' }, [])).toEqual([
      'Name: no spaces or ":" (it is used inside member specs).',
      'Folder: choose or drop a model folder first.',
    ]);
    expect(checkAddForm({ sourceType: 'bundled', location: '../etc', name: 'x', kind: 'bi-encoder' }, [])).toEqual([
      'Folder: a path under /models/, e.g. pkgs-minilm.',
    ]);
  });

  it('builds records with kind defaults', () => {
    const r = formToRecord({ sourceType: 'hub', location: ' Xenova/ms-marco-MiniLM-L-6-v2 ', name: 'msm', kind: 'cross-encoder' }, 'p1', 'id1', 5);
    expect(r).toEqual({
      id: 'id1',
      projectId: 'p1',
      name: 'msm',
      kind: 'cross-encoder',
      source: { type: 'hub', hubId: 'Xenova/ms-marco-MiniLM-L-6-v2' },
      settings: { pooling: 'mean', normalize: true, queryPrefix: '', docPrefix: '', maxLength: 192, dtype: 'fp32', device: 'auto' },
      createdAt: 5,
    });
    expect(describeSource(r.source)).toBe('Hugging Face · Xenova/ms-marco-MiniLM-L-6-v2');
    expect(describeSource({ type: 'bundled', path: 'pkgs-static' })).toBe('bundled · /models/pkgs-static');
  });

  it('checks max length and previews vectors', () => {
    expect(checkSettings({ pooling: 'mean', normalize: true, queryPrefix: '', docPrefix: '', maxLength: 4, dtype: 'q8', device: 'auto' })).toHaveLength(1);
    expect(vectorPreview([3, 4, 0], 2)).toEqual({ dim: 3, norm: 5, head: '[3.0000, 4.0000, …]' });
  });
});

describe('settings from a sentence-transformers folder and presets', () => {
  const folder = readStMetadata({
    'modules.json': JSON.stringify([{ path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }, { path: '2_Normalize', type: 'sentence_transformers.models.Normalize' }]),
    '1_Pooling/config.json': JSON.stringify({ pooling_mode_cls_token: true }),
    'config_sentence_transformers.json': JSON.stringify({ prompts: { query: 'query: ' } }),
  });

  it('a folder saying CLS gives CLS pooling, noting the file', () => {
    const s = withFolderSettings(defaultSettings('bi-encoder'), folder);
    expect(s.pooling).toBe('cls');
    expect(s.queryPrefix).toBe('query: ');
    expect(s.from).toEqual({ pooling: '1_Pooling/config.json', normalize: 'modules.json (Normalize module)', queryPrefix: 'config_sentence_transformers.json prompts' });
    expect(describeFolderSettings(folder)[0]).toBe('pooling "cls" (from 1_Pooling/config.json)');
  });

  it('an edit drops the provenance of the setting edited only; a preset fills all four', () => {
    const s = editSetting(withFolderSettings(defaultSettings('bi-encoder'), folder), { pooling: 'mean' });
    expect(s.from).toEqual({ normalize: 'modules.json (Normalize module)', queryPrefix: 'config_sentence_transformers.json prompts' });
    const e5 = withPreset(s, findPreset('e5')!);
    expect(e5).toMatchObject({ pooling: 'mean', normalize: true, queryPrefix: 'query: ', docPrefix: 'passage: ' });
    expect(withPreset(s, findPreset('bge')!)).toMatchObject({ pooling: 'cls', queryPrefix: 'Represent this sentence for searching relevant passages: ', docPrefix: '' });
    expect(e5.from?.pooling).toBe('preset e5');
  });
});
