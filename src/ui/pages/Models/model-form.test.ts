import { describe, expect, it } from 'vitest';
import { checkAddForm, checkSettings, describeSource, formToRecord, vectorPreview } from './model-form';

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
