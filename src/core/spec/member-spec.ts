// Parsing of the CLI's retriever and reranker SPEC strings (DESIGN.md, "CLI contract"):
//   bm25[:k1=0.9][:b=0.4][:tokenizer=auto|latin|cjk-bigram|segmenter]
//   dense:<model dir or HF id>[:dtype=fp32|fp16|q8|q4][:pooling=mean|cls|max|lasttoken]
//        [:normalize=true|false][:query_prefix=...][:doc_prefix=...][:max_len=N]
//        [:query_max_len=N][:query_model=<model dir or HF id>]
//   reranker: <model dir or HF id>[:dtype=fp32|fp16|q8|q4][:max_len=N]
// Each spec lists the options it wrote (`given`): a setting the user did not write may be
// taken from the model folder's own metadata (st-metadata.ts) or the model record.
// Pure: no node: imports, so the browser can reuse it for its "add member" form.
import { isTokenizerOption, TOKENIZER_OPTIONS, type TokenizerOption } from '../bm25/tokenize';

/** Weight files as transformers.js names them: fp32 model.onnx, fp16 model_fp16.onnx, q8 model_quantized.onnx, q4 model_q4.onnx. */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';
export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];
/** The weights file transformers.js loads for each dtype (in the model folder's `onnx/`). */
export const ONNX_FILE: Readonly<Record<Dtype, string>> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
};
/** Sentence vector from token vectors, as sentence-transformers' Pooling module names them. */
export type Pooling = 'mean' | 'cls' | 'max' | 'lasttoken';
export const POOLINGS: readonly Pooling[] = ['mean', 'cls', 'max', 'lasttoken'];

export interface Bm25Spec {
  kind: 'bm25';
  /** Display name in reports (`bm25`). */
  name: string;
  k1: number;
  b: number;
  /** `auto` (default) is resolved against the corpus when the index is built. */
  tokenizer: TokenizerOption;
}

export interface DenseSpec {
  kind: 'dense';
  /** Display name: the model folder's basename, e.g. `pkgs-minilm`. */
  name: string;
  /** Model folder path or Hugging Face id, exactly as written. */
  model: string;
  dtype: Dtype;
  pooling: Pooling;
  /** L2-normalise vectors, so scores are cosines; false: raw vectors scored by dot product. */
  normalize: boolean;
  queryPrefix: string;
  docPrefix: string;
  /** The option keys the spec wrote (`dtype`, `pooling`, …); the rest are defaults a model folder may replace. */
  given: readonly string[];
  /** Document length limit in tokens, [CLS] and [SEP] included. */
  maxLen: number;
  /** Query length limit in tokens, [CLS] and [SEP] included. */
  queryMaxLen: number;
  /**
   * Asymmetric member: queries are embedded by this model (same dtype, pooling, query
   * prefix and length), documents by `model`. Both must output vectors of one size. Changing
   * it alone re-embeds the queries and reuses the stored document vectors.
   */
  queryModel?: string;
}

export type MemberSpec = Bm25Spec | DenseSpec;

export interface RerankerSpec {
  name: string;
  model: string;
  dtype: Dtype;
  /** Pair length limit in tokens ([CLS] q [SEP] d [SEP]). */
  maxLen: number;
  /** The option keys the spec wrote; without `dtype` the weights that exist are used. */
  given: readonly string[];
}

/** Defaults the demo models were trained and referenced with (models/README.md). */
export const DEFAULTS = {
  bm25: { k1: 0.9, b: 0.4, tokenizer: 'auto' as TokenizerOption },
  docMaxLen: 256,
  queryMaxLen: 32,
  pairMaxLen: 192,
  dtype: 'fp32' as Dtype,
  pooling: 'mean' as Pooling,
} as const;

export class SpecError extends Error {
  constructor(spec: string, reason: string) {
    super(`invalid SPEC "${spec}": ${reason}`);
    this.name = 'SpecError';
  }
}

const OPTION_RE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * Splits `head:opt=v:opt=v` into the head and its options. A segment that does not look
 * like `key=value` continues the previous option's value (so `query_prefix=query: ` keeps
 * its colon) or, before any option, the head (a model path or id containing ':').
 */
