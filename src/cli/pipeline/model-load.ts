// Loading a model folder for the CLI. What can be wrong with a folder the user named (missing,
// not a model, a config that is not JSON, weights ONNX Runtime cannot read) is their error to
// fix: one line naming the folder or file and the problem, never "internal error".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
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
 * The folder of `model`: a path (relative to cwd) when it exists, else a Hugging Face id
 * (`org/name`) found in the local hub cache layout `models--org--name/snapshots/<rev>/`
 * (the revision `refs/main` names, else the newest snapshot). Nothing is downloaded: an id
 * that is not there is a UserError saying where it was looked for.
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
  throw new UserError(
    `model "${model}": no folder ${local}, and not in the Hugging Face cache (${hubCacheDirs(env).map((d) => join(d, repo, 'snapshots')).join(', ')}); nothing is downloaded at run time: fetch it first (huggingface-cli download ${model}) or give a folder`,
  );
}

/** The ModelSource of a model folder, or a UserError naming what is wrong with it. */
export function cliModelSource(cwd: string, model: string, dtype: Dtype): ModelSource {
  let source: ModelSource;
  model = resolveModelDir(cwd, model);
  try {
    source = localModelSource(resolve(cwd, model), dtype);
  } catch (err) {
    if (isSystemError(err)) throw new UserError(`model ${describeSystemError(err)}`);
    throw new UserError(firstLine(err));
  }
  const dir = resolve(cwd, model);
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
  return source;
}

/** Runs a model load; a failure (corrupt weights, unknown architecture) names the folder and weights file. */
export async function loadFromFolder<T>(cwd: string, model: string, dtype: Dtype, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof UserError) throw err;
    const weights = join(resolveModelDir(cwd, model), 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
    throw new UserError(`${weights}: cannot load the model (${firstLine(err)}); is it a complete ONNX export of this model?`);
  }
}
