// The demo models shipped in public/models (q8 only) as `models` table records, and the
// defaults new models start from. Ids equal the folder names, which mining specs use
// (`dense:pkgs-minilm:dtype=q8`); see also src/workers/mine/bundled.ts.
import type { QuarryDB } from '../../db/db';
import type { ModelKind, ModelRecord, ModelSettings } from '../../db/schema';

/** Defaults from ../shared/models/README.md: documents 256 tokens, pairs 192, mean pooling. */
export function defaultSettings(kind: ModelKind): ModelSettings {
  return {
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    docPrefix: '',
    maxLength: kind === 'cross-encoder' ? 192 : 256,
    // Browser WASM runs q8 faster; the bundled folders only hold q8 weights.
    dtype: 'q8',
    device: 'auto',
  };
}

const bundled = (name: string, kind: ModelKind): ModelRecord => ({
  id: name,
  projectId: null,
  name,
  kind,
  source: { type: 'bundled', path: name },
  settings: defaultSettings(kind),
  createdAt: 0,
});

export const BUNDLED_MODELS: readonly ModelRecord[] = [
  bundled('pkgs-minilm', 'bi-encoder'),
  bundled('pkgs-static', 'bi-encoder'),
  bundled('pkgs-rerank', 'cross-encoder'),
];

/** Adds the bundled models the table lacks (never overwrites edited settings). Returns how many were added. */
export async function seedBundledModels(db: QuarryDB): Promise<number> {
  return db.transaction('rw', db.models, async () => {
    const have = new Set((await db.models.bulkGet(BUNDLED_MODELS.map((m) => m.id))).filter(Boolean).map((m) => m!.id));
    const missing = BUNDLED_MODELS.filter((m) => !have.has(m.id));
    if (missing.length) await db.models.bulkAdd(missing.map((m) => ({ ...m, settings: { ...m.settings }, createdAt: Date.now() })));
    return missing.length;
  });
}
