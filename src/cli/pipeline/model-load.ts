// Loading a model folder for the CLI. What can be wrong with a folder the user named (missing,
// not a model, a config that is not JSON, weights ONNX Runtime cannot read) is their error to
// fix: one line naming the folder or file and the problem, never "internal error".
import { existsSync, readFileSync } from 'node:fs';
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

/** The ModelSource of a model folder, or a UserError naming what is wrong with it. */
export function cliModelSource(cwd: string, model: string, dtype: Dtype): ModelSource {
  let source: ModelSource;
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
    const weights = join(resolve(cwd, model), 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
    throw new UserError(`${weights}: cannot load the model (${firstLine(err)}); is it a complete ONNX export of this model?`);
  }
}
