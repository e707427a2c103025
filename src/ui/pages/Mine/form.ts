// The Mine page's form model and its translation to a MiningConfig (pure, unit-tested).
import type { MiningConfig, ModelRecord } from '../../../db/schema';
import type { FusionMethod } from '../../../core/types';
import { bm25Spec, memberKind } from '../../../workers/mine/config';
import type { TokenizerOption } from '../../../core/bm25';
import { DEFAULT_SENTENCE_CHARS } from '../../../core/chunking';
import { defaultScoreSource } from '../../../core/mining/score-source';
import { retrievalDepth } from '../../../core/mining/depth';
import { parseRange, SIMANS_DEFAULTS, simansProfile, simansWeight, type RangeSemantics, type SamplingProfile, type Sampling } from '../../../core/selection';
import { parseMemberSpec, parseRerankerSpec } from '../../../core/spec/member-spec';

/** The two rank-range meanings, named for their sources (core selection/range.ts). */
export const RANGE_HELP: Record<RangeSemantics, { label: string; title: string }> = {
  window: {
    label: 'window (FlagEmbedding)',
    title: 'FlagEmbedding range_for_sampling: fused ranks MIN < rank ≤ MAX, positives counted, cut before any filter; 0:30 = ranks 1–30',
  },
  st: {
    label: 'st (sentence-transformers)',
    title: 'sentence-transformers range_min/range_max: the first MAX candidates that pass the filters (positives removed), the first MIN of them skipped',
  },
};

export type StrategyKind = 'topk' | 'percpos' | 'margin' | 'relmargin' | 'abs' | 'triangle' | 'simans';
export const STRATEGY_HELP: Record<StrategyKind, { label: string; param?: { name: string; default: string } }> = {
  topk: { label: 'Top-k (hardest first)' },
  percpos: { label: 'PercPos: score < X × positive', param: { name: 'X', default: '0.95' } },
  margin: { label: 'Margin: score < positive − m', param: { name: 'm', default: '0.05' } },
  relmargin: { label: 'Relative margin: score < positive − |positive|·m', param: { name: 'm', default: '0.05' } },
  abs: { label: 'Absolute cap: score < X', param: { name: 'X', default: '0.7' } },
  triangle: { label: 'Triangle: sim(Q,D) > sim(Q,P) and > sim(P,D)' },
  simans: { label: 'SimANS: sample around the positive (a = 100, b = 0: cosine scale)' },
};

export interface DenseChoice {
  on: boolean;
  weight: number;
  dtype: 'q8' | 'fp32';
  /** Asymmetric member: id of another bi-encoder that embeds the queries ('' or absent: this one). */
  queryModel?: string;
}

export interface MineForm {
  dense: Record<string, DenseChoice>;
  /** tokenizer `auto` is resolved against the corpus when the worker builds the index. */
  bm25: { on: boolean; weight: number; k1: number; b: number; tokenizer: TokenizerOption };
  fusion: FusionMethod;
  strategy: StrategyKind;
  strategyParam: string;
  range: string;
  rangeSemantics: RangeSemantics;
  sampling: Sampling;
  pad: boolean;
  negatives: number;
  randomNegatives: number;
  reranker: string;
  rerankerDtype: 'q8' | 'fp32';
  denoise: 'none' | 'abs' | 'rel';
  denoiseValue: string;
  denoiseAction: 'flag' | 'drop';
  chunk: 'none' | 'paragraphs' | 'tokens' | 'sentences';
  /** Sentence chunks: the most characters packed into one chunk. */
  chunkSentenceChars: number;
  /** Token windows: size and overlap, in tokens of the first dense member's tokenizer. */
  chunkTokens: { size: number; overlap: number };
  split: string;
  /** '' = the default (core defaultScoreSource: first dense member's cosine, else fused); else 'fused' or a member name. */
  scoreSource: string;
}

export function defaultForm(models: ModelRecord[], splits: string[]): MineForm {
  const dense: Record<string, DenseChoice> = {};
  for (const m of models.filter((m) => m.kind === 'bi-encoder'))
    dense[m.id] = { on: false, weight: 1, dtype: m.settings.dtype === 'fp32' ? 'fp32' : 'q8' };
  const reranker = models.find((m) => m.kind === 'cross-encoder');
  return {
    dense,
    bm25: { on: true, weight: 1, k1: 0.9, b: 0.4, tokenizer: 'auto' },
    fusion: 'soft-z',
    strategy: 'percpos',
    strategyParam: '0.95',
    range: '0:30',
    rangeSemantics: 'window',
    sampling: 'top',
    pad: false,
    negatives: 5,
    randomNegatives: 0,
    reranker: reranker?.id ?? '',
    rerankerDtype: 'q8',
    denoise: 'rel',
    denoiseValue: '0.95',
    denoiseAction: 'flag',
    chunk: 'none',
    chunkTokens: { size: 200, overlap: 50 },
    chunkSentenceChars: DEFAULT_SENTENCE_CHARS,
    split: splits.includes('dev') ? 'dev' : (splits[0] ?? 'dev'),
    scoreSource: '',
  };
}

/**
 * The default form with the members the last run used (on, weights, dtypes; BM25 on only if
 * it was a member) and its reranker: a new run starts from what was mined before, not from
 * BM25 alone. Models no longer in the list are left out.
 */
