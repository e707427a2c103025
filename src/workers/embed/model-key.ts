// The key under which a model's vectors are stored: model identity + every setting that
// changes the vectors (pooling, normalisation, prefixes, max length, dtype). Device is
// left out on purpose: WebGPU and WASM fp32 agree to ~1e-6, and re-embedding a corpus
// because a laptop gained a GPU would waste minutes.
import type { ModelSettings, ModelSource } from '../../db/schema';

export interface ModelIdentity {
  source: ModelSource;
  settings: Pick<ModelSettings, 'pooling' | 'normalize' | 'queryPrefix' | 'docPrefix' | 'maxLength' | 'dtype'>;
}

/** Canonical text of what makes vectors differ (stable key order). */
export function modelKeyText(m: ModelIdentity): string {
  const s = m.source;
  const where = s.type === 'bundled' ? `bundled:${s.path}` : s.type === 'hub' ? `hub:${s.hubId}` : `local:${s.folder}`;
  const t = m.settings;
  return JSON.stringify([where, t.pooling, t.normalize, t.queryPrefix, t.docPrefix, t.maxLength, t.dtype]);
}

/** A short readable key: `<model name>-<first 16 hex of SHA-256 of modelKeyText>`. */
export async function modelKey(m: ModelIdentity): Promise<string> {
  const text = modelKeyText(m);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const s = m.source;
  const name = (s.type === 'bundled' ? s.path : s.type === 'hub' ? s.hubId : s.folder).split('/').filter(Boolean).pop() ?? 'model';
  return `${name}-${hex}`;
}
