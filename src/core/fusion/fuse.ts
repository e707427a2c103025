// Fusion of several retrievers' top lists for ONE query into one ranking over the union of
// their candidates. Each member contributes through a per-query normalisation of its own list:
//
//   soft-z      Σ_m w_m · z_m(d), z = (s − mean) / std over the member's list (population std;
//               std 0 → 1). A document missing from a member's list gets that member's FLOOR =
//               the lowest z in its list (it scored at most that low there), exactly as
//               ../shared/models/recipe/bm25_check.py, which reproduces the reference 0.768.
//   soft-minmax Σ_m w_m · (s − min) / (max − min) over the member's list (all 1 when max = min).
//               FLOOR for a missing document: 0 (the bottom of the scale).
//   rrf         Σ_m w_m / (k + rank_m(d)), k = 60 (Cormack et al. 2009). FLOOR: 0 (no term).
//   max         max over the members that list d of w_m · z_m(d) (missing members are skipped;
//               a document listed by none, i.e. an `extra` with no scores, gets the max floor).
//
// Ranks are positions in the given list, 1-based; lists are expected sorted best first.

import type { FusionMethod, Hit } from '../types';

export interface MemberList {
  /** Member name (unique within one fusion), e.g. `bm25`, `pkgs-minilm`. */
  name: string;
  weight: number;
  /** This member's top list for the query, best first. */
  hits: Hit[];
}

export interface MemberScore {
  /** 1-based rank in the member's list; null when the document is not in it. */
  rank: number | null;
  /** The member's raw score; null when unknown (not listed and not supplied as extra). */
  score: number | null;
}

export interface FusedHit {
  docId: string;
  score: number;
  members: Record<string, MemberScore>;
}

export interface ExtraDoc {
  docId: string;
  /** Raw member scores known for this document (e.g. a positive's exact cosine or BM25 score). */
  scores: Record<string, number>;
}

export interface FuseOptions {
  /** RRF constant; default 60. */
  rrfK?: number;
  /**
   * Documents to score although they may be missing from the lists (typically the positives,
   * so that margins compare like with like). They are normalised with each list's statistics
   * (never added to them). For RRF a supplied score is placed at the rank it would take in
   * that list (1 + number of listed hits scoring strictly higher). For soft-minmax an extra
   * scoring above the list's maximum gets a value above 1 (not clipped: it did score higher).
   */
  extra?: ExtraDoc[];
}

export const FUSION_METHODS: readonly FusionMethod[] = ['soft-z', 'soft-minmax', 'rrf', 'max'];

/** Throws unless `s` names a fusion method. */
export function parseFusionMethod(s: string): FusionMethod {
  if ((FUSION_METHODS as readonly string[]).includes(s)) return s as FusionMethod;
  throw new Error(`unknown fusion method "${s}"; expected one of ${FUSION_METHODS.join(', ')}`);
}

/** Per-query statistics of one member's list, the weight-independent part of every fusion method. */
export interface MemberStats {
  name: string;
  weight: number;
  hits: Hit[];
  /** docId → index into hits (first occurrence). */
  pos: Map<string, number>;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** lowest z in the list (soft-z floor). */
  floorZ: number;
}

export function memberStats(list: MemberList): MemberStats {
  const pos = new Map<string, number>();
  let sum = 0, min = Infinity, max = -Infinity;
  list.hits.forEach(([id, s], i) => {
    if (!Number.isFinite(s)) throw new Error(`fusion: member "${list.name}" has a non-finite score for "${id}"`);
    if (!pos.has(id)) pos.set(id, i);
    sum += s;
    if (s < min) min = s;
    if (s > max) max = s;
  });
  const n = list.hits.length;
  const mean = n ? sum / n : 0;
  let v = 0;
  for (const [, s] of list.hits) v += (s - mean) * (s - mean);
  const std = n ? Math.sqrt(v / n) || 1 : 1;
  return { name: list.name, weight: list.weight, hits: list.hits, pos, mean, std, min, max, floorZ: n ? (min - mean) / std : 0 };
}

/**
 * Fuses the members' top lists for one query over the union of their candidates (plus
 * `opts.extra`). Returns all of them sorted by fused score descending; ties keep the order in
 * which documents first appear (member order, then rank). See the file comment for the rules.
 */
export function fuse(lists: readonly MemberList[], method: FusionMethod, opts: FuseOptions = {}): FusedHit[] {
  parseFusionMethod(method);
  const rrfK = opts.rrfK ?? 60;
  if (!(rrfK >= 0)) throw new Error(`fusion: rrf k must be ≥ 0, got ${rrfK}`);
  const names = new Set<string>();
  for (const l of lists) {
    if (names.has(l.name)) throw new Error(`fusion: member name "${l.name}" appears twice`);
    if (!Number.isFinite(l.weight)) throw new Error(`fusion: member "${l.name}" has weight ${l.weight}`);
    names.add(l.name);
  }
  const ms = lists.map(memberStats);

  // union in first-appearance order
  const order: string[] = [];
  const seen = new Set<string>();
  for (const m of ms) for (const [id] of m.hits) if (!seen.has(id)) { seen.add(id); order.push(id); }
  const extraScores = new Map<string, Record<string, number>>();
  for (const e of opts.extra ?? []) {
    extraScores.set(e.docId, { ...extraScores.get(e.docId), ...e.scores });
    if (!seen.has(e.docId)) { seen.add(e.docId); order.push(e.docId); }
  }

  const out: FusedHit[] = order.map((docId) => {
    const members: Record<string, MemberScore> = {};
    let total = method === 'max' ? -Infinity : 0;
    let anyPresent = false;
    let maxFloor = -Infinity;
    for (const m of ms) {
      const i = m.pos.get(docId);
      let rank: number | null = null;
      let score: number | null = null;
      if (i !== undefined) {
        rank = i + 1;
        score = m.hits[i][1];
      } else {
        const sup = extraScores.get(docId)?.[m.name];
        if (sup !== undefined) {
          if (!Number.isFinite(sup)) throw new Error(`fusion: extra score of "${docId}" for "${m.name}" is not finite`);
          score = sup;
        }
      }
      members[m.name] = { rank, score };
      const w = m.weight;
      switch (method) {
        case 'soft-z':
          total += w * (score === null ? m.floorZ : (score - m.mean) / m.std);
          break;
        case 'soft-minmax':
          if (score !== null && m.hits.length) total += w * (m.max > m.min ? (score - m.min) / (m.max - m.min) : 1);
          break;
        case 'rrf': {
          const r = rank ?? (score === null ? null : virtualRank(m.hits, score));
          if (r !== null) total += w / (rrfK + r);
          break;
        }
        case 'max':
          maxFloor = Math.max(maxFloor, w * m.floorZ);
          if (score !== null && m.hits.length) {
            anyPresent = true;
            total = Math.max(total, (w * (score - m.mean)) / m.std);
          }
          break;
      }
    }
    if (method === 'max' && !anyPresent) total = ms.length ? maxFloor : 0;
    return { docId, score: total, members };
  });
  // Array.prototype.sort is stable: ties keep first-appearance order.
  return out.sort((a, b) => b.score - a.score);
}

/** The 1-based rank a score would take in a list sorted descending (after all strictly higher scores). */
function virtualRank(hits: Hit[], score: number): number {
  let higher = 0;
  for (const [, s] of hits) if (s > score) higher++;
  return higher + 1;
}
