// Options shared by rank, eval and mine, and turning them into typed settings.
import { parseChunkSpec, type ChunkSpec } from '../../core/chunking';
import { FUSION_METHODS } from '../../core/fusion';
import { parseMemberSpec, SpecError, type MemberSpec } from '../../core/spec/member-spec';
import type { FusionMethod } from '../../core/types';
import { DEFAULT_MAX_CHUNKS } from '../../core/chunking';
import { UsageError, type OptionsSpec, type ParsedArgs } from '../args';
import { MEMBER_DEPTH } from './members';

export const DATA_OPTIONS: OptionsSpec = {
  data: { type: 'string', valueName: 'DIR', required: true, description: 'BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv; .gz accepted)' },
  member: {
    type: 'string',
    multiple: true,
    valueName: 'SPEC',
    required: true,
    description:
      'Retriever, repeatable: bm25[:k1=0.9][:b=0.4] or dense:<model dir>[:dtype=fp32|q8][:pooling=mean|cls][:query_prefix=..][:doc_prefix=..][:max_len=256][:query_max_len=32]',
  },
};

export const ENSEMBLE_OPTIONS: OptionsSpec = {
  fusion: { type: 'string', valueName: 'METHOD', defaultText: 'soft-z', description: `How member lists are fused: ${FUSION_METHODS.join(' | ')}` },
  weights: { type: 'string', valueName: 'W,W,..', description: 'Fusion weight per member, in --member order (default all 1)' },
  chunk: {
    type: 'string',
    valueName: 'SPEC',
    defaultText: 'none',
    description: 'Split long documents for dense members: none | tokens:SIZE:OVERLAP | paragraphs[:MAXCHARS] | sentences[:MAXCHARS] (。！？ and Intl.Segmenter sentences packed up to MAXCHARS, default 400); a document scores as its best chunk (MaxP)',
  },
  'max-chunks': {
    type: 'string',
    valueName: 'N',
    defaultText: '8',
    description: 'With --chunk: a document scores as the best of its first N chunks (0 = all)',
  },
  cache: { type: 'string', valueName: 'DIR', description: 'Keep embeddings (and, in mine, cross-encoder scores) on disk here; a second run embeds and scores nothing new' },
  concat: {
    type: 'boolean',
    description:
      'Add the member "concat": the dense members\' vectors concatenated, each scaled by √(weight/Σweights) (arXiv 2505.18366); exact cosine over the whole corpus; it is fused like any member',
  },
  'concat-weight': { type: 'string', valueName: 'W', defaultText: '1', description: 'With --concat: the fusion weight of the concat member' },
};

/**
 * Weights for fusion, one per member run (the `concat` member last), and the runMembers
 * `concat` option when --concat is given.
 */
export function ensembleWeights(args: ParsedArgs, memberWeights: number[]): { fusion: number[]; concat?: { weights: number[] } } {
  if (!args.flag('concat')) {
    if (args.has('concat-weight')) throw new UsageError('--concat-weight needs --concat');
    return { fusion: memberWeights };
  }
  const w = args.number('concat-weight', 1);
  if (!(w >= 0)) throw new UsageError('--concat-weight must be ≥ 0');
  return { fusion: [...memberWeights, w], concat: { weights: memberWeights } };
}

export function memberSpecs(args: ParsedArgs): MemberSpec[] {
  const raw = args.strings('member');
  if (raw.length === 0) throw new UsageError('give at least one --member SPEC');
  return raw.map((s) => {
    try {
      return parseMemberSpec(s);
    } catch (e) {
      if (e instanceof SpecError) throw new UsageError(`--member: ${e.message}`);
      throw e;
    }
  });
}

export function fusionMethod(args: ParsedArgs): FusionMethod {
  return args.choice('fusion', FUSION_METHODS, 'soft-z');
}

export function memberWeights(args: ParsedArgs, count: number): number[] {
  const w = args.numberList('weights');
  if (!w) return new Array<number>(count).fill(1);
  if (w.length !== count) throw new UsageError(`--weights has ${w.length} values for ${count} members (one per --member, in order)`);
  if (w.some((x) => x < 0)) throw new UsageError('--weights must be ≥ 0');
  return w;
}

export function chunkSpec(args: ParsedArgs): ChunkSpec {
  try {
    return parseChunkSpec(args.string('chunk', 'none'));
  } catch (e) {
    throw new UsageError(`--chunk: ${(e as Error).message}`);
  }
}

/** Progress lines to stderr with elapsed time. */
export function stderrLog(io: { stderr(t: string): void }): (line: string) => void {
  const t0 = performance.now();
  return (line) => io.stderr(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

export function maxChunks(args: ParsedArgs): number {
  return args.int('max-chunks', DEFAULT_MAX_CHUNKS, 0);
}

/** runMembers options at the evaluation depth, as eval and tune run members (mine goes deeper for its range). */
export function evalMemberOptions(args: ParsedArgs, io: { cwd: string }, log: (line: string) => void) {
  return { depth: MEMBER_DEPTH, chunk: chunkSpec(args), maxChunks: maxChunks(args), cacheDir: args.string('cache'), cwd: io.cwd, log };
}