function splitOptions(
  spec: string,
  rest: string,
  known: readonly string[],
  hasHead = true,
): { head: string; options: Map<string, string> } {
  if (rest === '') return { head: '', options: new Map() };
  const parts = rest.split(':');
  const headParts: string[] = [];
  const options = new Map<string, string>();
  let current: string | null = null;
  for (const part of parts) {
    const m = OPTION_RE.exec(part);
    if (m && known.includes(m[1])) {
      if (options.has(m[1])) throw new SpecError(spec, `option "${m[1]}" given twice`);
      current = m[1];
      options.set(current, m[2]);
    } else if (m && (current !== null || headParts.length > 0 || !hasHead)) {
      throw new SpecError(spec, `unknown option "${m[1]}" (expected one of ${known.join(', ')})`);
    } else if (current !== null) {
      options.set(current, `${options.get(current)}:${part}`);
    } else {
      headParts.push(part);
    }
  }
  return { head: headParts.join(':'), options };
}

function parseNumber(spec: string, key: string, value: string, opts: { integer?: boolean; min?: number; max?: number }): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new SpecError(spec, `${key} must be a number, got "${value}"`);
  if (opts.integer && !Number.isInteger(n)) throw new SpecError(spec, `${key} must be an integer, got "${value}"`);
  if (opts.min !== undefined && n < opts.min) throw new SpecError(spec, `${key} must be ≥ ${opts.min}, got ${value}`);
  if (opts.max !== undefined && n > opts.max) throw new SpecError(spec, `${key} must be ≤ ${opts.max}, got ${value}`);
  return n;
}

function parseDtype(spec: string, value: string | undefined): Dtype {
  if (value === undefined) return DEFAULTS.dtype;
  if ((DTYPES as readonly string[]).includes(value)) return value as Dtype;
  throw new SpecError(spec, `dtype must be one of ${DTYPES.join(', ')}, got "${value}"`);
}

/** Display name of a model: the last path segment of a folder or HF id, without trailing slashes. */
export function modelDisplayName(model: string): string {
  const trimmed = model.replace(/[\\/]+$/, '');
  const segments = trimmed.split(/[\\/]/);
  return segments[segments.length - 1] || trimmed;
}

/** Display name of an asymmetric member: `<doc model>(q:<query model>)`. */
export function asymmetricName(docModel: string, queryModel: string): string {
  return `${modelDisplayName(docModel)}(q:${modelDisplayName(queryModel)})`;
}

/** The document side of a dense member: the same settings, no query model (its vectors' key). */
export function documentEncoder(spec: DenseSpec): DenseSpec {
  if (!spec.queryModel) return spec;
  const { queryModel: _q, ...rest } = spec;
  return { ...rest, name: modelDisplayName(spec.model), given: spec.given.filter((k) => k !== 'query_model') };
}

/** The query side of a dense member: the query model (if any) with the member's settings. */
export function queryEncoder(spec: DenseSpec): DenseSpec {
  if (!spec.queryModel) return spec;
  const { queryModel, ...rest } = spec;
  return { ...rest, model: queryModel, name: modelDisplayName(queryModel), given: spec.given.filter((k) => k !== 'query_model') };
}

/** The error an asymmetric member gives when its two encoders disagree on vector size. */
export function dimMismatch(spec: DenseSpec, docDim: number, queryDim: number): string | undefined {
  if (docDim === queryDim) return undefined;
  return `member ${spec.name}: query model ${spec.queryModel ?? spec.model} outputs ${queryDim}-dim vectors, document model ${spec.model} ${docDim}-dim: an asymmetric member needs encoders with one vector size`;
}

const BM25_KEYS = ['k1', 'b', 'tokenizer'] as const;
const DENSE_KEYS = ['dtype', 'pooling', 'normalize', 'query_prefix', 'doc_prefix', 'max_len', 'query_max_len', 'query_model'] as const;
const RERANKER_KEYS = ['dtype', 'max_len'] as const;