export function withLastRunMembers(d: MineForm, last: Pick<MiningConfig, 'members' | 'reranker'> | undefined): MineForm {
  if (!last) return d;
  const dense = Object.fromEntries(Object.entries(d.dense).map(([id, c]) => [id, { ...c, on: false }]));
  const bm25 = { ...d.bm25, on: false };
  for (const m of last.members) {
    let spec;
    try {
      spec = parseMemberSpec(m.spec);
    } catch {
      continue;
    }
    if (spec.kind === 'bm25') Object.assign(bm25, { on: true, weight: m.weight });
    else if (dense[spec.model]) dense[spec.model] = { ...dense[spec.model], on: true, weight: m.weight, dtype: spec.dtype === 'fp32' ? 'fp32' : 'q8' };
  }
  const out: MineForm = { ...d, dense, bm25 };
  if (last.reranker !== undefined) {
    const r = parseRerankerSpec(last.reranker);
    out.reranker = r.model;
    out.rerankerDtype = r.dtype === 'fp32' ? 'fp32' : 'q8';
  } else out.reranker = '';
  return out;
}

export function strategySpec(kind: StrategyKind, param: string): string {
  return STRATEGY_HELP[kind].param ? `${kind}:${param.trim()}` : kind;
}

/** The spec of a dense member: every vector-changing setting written out, as on the CLI. */
export function denseSpec(model: ModelRecord, dtype: 'q8' | 'fp32', queryModel?: ModelRecord): string {
  const s = model.settings;
  let spec = `dense:${model.id}:dtype=${dtype}:pooling=${s.pooling}:max_len=${s.maxLength}`;
  // Written only when off: specs of normalised models stay as they were (and their stored vectors match).
  if (s.normalize === false) spec += ':normalize=false';
  if (queryModel && queryModel.id !== model.id) spec += `:query_model=${queryModel.id}`;
  if (s.queryPrefix) spec += `:query_prefix=${s.queryPrefix}`;
  if (s.docPrefix) spec += `:doc_prefix=${s.docPrefix}`;
  return spec;
}

/** The members a form selects, in config order (dense models, then BM25). */
export function formMembers(f: MineForm, models: ModelRecord[]): MiningConfig['members'] {
  const members: MiningConfig['members'] = [];
  for (const m of models) {
    const c = f.dense[m.id];
    if (m.kind !== 'bi-encoder' || !c?.on) continue;
    const q = c.queryModel ? models.find((x) => x.id === c.queryModel && x.id !== m.id) : undefined;
    members.push({ spec: denseSpec(m, c.dtype, q), name: q ? `${m.name}(q:${q.name})` : m.name, weight: c.weight });
  }
  if (f.bm25.on) members.push({ spec: bm25Spec(f.bm25.k1, f.bm25.b, f.bm25.tokenizer), name: 'bm25', weight: f.bm25.weight });
  return members;
}

/** The score source a form resolves to: its choice, or core's default for its members (as `quarry mine`). */
export function formScoreSource(f: MineForm, members: MiningConfig['members']): string {
  return f.scoreSource || defaultScoreSource(members.map(memberKind));
}

/** Builds the run config; throws with a message naming the field that is wrong. */
export function formToConfig(f: MineForm, models: ModelRecord[]): MiningConfig {
  const members = formMembers(f, models);
  const param = Number(f.strategyParam);
  if (STRATEGY_HELP[f.strategy].param && !Number.isFinite(param)) throw new Error(`strategy ${f.strategy}: "${f.strategyParam}" is not a number`);
  // The form names the semantics in its own select: the text field holds MIN:MAX only.
  const parsed = parseRange(f.range);
  if (parsed.semantics) throw new Error(`range "${f.range}": give MIN:MAX here and pick the meaning in "rank range semantics"`);
  const range: [number, number] = [parsed.min, parsed.max];
  let denoise: string | undefined;
  if (f.reranker && f.denoise !== 'none') {
    const v = Number(f.denoiseValue);
    if (!Number.isFinite(v)) throw new Error(`denoise threshold "${f.denoiseValue}" is not a number`);
    denoise = `${f.denoise}:${f.denoiseValue.trim()}:${f.denoiseAction}`;
  }
  const reranker = f.reranker ? `${f.reranker}:dtype=${f.rerankerDtype}` : undefined;
  // validateConfig checks the window (whole numbers, overlap < size) and that a dense member's tokenizer counts it.
  const chunk =
    f.chunk === 'tokens' ? `tokens:${f.chunkTokens.size}:${f.chunkTokens.overlap}` : f.chunk === 'sentences' ? `sentences:${f.chunkSentenceChars}` : f.chunk;
  return {
    split: f.split,
    members,
    fusion: f.fusion,
    strategy: strategySpec(f.strategy, f.strategyParam),
    range,
    rangeSemantics: f.rangeSemantics,
    sampling: f.sampling,
    ...(f.pad ? { pad: true } : {}),
    negatives: f.negatives,
    randomNegatives: f.randomNegatives,
    ...(reranker ? { reranker } : {}),
    ...(denoise ? { denoise } : {}),
    chunk,
    depth: retrievalDepth(range[1]),
    scoreSource: formScoreSource(f, members),
  };
}

/**
 * What SimANS's default weights do on the cosine scale, for the Mine page: the weight at a few
 * cosine gaps below the positive, and the sampling profile over a typical top-100 pool (100
 * candidates 0.02 … 0.317 below the positive, evenly spaced).
 */
export function simansHint(a: number = SIMANS_DEFAULTS.a, b: number = SIMANS_DEFAULTS.b): { weights: Array<[number, number]>; profile: SamplingProfile } {
  const weights = [0.05, 0.1, 0.2].map((gap): [number, number] => [gap, simansWeight(-gap, 0, a, b)]);
  const pool = Array.from({ length: 100 }, (_, i) => -0.02 - 0.003 * i);
  return { weights, profile: simansProfile(pool, 0, a, b) };
}
