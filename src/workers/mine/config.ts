// Mining configuration as the page builds it and the worker reads it (RunRecord.config).
// Members use CLI-style specs so a browser run can be repeated with `quarry mine`:
//   bm25[:k1=0.9][:b=0.4][:tokenizer=auto]  BM25 in the worker
//   dense:<modelId>[:dtype=..]  a model of the `models` table (bundled, hub or local);
// the page writes every vector-changing setting into the spec (dtype, pooling, lengths),
// so the spec alone says how vectors were made, as on the CLI.
import type { MemberConfig, MiningConfig } from '../../db/schema';
import type { FusionMethod } from '../../core/types';
import { parseMemberSpec } from '../../core/spec/member-spec';
import { parseChunkSpec } from '../../core/chunking';
import type { TokenizerOption } from '../../core/bm25';
import { MEMBER_DEPTH } from '../../core/mining/depth';
import { defaultScoreSource, describeScoreSource } from '../../core/mining/score-source';

export const FUSION_METHODS: FusionMethod[] = ['soft-z', 'soft-minmax', 'rrf', 'max'];
export const STRATEGY_KINDS = ['topk', 'percpos', 'margin', 'relmargin', 'abs', 'triangle', 'simans'] as const;


export { parseMemberSpec };

export function bm25Spec(k1: number, b: number, tokenizer: TokenizerOption = 'auto'): string {
  return `bm25:k1=${k1}:b=${b}:tokenizer=${tokenizer}`;
}

/** Problems in a config that the page shows before starting (empty = valid). */
export function validateConfig(c: MiningConfig): string[] {
  const errors: string[] = [];
  if (!c.members.length) errors.push('choose at least one member (BM25 or a dense model)');
  const names = new Set<string>();
  for (const m of c.members) {
    try {
      parseMemberSpec(m.spec);
    } catch (e) {
      errors.push((e as Error).message);
    }
    if (names.has(m.name)) errors.push(`two members are named "${m.name}"`);
    names.add(m.name);
    if (!(m.weight >= 0) || !Number.isFinite(m.weight)) errors.push(`weight of ${m.name} must be a number ≥ 0`);
  }
  if (c.members.length && c.members.every((m) => m.weight === 0)) errors.push('at least one weight must be above 0');
  if (!FUSION_METHODS.includes(c.fusion)) errors.push(`unknown fusion "${c.fusion}"`);
  if (!(c.negatives >= 0 && Number.isInteger(c.negatives))) errors.push('negatives per query must be a whole number ≥ 0');
  if (!(c.randomNegatives >= 0 && Number.isInteger(c.randomNegatives))) errors.push('random negatives must be a whole number ≥ 0');
  if (!(c.range[1] > c.range[0] && c.range[0] >= 0)) errors.push('rank range: MAX must be greater than MIN ≥ 0');
  if (c.range[1] > c.depth) errors.push(`rank range ends at ${c.range[1]} but members retrieve only ${c.depth}`);
  if (c.scoreSource !== undefined && c.scoreSource !== 'fused' && !names.has(c.scoreSource))
    errors.push(`score source "${c.scoreSource}" is not a member (${[...names].join(', ') || 'none'}) nor "fused"`);
  if (!c.split) errors.push('choose a split');
  try {
    if (parseChunkSpec(c.chunk).kind === 'tokens' && !c.members.some((m) => m.spec.startsWith('dense:')))
      errors.push(`chunking "${c.chunk}" counts tokens of a dense member's tokenizer: add a dense member, or chunk by paragraphs`);
  } catch (e) {
    errors.push((e as Error).message);
  }
  return errors;
}

/** The default run the stakeholder demo starts (see DESIGN: models README numbers). */
export function demoConfig(split = 'dev'): MiningConfig {
  const members: MemberConfig[] = [
    { spec: 'dense:pkgs-minilm:dtype=q8', name: 'pkgs-minilm', weight: 1 },
    { spec: 'dense:pkgs-static:dtype=q8', name: 'pkgs-static', weight: 1 },
    { spec: bm25Spec(0.9, 0.4), name: 'bm25', weight: 1 },
  ];
  return {
    split,
    members,
    fusion: 'soft-z',
    strategy: 'percpos:0.95',
    range: [0, 30],
    negatives: 5,
    randomNegatives: 0,
    reranker: 'pkgs-rerank:dtype=q8',
    denoise: 'rel:0.95:flag',
    chunk: 'none',
    depth: MEMBER_DEPTH,
    scoreSource: defaultScoreSource(members.map(memberKind)),
  };
}

/**
 * The default run of the Japanese demo: BM25 with the tokenizer left on `auto` (the corpus is
 * Japanese, so it resolves to the segmenter: nDCG@10 0.781 on this dev split, README). The
 * bundled models and reranker were trained on English only and would add noise, so they are
 * left out; with BM25 scores PercPos still means "below 95% of the positive's score".
 */
export function demoConfigJa(split = 'dev'): MiningConfig {
  return {
    split,
    members: [{ spec: bm25Spec(0.9, 0.4, 'auto'), name: 'bm25', weight: 1 }],
    fusion: 'soft-z',
    strategy: 'percpos:0.95',
    range: [0, 30],
    negatives: 5,
    randomNegatives: 0,
    chunk: 'none',
    depth: MEMBER_DEPTH,
    // BM25 alone: its own scores, non-negative, so "95% of the positive's" means something
    scoreSource: 'bm25',
  };
}

/** ` (tokenizer X)` for a BM25 member: how its text was cut is part of what the run did. */
function tokenizerNote(spec: string, resolved?: string): string {
  try {
    const m = parseMemberSpec(spec);
    if (m.kind !== 'bm25') return '';
    return resolved && m.tokenizer === 'auto' ? ` (tokenizer ${resolved}, auto)` : ` (tokenizer ${m.tokenizer})`;
  } catch {
    return '';
  }
}

/** A member as the score-source rules see it. */
export function memberKind(m: MemberConfig): { name: string; dense: boolean } {
  return { name: m.name, dense: m.spec.startsWith('dense:') };
}

/** The score source of a run in words ("pkgs-static cosine"); runs stored before it was recorded compared fused scores. */
export function scoreSourceText(c: MiningConfig): string {
  return describeScoreSource(c.scoreSource ?? 'fused', c.members.map(memberKind), c.fusion);
}

/** One line describing a config, for run lists. */
export function describeConfig(c: MiningConfig): string {
  const members = c.members.map((m) => (c.members.length > 1 && m.weight !== 1 ? `${m.name}×${m.weight}` : m.name) + tokenizerNote(m.spec, c.bm25Tokenizers?.[m.name])).join(' + ');
  const parts = [members, c.fusion, `${c.strategy} on ${scoreSourceText(c)}`, `ranks ${c.rangeSemantics ?? 'window'}:${c.range[0]}:${c.range[1]}`, `${c.negatives} neg`];
  if (c.sampling === 'random') parts.push('random sampling');
  if (c.pad) parts.push('padded');
  if (c.randomNegatives) parts.push(`${c.randomNegatives} random`);
  if (c.reranker) parts.push(`CE ${c.reranker}${c.denoise ? ` ${c.denoise}` : ''}`);
  if (c.chunk !== 'none') parts.push(`chunk ${c.chunk}`);
  return parts.join(' · ');
}

/** The Web Lock a tab holds while its worker runs a run (so two tabs never run it twice). */
export const lockName = (runId: string) => `quarry-mine:${runId}`;