/** Parses a `--member` SPEC. Throws SpecError with the reason on bad input. */
export function parseMemberSpec(spec: string): MemberSpec {
  const s = spec.trim();
  if (s === 'bm25' || s.startsWith('bm25:')) {
    const { head: stray, options } = splitOptions(spec, s.slice(5), BM25_KEYS, false);
    if (stray) throw new SpecError(spec, `unexpected "${stray}" (bm25 takes only k1=…, b=… and tokenizer=…)`);
    const k1 = options.has('k1') ? parseNumber(spec, 'k1', options.get('k1')!, { min: 0 }) : DEFAULTS.bm25.k1;
    const b = options.has('b') ? parseNumber(spec, 'b', options.get('b')!, { min: 0, max: 1 }) : DEFAULTS.bm25.b;
    const tokenizer = options.get('tokenizer') ?? DEFAULTS.bm25.tokenizer;
    if (!isTokenizerOption(tokenizer)) throw new SpecError(spec, `tokenizer must be one of ${TOKENIZER_OPTIONS.join(', ')}, got "${tokenizer}"`);
    return { kind: 'bm25', name: 'bm25', k1, b, tokenizer };
  }
  if (s.startsWith('dense:')) {
    const { head, options } = splitOptions(spec, s.slice(6), DENSE_KEYS);
    if (!head) throw new SpecError(spec, 'missing model folder or id after "dense:"');
    const pooling = options.get('pooling') ?? DEFAULTS.pooling;
    if (!(POOLINGS as readonly string[]).includes(pooling)) throw new SpecError(spec, `pooling must be one of ${POOLINGS.join(', ')}, got "${pooling}"`);
    const normalize = options.get('normalize') ?? 'true';
    if (!['true', 'false', 'yes', 'no'].includes(normalize)) throw new SpecError(spec, `normalize must be true or false, got "${normalize}"`);
    const queryModel = options.get('query_model');
    if (queryModel !== undefined && queryModel.trim() === '') throw new SpecError(spec, 'query_model needs a model folder or id');
    return {
      kind: 'dense',
      name: queryModel ? asymmetricName(head, queryModel) : modelDisplayName(head),
      model: head,
      dtype: parseDtype(spec, options.get('dtype')),
      pooling: pooling as Pooling,
      normalize: normalize === 'true' || normalize === 'yes',
      queryPrefix: options.get('query_prefix') ?? '',
      docPrefix: options.get('doc_prefix') ?? '',
      maxLen: options.has('max_len') ? parseNumber(spec, 'max_len', options.get('max_len')!, { integer: true, min: 3 }) : DEFAULTS.docMaxLen,
      queryMaxLen: options.has('query_max_len')
        ? parseNumber(spec, 'query_max_len', options.get('query_max_len')!, { integer: true, min: 3 })
        : DEFAULTS.queryMaxLen,
      given: [...options.keys()],
      ...(queryModel ? { queryModel } : {}),
    };
  }
  const kind = s.split(':')[0];
  throw new SpecError(spec, `unknown member kind "${kind}" (expected "bm25" or "dense:<model>")`);
}

/** Parses a `--reranker` SPEC: `<model dir or HF id>[:dtype=fp32|q8][:max_len=N]`. */
export function parseRerankerSpec(spec: string): RerankerSpec {
  const { head, options } = splitOptions(spec, spec.trim(), RERANKER_KEYS);
  if (!head) throw new SpecError(spec, 'missing model folder or id');
  return {
    name: modelDisplayName(head),
    model: head,
    dtype: parseDtype(spec, options.get('dtype')),
    maxLen: options.has('max_len') ? parseNumber(spec, 'max_len', options.get('max_len')!, { integer: true, min: 4 }) : DEFAULTS.pairMaxLen,
    given: [...options.keys()],
  };
}

/**
 * Display names for a list of members, unique: a name used twice (the same model at two
 * dtypes, say) gets its distinguishing settings appended, e.g. `pkgs-minilm[q8]`.
 */
export function uniqueMemberNames(specs: MemberSpec[]): string[] {
  const counts = new Map<string, number>();
  for (const s of specs) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  const names = specs.map((s) => {
    if (counts.get(s.name) === 1) return s.name;
    if (s.kind === 'bm25') return `bm25[k1=${s.k1},b=${s.b}${s.tokenizer === 'auto' ? '' : `,${s.tokenizer}`}]`;
    return `${s.name}[${s.dtype},${s.pooling}${s.normalize ? '' : ',raw'},${s.maxLen}${s.queryModel ? `,q=${s.queryModel}` : ''}]`;
  });
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}#${k}`;
  });
}
