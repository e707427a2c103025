// Loading a model folder for the CLI. What can be wrong with a folder the user named (missing,
// not a model, a config that is not JSON, weights ONNX Runtime cannot read) is their error to
// fix: one line naming the folder or file and the problem, never "internal error".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { env as transformersEnv } from '@huggingface/transformers';
import { readStFolder, type FolderSettings } from '../../core/spec/st-metadata';
import { ONNX_FILE } from '../../core/spec/member-spec';
import type { Dtype, ModelSource } from '../../runtime/model-source';
import { localModelSource } from '../../runtime/node/local-model';
import { UserError } from '../args';
import { describeSystemError, isSystemError } from '../errors';

/** JSON files transformers.js reads from a model folder; a broken one is named here, not as a bare SyntaxError. */
const JSON_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n').find((l) => l.trim() !== '')?.trim() ?? msg;
}

/** Hugging Face hub cache folders, in the order huggingface_hub uses: HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub. */
export function hubCacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [env.HF_HUB_CACHE, env.HF_HOME ? join(env.HF_HOME, 'hub') : undefined, join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface', 'hub')];
  return [...new Set(dirs.filter((d): d is string => !!d))];
}

/**
 * transformers.js' file cache in Node: `env.cacheDir` (node_modules/@huggingface/transformers/.cache/
 * by default), holding `<org>/<name>/<file>` as its FileCache stores a download of the main
 * revision. QUARRY_TRANSFORMERS_CACHE names another such folder (tests, a copied cache).
 */
export function transformersCacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.QUARRY_TRANSFORMERS_CACHE, transformersEnv.cacheDir ?? undefined].filter((d): d is string => !!d))];
}

/**
 * The folder of `model`: a path (relative to cwd) when it exists, else a Hugging Face id
 * (`org/name`) found in the local hub cache layout `models--org--name/snapshots/<rev>/`
 * (the revision `refs/main` names, else the newest snapshot), else in transformers.js' cache
 * (`<cacheDir>/org/name/`). Nothing is downloaded: an id that is in neither is a UserError
 * saying where it was looked for.
 */
export function resolveModelDir(cwd: string, model: string, env: NodeJS.ProcessEnv = process.env): string {
  const local = resolve(cwd, model);
  if (existsSync(local) || !/^[\w.-]+\/[\w.-]+$/.test(model)) return local;
  const repo = `models--${model.replace('/', '--')}`;
  for (const dir of hubCacheDirs(env)) {
    const snaps = join(dir, repo, 'snapshots');
    if (!existsSync(snaps)) continue;
    const ref = join(dir, repo, 'refs', 'main');
    const rev = existsSync(ref) ? readFileSync(ref, 'utf8').trim() : undefined;
    if (rev && existsSync(join(snaps, rev))) return join(snaps, rev);
    const all = readdirSync(snaps).map((r) => join(snaps, r)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    if (all.length) return all[0];
  }
  for (const dir of transformersCacheDirs(env)) {
    const folder = join(dir, model);
    if (existsSync(join(folder, 'config.json'))) return folder;
  }
  const looked = [...hubCacheDirs(env).map((d) => join(d, repo, 'snapshots')), ...transformersCacheDirs(env).map((d) => join(d, model))];
  throw new UserError(
    `model "${model}": no folder ${local}, and not in the Hugging Face or transformers.js caches (${looked.join(', ')}); nothing is downloaded at run time: fetch it first (huggingface-cli download ${model}) or give a folder`,
  );
}

/** A model folder ready to load: its source, the dtype whose weights it loads, and its sentence-transformers settings. */
export interface CliModel {
  dir: string;
  source: ModelSource;
  dtype: Dtype;
  folder: FolderSettings;
}

/**
 * Opens the model a SPEC names. `dtypeGiven` false (the SPEC wrote no dtype): the folder's
 * fp32 weights, else whichever it has. The folder's sentence-transformers files (modules.json,
 * 1_Pooling/config.json, config_sentence_transformers.json) are read for the caller to apply.
 */
export function openCliModel(cwd: string, model: string, dtype: Dtype, dtypeGiven = true): CliModel {
  const dir = resolveModelDir(cwd, model);
  let source: ModelSource & { dtype: Dtype };
  try {
    source = localModelSource(dir, dtype, dtypeGiven);
  } catch (err) {
    if (isSystemError(err)) throw new UserError(`model ${describeSystemError(err)}`);
    throw new UserError(firstLine(err));
  }
  for (const name of JSON_FILES) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    try {
      JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      if (isSystemError(err)) throw new UserError(`cannot read ${describeSystemError(err)}`);
      throw new UserError(`${file}: not valid JSON (${firstLine(err)})`);
    }
  }
  const folder = readStFolder((rel) => {
    const file = join(dir, rel);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  });
  const { dtype: picked, ...rest } = source;
  return { dir, source: rest, dtype: picked, folder };
}

/** Runs a model load; a failure (corrupt weights, unknown architecture) names the folder and weights file. */
export async function loadFromFolder<T>(cwd: string, model: string, dtype: Dtype, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof UserError) throw err;
    const dir = resolveModelDir(cwd, model);
    const weights = [join(dir, 'onnx', ONNX_FILE[dtype]), join(dir, ONNX_FILE[dtype])].find((f) => existsSync(f)) ?? join(dir, 'onnx', ONNX_FILE[dtype]);
    throw new UserError(`${weights}: cannot load the model (${firstLine(err)}); is it a complete ONNX export of this model?`);
  }
}
