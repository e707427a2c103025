// Test support: a model folder laid out as sentence-transformers saves one, built from a
// bundled model's files, so the CLI test (Hub cache layout) and the Models page e2e test
// exercise the same st-metadata files.
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];

/**
 * Copies a model's tokenizer and config from `source` into `dir` and links (or copies) its
 * weights: each `[from, to]` is a path under `source` and where it lands under `dir`.
 */
export function modelFolder(source: string, dir: string, weights: Array<[from: string, to: string]>, how: 'link' | 'copy' = 'link'): void {
  mkdirSync(dir, { recursive: true });
  for (const f of MODEL_FILES) copyFileSync(join(source, f), join(dir, f));
  for (const [from, to] of weights) {
    mkdirSync(join(dir, to, '..'), { recursive: true });
    if (how === 'link') symlinkSync(join(source, from), join(dir, to));
    else copyFileSync(join(source, from), join(dir, to));
  }
}

/** Writes modules.json (Transformer, Pooling, Normalize), 1_Pooling/config.json with CLS pooling, and prompts when given. */
export function writeStClsConfig(dir: string, dimension: number, prompts?: Record<string, string>): void {
  writeFileSync(
    join(dir, 'modules.json'),
    JSON.stringify([
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
    ]),
  );
  mkdirSync(join(dir, '1_Pooling'), { recursive: true });
  writeFileSync(
    join(dir, '1_Pooling', 'config.json'),
    JSON.stringify({ word_embedding_dimension: dimension, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false, pooling_mode_max_tokens: false, pooling_mode_mean_sqrt_len_tokens: false }),
  );
  if (prompts) writeFileSync(join(dir, 'config_sentence_transformers.json'), JSON.stringify({ prompts, default_prompt_name: null }));
}
