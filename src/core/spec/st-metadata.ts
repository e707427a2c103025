// A sentence-transformers model folder says how it wants to be used: `modules.json` lists
// its modules (Transformer → Pooling → optional Dense → optional Normalize), the Pooling
// module's `config.json` says which pooling (`pooling_mode_cls_token`, …), and
// `config_sentence_transformers.json` holds its `prompts` (E5's "query: ", BGE's
// instruction) and `similarity_fn_name`. This reads those files into our settings, each with
// the file it came from; the CLI and the Models page both use it (pure: file texts in).
// Reference: sentence_transformers/SentenceTransformer.py (_load_sbert_model, encode's
// prompt handling) and models/Pooling.py.
import type { DenseSpec, Pooling } from './member-spec';

export interface FromFile<T> {
  value: T;
  /** The file (relative to the model folder) that said so, e.g. `1_Pooling/config.json`. */
  from: string;
}

export interface FolderSettings {
  pooling?: FromFile<Pooling>;
  normalize?: FromFile<boolean>;
  queryPrefix?: FromFile<string>;
  docPrefix?: FromFile<string>;
  /** What the folder asks for that Quarry does not do the same way (shown, never fatal). */
  problems: string[];
}

export const MODULES_FILE = 'modules.json';
export const ST_CONFIG_FILE = 'config_sentence_transformers.json';

interface StModule {
  path?: string;
  type?: string;
}

function parseJson(text: string, file: string, problems: string[]): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object') return v as Record<string, unknown>;
    problems.push(`${file}: expected a JSON object`);
  } catch (e) {
    problems.push(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return undefined;
}

function modulesOf(text: string | undefined, problems: string[]): StModule[] {
  if (text === undefined) return [];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    problems.push(`${MODULES_FILE}: not valid JSON (${(e as Error).message})`);
    return [];
  }
  if (!Array.isArray(v)) {
    problems.push(`${MODULES_FILE}: expected a list of modules`);
    return [];
  }
  return v.filter((m): m is StModule => !!m && typeof m === 'object');
}

const isType = (m: StModule, name: string) => typeof m.type === 'string' && m.type.split('.').pop() === name;

/** The Pooling module's config file named by modules.json (`1_Pooling/config.json`), else the usual place. */
export function poolingConfigPath(modulesText: string | undefined): string {
  const pooling = modulesOf(modulesText, []).find((m) => isType(m, 'Pooling'));
  const dir = (pooling?.path ?? '1_Pooling').replace(/^\.?\/+|\/+$/g, '');
  return dir ? `${dir}/config.json` : 'config.json';
}

/** Every file readStMetadata may read, given modules.json's text (read that first). */
export function stMetadataFiles(modulesText: string | undefined): string[] {
  return [MODULES_FILE, poolingConfigPath(modulesText), ST_CONFIG_FILE];
}

const POOLING_KEYS: Array<[key: string, mode: Pooling | 'mean_sqrt_len_tokens' | 'weightedmean']> = [
  ['pooling_mode_cls_token', 'cls'],
  ['pooling_mode_mean_tokens', 'mean'],
  ['pooling_mode_max_tokens', 'max'],
  ['pooling_mode_lasttoken', 'lasttoken'],
  ['pooling_mode_mean_sqrt_len_tokens', 'mean_sqrt_len_tokens'],
  ['pooling_mode_weightedmean_tokens', 'weightedmean'],
];

function readPooling(text: string, file: string, problems: string[]): Pooling | undefined {
  const cfg = parseJson(text, file, problems);
  if (!cfg) return undefined;
  // Newer configs may name the mode as a string; the booleans are what Pooling.py reads.
  const named = typeof cfg.pooling_mode === 'string' ? cfg.pooling_mode.replace(/_token$/, '').replace(/_tokens$/, '') : undefined;
  const modes = named ? [named] : POOLING_KEYS.filter(([k]) => cfg[k] === true).map(([, m]) => m);
  if (cfg.include_prompt === false) problems.push(`${file}: include_prompt is false (the prompt's tokens are left out of pooling); Quarry pools over them`);
  if (modes.length === 0) {
    problems.push(`${file}: no pooling_mode_… is true`);
    return undefined;
  }
  const supported = modes.filter((m): m is Pooling => m === 'cls' || m === 'mean' || m === 'max' || m === 'lasttoken');
  if (modes.length > 1) problems.push(`${file}: pools ${modes.join(' + ')} concatenated; Quarry pools one way${supported[0] ? `: ${supported[0]}` : ''}`);
  if (!supported.length) problems.push(`${file}: pooling ${modes.join(', ')} is not supported (mean, cls, max, lasttoken are)`);
  return supported[0];
}

