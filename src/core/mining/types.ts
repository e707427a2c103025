import type { DenoiseRule } from '../denoise';
import type { MemberList, MemberScore } from '../fusion';
import type { RankRange, Sampling, SamplingProfile, Strategy } from '../selection';
import type { CandidateFlag, Doc, FusionMethod } from '../types';

export interface MinePositive {
  docId: string;
  /**
   * Raw member scores of this positive when known even if it is outside a member's top list
   * (exact cosine from the vectors, `Bm25Index.scoreDoc`). Strongly recommended: without them a
   * positive missing from a list gets that member's floor, which makes it look weak and turns
   * margin rules against it very strict.
   */
  memberScores?: Record<string, number>;
}

export interface MineSimilarity {
  /** Cosine of the query and a document (one dense member), for the triangle rule. */
  qd(docId: string): number | undefined;
  /** Cosine of a positive and a document, for the triangle rule and near-duplicate flags. */
  pd(posId: string, docId: string): number | undefined;
}

export interface MineQueryInput {
  queryId: string;
  /** At least one; none of them is ever emitted as a negative. */
  positives: MinePositive[];
  /** Each member's top list for this query (best first) with its fusion weight. */
  memberLists: MemberList[];
  fusion: FusionMethod;
  /** RRF constant (default 60). */
  rrfK?: number;
  strategy: Strategy;
  /**
   * The scale the strategy compares: 'fused' (default; the fused score) or a member name (that
   * member's raw scores, e.g. cosine of a dense model for abs:0.7). A document missing from that
   * member's list is given the list's lowest score, an upper bound of its real score.
   * 'cross-encoder' (CROSS_ENCODER_SOURCE, needs `ce`): the logits, as sentence-transformers
   * applies margins / max_score when given a cross_encoder; every candidate the range considers
   * must be scored first (crossEncoderNeeds names them).
   */
  scoreSource?: string;
  /**
   * Rank range (selection/range.ts): `window` (default; FlagEmbedding range_for_sampling, fused
   * ranks min < rank ≤ max with positives counted, before filters) or `st`
   * (sentence-transformers range_min/range_max, counted after positives and filters).
   */
  range?: RankRange;
  /** 'top' (default): the first N passing candidates; 'random': a uniform sample of them. */
  sampling?: Sampling;
  /**
   * FlagEmbedding's padding (hn_mine.py): when fewer than `negatives` candidates remain, fill up
   * with random corpus documents (never a fused candidate, a positive or its text duplicate),
   * flagged 'random'. Needs `corpusIds`.
   */
  pad?: boolean;
  /** How many hard negatives to keep per query (Infinity: all that pass). */
  negatives: number;
  /** Extra random negatives drawn uniformly from `corpusIds` outside the candidates and positives. */
  randomNegatives?: number;
  corpusIds?: readonly string[];
  /** Seeded RNG for SimANS and random negatives (see selection/queryRng). */
  rng: () => number;
  /**
   * The documents, for the duplicate rule: a candidate (or random pick) whose normalised
   * BODY equals a positive's is dropped ('duplicate-of-positive'). The rule reads `text`
   * itself (see duplicates.ts), so callers hand over the document, never a string of their own.
   */
  docOf?: (docId: string) => Pick<Doc, 'text'> | undefined;
  /**
   * Exact score of any document on a member's scale (cosine from stored vectors, BM25
   * scoreDoc), for documents missing from that member's top list (e.g. a BM25-only candidate
   * when the score source is a dense member). Without it such a document gets the list's
   * lowest score, an upper bound.
   */
  memberScore?: (member: string, docId: string) => number | undefined;
  /** Dense similarities (triangle rule, near-duplicate flags). */
  similarity?: MineSimilarity;
  /** Cosine above which a candidate is flagged 'near-duplicate' of a positive (default 0.98). */
  nearDuplicateThreshold?: number;
  /**
   * With a reranker: the rule, and the cross-encoder logits known so far (positives,
   * candidates, random picks). mineQuery selects only scored candidates and refuses to run
   * while crossEncoderNeeds() names missing ones; mineWithCrossEncoder fills them in.
   */
  ce?: { rule: DenoiseRule; scores: ReadonlyMap<string, number> };
}

export interface CandidateOut {
  docId: string;
  /** 1-based rank in the fused list (positives included); null for random negatives. */
  fusedRank: number | null;
  fusedScore: number | null;
  members: Record<string, MemberScore>;
  /** Score on the strategy's scale (see scoreSource); null for random negatives. */
  strategyScore: number | null;
  /** Cross-encoder logit (always set on negatives when a reranker is set). */
  ce: number | null;
  flags: CandidateFlag[];
}

export type DropReason = 'duplicate-of-positive' | 'out-of-range' | 'strategy' | 'suspected-false-negative' | 'not-sampled';

export interface MineQueryResult {
  queryId: string;
  /** Selected hard negatives in fused order, then random negatives. */
  negatives: CandidateOut[];
  /** The positives as they came out of fusion (their fused rank and scores). */
  positives: CandidateOut[];
  /** The positive the margins were measured against (lowest strategy score). */
  hardestPositive: string;
  /** Candidates that passed duplicate, range and strategy filters (before cross-encoder and count), in fused order. */
  pool: string[];
  /** Why each other fused candidate was not used. */
  dropped: Array<{ docId: string; reason: DropReason }>;
  /** SimANS only: how its weights spread over the candidates it sampled from. */
  sampling?: SamplingProfile;
}
