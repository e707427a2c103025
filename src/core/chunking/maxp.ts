// Chunk ids and MaxP: a document scores as its best chunk.

import type { Hit } from '../types';

/** Id of chunk `idx` of document `docId`: `docId#idx`. */
export function chunkId(docId: string, idx: number): string {
  return `${docId}#${idx}`;
}

/** Inverse of chunkId; splits at the LAST '#' so document ids may themselves contain '#'. */
export function parseChunkId(id: string): { docId: string; idx: number } {
  const at = id.lastIndexOf('#');
  const idx = at < 0 ? NaN : Number(id.slice(at + 1));
  if (at < 0 || !/^\d+$/.test(id.slice(at + 1)) || !Number.isSafeInteger(idx)) {
    throw new Error(`not a chunk id: "${id}" (expected DOCID#INDEX)`);
  }
  return { docId: id.slice(0, at), idx };
}

export interface MaxPHit {
  docId: string;
  score: number;
  /** Index of the best-scoring chunk. */
  chunk: number;
}

/**
 * MaxP aggregation of chunk hits ('docId#idx', score) into one hit per document = its best
 * chunk's score, sorted by score descending (ties: first-seen document first). On equal chunk
 * scores the first-seen chunk wins.
 */
export function maxP(hits: readonly Hit[]): MaxPHit[] {
  const best = new Map<string, MaxPHit>();
  for (const [id, score] of hits) {
    const { docId, idx } = parseChunkId(id);
    const cur = best.get(docId);
    if (!cur) best.set(docId, { docId, score, chunk: idx });
    else if (score > cur.score) {
      cur.score = score;
      cur.chunk = idx;
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score);
}

/** MaxP as plain hits, optionally cut to the best k documents. */
export function maxPHits(hits: readonly Hit[], k = Infinity): Hit[] {
  return maxP(hits)
    .slice(0, k)
    .map((h): Hit => [h.docId, h.score]);
}