/** The prompts sentence-transformers applies to queries and to documents. */
function readPrompts(cfg: Record<string, unknown>, out: FolderSettings): void {
  const prompts = cfg.prompts && typeof cfg.prompts === 'object' ? (cfg.prompts as Record<string, unknown>) : {};
  const text = (name: string | undefined) => (name !== undefined && typeof prompts[name] === 'string' ? (prompts[name] as string) : undefined);
  // `default_prompt_name` applies to every encode call that names no prompt: both sides.
  const fallback = typeof cfg.default_prompt_name === 'string' ? text(cfg.default_prompt_name) : undefined;
  const query = ['query', 'queries', 'search_query'].map(text).find((p) => p !== undefined) ?? fallback;
  const doc = ['document', 'passage', 'corpus', 'doc', 'search_document'].map(text).find((p) => p !== undefined) ?? fallback;
  if (query !== undefined) out.queryPrefix = { value: query, from: `${ST_CONFIG_FILE} prompts` };
  if (doc !== undefined) out.docPrefix = { value: doc, from: `${ST_CONFIG_FILE} prompts` };
}

/**
 * Our settings from a folder's sentence-transformers files. `files` maps a path relative to
 * the folder (those stMetadataFiles names) to its text; a missing file is undefined. A folder
 * without these files gives no settings (a plain transformers.js export).
 *
 * Normalisation: a `Normalize` module makes unit vectors. Without one, sentence-transformers
 * still scores by `similarity_fn_name`, which defaults to cosine; only `dot` (or
 * `dot_product`) means raw vectors compared by dot product.
 */
export function readStMetadata(files: Readonly<Record<string, string | undefined>>): FolderSettings {
  const out: FolderSettings = { problems: [] };
  const modulesText = files[MODULES_FILE];
  const modules = modulesOf(modulesText, out.problems);
  const poolFile = poolingConfigPath(modulesText);
  const poolText = files[poolFile];
  if (poolText !== undefined) {
    const pooling = readPooling(poolText, poolFile, out.problems);
    if (pooling) out.pooling = { value: pooling, from: poolFile };
  } else if (modules.some((m) => isType(m, 'Pooling'))) {
    out.problems.push(`${MODULES_FILE} lists a Pooling module but ${poolFile} is missing`);
  }
  for (const m of modules) {
    if (isType(m, 'Dense')) out.problems.push(`${MODULES_FILE}: a Dense layer (${m.path ?? 'Dense'}) follows pooling; Quarry does not apply it, so vectors differ from sentence-transformers'`);
  }
  const stText = files[ST_CONFIG_FILE];
  const st = stText !== undefined ? parseJson(stText, ST_CONFIG_FILE, out.problems) : undefined;
  if (st) readPrompts(st, out);
  if (modules.some((m) => isType(m, 'Normalize'))) out.normalize = { value: true, from: `${MODULES_FILE} (Normalize module)` };
  else if (st && (st.similarity_fn_name === 'dot' || st.similarity_fn_name === 'dot_product'))
    out.normalize = { value: false, from: `${ST_CONFIG_FILE} similarity_fn_name ${String(st.similarity_fn_name)}` };
  else if (modules.length) out.normalize = { value: true, from: st?.similarity_fn_name ? `${ST_CONFIG_FILE} similarity_fn_name ${String(st.similarity_fn_name)}` : `${MODULES_FILE} (no Normalize module; cosine is sentence-transformers' default)` };
  return out;
}

/** Reads the metadata through `read` (a relative path → its text, undefined when absent). */
export function readStFolder(read: (rel: string) => string | undefined): FolderSettings {
  const modules = read(MODULES_FILE);
  const files: Record<string, string | undefined> = {};
  for (const f of stMetadataFiles(modules)) files[f] = f === MODULES_FILE ? modules : read(f);
  return readStMetadata(files);
}

/** readStFolder for asynchronous readers (fetch, File blobs). */
export async function readStFolderAsync(read: (rel: string) => Promise<string | undefined>): Promise<FolderSettings> {
  const modules = await read(MODULES_FILE);
  const files: Record<string, string | undefined> = {};
  for (const f of stMetadataFiles(modules)) files[f] = f === MODULES_FILE ? modules : await read(f);
  return readStMetadata(files);
}

/** Spec option key of each folder setting. */
const OPTION: Record<'pooling' | 'normalize' | 'queryPrefix' | 'docPrefix', string> = {
  pooling: 'pooling',
  normalize: 'normalize',
  queryPrefix: 'query_prefix',
  docPrefix: 'doc_prefix',
};

/**
 * A dense spec with the folder's settings filled in where the spec wrote none (an option the
 * user wrote always wins), and one note per setting taken, e.g. `pooling cls (from 1_Pooling/config.json)`.
 */
export function applyFolderSettings(spec: DenseSpec, folder: FolderSettings): { spec: DenseSpec; notes: string[] } {
  const next: DenseSpec = { ...spec };
  const notes: string[] = [];
  for (const key of Object.keys(OPTION) as Array<keyof typeof OPTION>) {
    const found = folder[key];
    if (!found || spec.given.includes(OPTION[key])) continue;
    (next as unknown as Record<string, unknown>)[key] = found.value;
    notes.push(`${OPTION[key]} ${JSON.stringify(found.value)} (from ${found.from})`);
  }
  return { spec: next, notes };
}
