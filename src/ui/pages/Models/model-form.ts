// Pure helpers of the Models page: turning the add form into a ModelRecord, describing a
// source, summarising a vector. No React here so they are unit-tested in Node.
import type { ModelKind, ModelRecord, ModelSettings, ModelSource } from '../../../db/schema';
import type { FolderSettings } from '../../../core/spec/st-metadata';
import type { ModelPreset } from '../../../core/spec/model-presets';
import { defaultSettings } from '../../../workers/embed/bundled-models';

/** Settings a model folder or a preset can fill. */
export type FilledSetting = keyof NonNullable<ModelSettings['from']>;
const FILLED: readonly FilledSetting[] = ['pooling', 'normalize', 'queryPrefix', 'docPrefix'];

/** Settings with what a sentence-transformers folder says filled in, each noting its file. */
export function withFolderSettings(settings: ModelSettings, folder: FolderSettings): ModelSettings {
  const next: ModelSettings = { ...settings, from: { ...settings.from } };
  for (const key of FILLED) {
    const found = folder[key];
    if (!found) continue;
    (next as unknown as Record<string, unknown>)[key] = found.value;
    next.from![key] = found.from;
  }
  return next;
}

/** Settings with a family preset's pooling, normalisation and prefixes. */
export function withPreset(settings: ModelSettings, preset: ModelPreset): ModelSettings {
  const from = `preset ${preset.id}`;
  return {
    ...settings,
    pooling: preset.pooling,
    normalize: preset.normalize,
    queryPrefix: preset.queryPrefix,
    docPrefix: preset.docPrefix,
    from: { pooling: from, normalize: from, queryPrefix: from, docPrefix: from },
  };
}

/** A setting the user edited no longer comes from the folder or a preset. */
export function editSetting(settings: ModelSettings, patch: Partial<ModelSettings>): ModelSettings {
  const next: ModelSettings = { ...settings, ...patch };
  const from = { ...settings.from };
  for (const key of FILLED) if (key in patch && patch[key] !== settings[key]) delete from[key];
  next.from = from;
  return next;
}

/** The folder settings as lines for the add form (`pooling cls (from 1_Pooling/config.json)`), problems after. */
export function describeFolderSettings(folder: FolderSettings): string[] {
  const lines = FILLED.flatMap((k) => (folder[k] ? [`${k} ${JSON.stringify(folder[k]!.value)} (from ${folder[k]!.from})`] : []));
  return [...lines, ...folder.problems.map((p) => `warning: ${p}`)];
}

export type SourceType = ModelSource['type'];

export interface AddForm {
  sourceType: SourceType;
  /** Bundled: folder under /models/; hub: `org/name`; local: filled from the chosen folder. */
  location: string;
  name: string;
  kind: ModelKind;
}

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;
const BUNDLED_PATH = /^\/?[\w.-]+(\/[\w.-]+)*\/?$/;

/** Problems with the form, each a sentence naming the field. */
export function checkAddForm(f: AddForm, existingNames: readonly string[]): string[] {
  const errors: string[] = [];
  const name = f.name.trim();
  if (!name) errors.push('Name: give the model a name (mining specs refer to it, e.g. dense:<name>).');
  else if (existingNames.includes(name)) errors.push(`Name: "${name}" is already in the list.`);
  else if (/[:\s]/.test(name)) errors.push('Name: no spaces or ":" (it is used inside member specs).');
  if (f.sourceType === 'hub' && !HUB_ID.test(f.location.trim())) errors.push('Hugging Face id: expected "organisation/model", e.g. Xenova/bge-small-en-v1.5.');
  if (f.sourceType === 'bundled' && (!BUNDLED_PATH.test(f.location.trim()) || f.location.split('/').includes('..'))) errors.push('Folder: a path under /models/, e.g. pkgs-minilm.');
  if (f.sourceType === 'local' && !f.location) errors.push('Folder: choose or drop a model folder first.');
  return errors;
}

export function formToRecord(f: AddForm, projectId: string, id: string, now: number): ModelRecord {
  const loc = f.location.trim();
  const source: ModelSource =
    f.sourceType === 'hub' ? { type: 'hub', hubId: loc } : f.sourceType === 'local' ? { type: 'local', folder: loc } : { type: 'bundled', path: loc };
  const settings: ModelSettings = defaultSettings(f.kind);
  // Hub and user folders usually carry fp32 weights; the bundled ones only q8.
  if (f.sourceType !== 'bundled') settings.dtype = 'fp32';
  return { id, projectId, name: f.name.trim(), kind: f.kind, source, settings, createdAt: now };
}

export function describeSource(s: ModelSource): string {
  if (s.type === 'bundled') return `bundled · /models/${s.path.replace(/^\/+/, '').replace(/^models\//, '')}`;
  if (s.type === 'hub') return `Hugging Face · ${s.hubId}`;
  return `local folder · ${s.folder}`;
}

/** Settings edits: keep numbers sane and say what is wrong. */
export function checkSettings(s: ModelSettings): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(s.maxLength) || s.maxLength < 8 || s.maxLength > 8192) errors.push('Max length: a whole number of tokens between 8 and 8192.');
  return errors;
}

/** First values, norm and dimension of a vector, for the test panel. */
export function vectorPreview(v: ArrayLike<number>, head = 8): { dim: number; norm: number; head: string } {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  const first = Array.from({ length: Math.min(head, v.length) }, (_, i) => v[i].toFixed(4));
  return { dim: v.length, norm: Math.sqrt(n), head: `[${first.join(', ')}${v.length > head ? ', …' : ''}]` };
}
