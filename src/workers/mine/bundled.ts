// The demo models shipped in public/models, as Models-list records. The Models page seeds
// the `models` table with the bundled models; until a project's table has them (first
// start, or before that page was ever opened) mining falls back to these, so the demo run
// works from the very first click. A record in the table with the same id or name wins.
import type { ModelRecord, ModelSettings } from '../../db/schema';

const biEncoder: ModelSettings = { pooling: 'mean', normalize: true, queryPrefix: '', docPrefix: '', maxLength: 256, dtype: 'q8', device: 'auto' };

export const BUNDLED_FALLBACK: readonly ModelRecord[] = [
  { id: 'pkgs-minilm', projectId: null, name: 'pkgs-minilm', kind: 'bi-encoder', source: { type: 'bundled', path: 'pkgs-minilm' }, settings: biEncoder, createdAt: 0 },
  { id: 'pkgs-static', projectId: null, name: 'pkgs-static', kind: 'bi-encoder', source: { type: 'bundled', path: 'pkgs-static' }, settings: biEncoder, createdAt: 0 },
  {
    id: 'pkgs-rerank',
    projectId: null,
    name: 'pkgs-rerank',
    kind: 'cross-encoder',
    source: { type: 'bundled', path: 'pkgs-rerank' },
    settings: { ...biEncoder, maxLength: 192 },
    createdAt: 0,
  },
];

/** Table records plus the bundled fallbacks the table does not have (by id or name). */
export function withBundled(records: readonly ModelRecord[]): ModelRecord[] {
  const ids = new Set(records.map((r) => r.id));
  const names = new Set(records.map((r) => r.name));
  return [...records, ...BUNDLED_FALLBACK.filter((b) => !ids.has(b.id) && !names.has(b.name))];
}
