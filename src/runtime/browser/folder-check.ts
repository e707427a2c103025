// Checks a user-chosen model folder before we try to load it, and says exactly what is
// missing. Pure (works on a list of relative paths + the text of a few small files) so
// it is unit-tested without a browser.
import { ONNX_FILE, type Dtype } from '../../core/spec/member-spec';

export type FolderDtype = Dtype;
export type FolderKind = 'bi-encoder' | 'cross-encoder';
export { ONNX_FILE };

export interface FolderReport {
  ok: boolean;
  /** Problems that make the folder unusable, each naming the file and what was expected. */
  problems: string[];
  /** dtypes whose ONNX file is present. */
  dtypes: FolderDtype[];
  /** Guess from config.json `architectures` (…ForSequenceClassification → cross-encoder). */
  kind?: FolderKind;
  modelType?: string;
  /** The common folder prefix that was stripped (a dropped folder's own name). */
  root: string;
}

/** Strip a shared top folder ("my-model/config.json" → "config.json"). */
export function stripRoot(paths: string[]): { root: string; rel: string[] } {
  const clean = paths.map((p) => p.replace(/\\/g, '/').replace(/^\.?\//, ''));
  if (clean.length === 0) return { root: '', rel: [] };
  const first = clean[0].split('/')[0];
  const shared = clean.every((p) => p.includes('/') && p.split('/')[0] === first);
  // Keep "onnx/" when the folder given *is* the model folder.
  if (!shared || first === 'onnx') return { root: '', rel: clean };
  return { root: first, rel: clean.map((p) => p.slice(first.length + 1)) };
}

export function checkModelFolder(
  paths: string[],
  texts: { config?: string; tokenizer?: string },
  want?: { dtype?: FolderDtype },
): FolderReport {
  const { root, rel } = stripRoot(paths);
  const has = new Set(rel);
  const problems: string[] = [];
  let kind: FolderKind | undefined;
  let modelType: string | undefined;

  if (!has.has('config.json')) problems.push('no config.json at the top of the folder (the model configuration)');
  else if (texts.config !== undefined) {
    try {
      const cfg = JSON.parse(texts.config) as { model_type?: unknown; architectures?: unknown };
      if (typeof cfg.model_type !== 'string') problems.push('config.json has no "model_type" string');
      else modelType = cfg.model_type;
      const arch = Array.isArray(cfg.architectures) ? cfg.architectures.map(String) : [];
      kind = arch.some((a) => /ForSequenceClassification$/.test(a)) ? 'cross-encoder' : 'bi-encoder';
    } catch (e) {
      problems.push(`config.json is not valid JSON (${(e as Error).message})`);
    }
  }

  if (!has.has('tokenizer.json')) {
    problems.push(
      has.has('vocab.txt')
        ? 'no tokenizer.json (vocab.txt alone is not enough: transformers.js needs the fast-tokenizer file tokenizer.json)'
        : 'no tokenizer.json (the tokenizer definition)',
    );
  } else if (texts.tokenizer !== undefined) {
    try {
      const tok = JSON.parse(texts.tokenizer) as { model?: unknown };
      if (!tok || typeof tok.model !== 'object') problems.push('tokenizer.json has no "model" section');
    } catch (e) {
      problems.push(`tokenizer.json is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!has.has('tokenizer_config.json')) problems.push('no tokenizer_config.json (special tokens, lower-casing)');

  const dtypes = (Object.keys(ONNX_FILE) as FolderDtype[]).filter((d) => has.has(`onnx/${ONNX_FILE[d]}`));
  const onnxFiles = rel.filter((p) => /\.onnx$/.test(p));
  if (onnxFiles.length === 0) problems.push('no ONNX file: expected onnx/model.onnx (fp32) or onnx/model_quantized.onnx (q8)');
  else if (dtypes.length === 0) {
    problems.push(
      `ONNX files found (${onnxFiles.join(', ')}) but none where transformers.js looks: onnx/model.onnx (fp32), onnx/model_quantized.onnx (q8) or onnx/model_fp16.onnx (fp16)`,
    );
  } else if (want?.dtype && !dtypes.includes(want.dtype)) {
    problems.push(`dtype ${want.dtype} needs onnx/${ONNX_FILE[want.dtype]}; this folder has ${dtypes.join(', ')}`);
  }
  return { ok: problems.length === 0, problems, dtypes, kind, modelType, root };
}

/** After loading: the graph must produce what our adapters read. */
export function checkOutputs(kind: FolderKind, outputNames: readonly string[]): string | null {
  const need = kind === 'cross-encoder' ? 'logits' : 'last_hidden_state';
  if (outputNames.includes(need)) return null;
  return `the ONNX graph's outputs are ${outputNames.map((n) => `"${n}"`).join(', ') || 'none'}; a ${kind} needs "${need}"`;
}
