// Retrieval of one member for a batch of queries: exact top-k over stored vectors (core
// topk) or BM25 (core bm25), document scores by MaxP when documents are chunked, plus the
// member's score of every positive (needed by fusion and selection even when the positive
// is not in the member's top list).
import type { Hit } from '../../core/types';
import { Bm25Index, type Bm25BuildParams } from '../../core/bm25';
import type { TokenizerKind } from '../../core/bm25/tokenize';
import { dot, exactTopK, topKHits } from '../../core/topk';
import { maxP } from '../../core/chunking';

/** A retrieval unit: a whole document, or one chunk of it (`docId#idx`). */
export interface Unit {
  /** Unit id: the docId, or `docId#idx` for chunks. */
  id: string;
  docId: string;
  /** Chunk index, or -1 for a whole document. */
  idx: number;
  text: string;
}

export interface QueryRetrieval {
  hits: Hit[];
  /** positive docId → this member's score of it (best chunk when chunked). */
  positives: Record<string, number>;
  /** docId → winning chunk index, for the hits (only when chunked). */
  chunks?: Record<string, number>;
}

export interface Retriever {
  retrieve(queryIds: string[], positives: (qid: string) => string[]): QueryRetrieval[];
}

export interface Bm25Retriever extends Retriever {
  /** The tokenizer the index uses (`auto` resolved against the corpus). */
  tokenizer: TokenizerKind;
}

/** Chunk hits fetched per wanted document, as the CLI (cli/pipeline/dense-member.ts). */
const CHUNK_OVERFETCH = 4;

/** How many units to fetch so that `depth` distinct documents survive MaxP. */
function unitDepth(depth: number, chunked: boolean, nUnits: number): number {
  return Math.min(nUnits, chunked ? depth * CHUNK_OVERFETCH : depth);
}

function collapse(unitHits: Hit[], depth: number, chunked: boolean): { hits: Hit[]; chunks?: Record<string, number> } {
  if (!chunked) return { hits: unitHits.slice(0, depth) };
  const best = maxP(unitHits).slice(0, depth);
  const chunks: Record<string, number> = {};
  for (const h of best) chunks[h.docId] = h.chunk;
  return { hits: best.map((h) => [h.docId, h.score] as Hit), chunks };
}

/** Groups unit rows by document (a document may have several chunks). */
function rowsByDoc(units: Unit[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  units.forEach((u, i) => {
    const rows = m.get(u.docId);
    if (rows) rows.push(i);
    else m.set(u.docId, [i]);
  });
  return m;
}

export function bm25Retriever(
  units: Unit[],
  queryText: Map<string, string>,
  params: Bm25BuildParams,
  depth: number,
  chunked: boolean,
): Bm25Retriever {
  const index = Bm25Index.build(
    units.map((u) => ({ id: u.id, text: u.text })),
    params,
  );
  const byDoc = rowsByDoc(units);
  const k = unitDepth(depth, chunked, units.length);
  return {
    tokenizer: index.params.tokenizer,
    retrieve(queryIds, positivesOf) {
      return queryIds.map((qid) => {
        const q = queryText.get(qid) ?? '';
        const { hits, chunks } = collapse(index.search(q, k), depth, chunked);
        const positives: Record<string, number> = {};
        for (const p of positivesOf(qid)) {
          const rows = byDoc.get(p) ?? [];
          let best = rows.length ? -Infinity : 0;
          for (const r of rows) best = Math.max(best, index.scoreDoc(q, units[r].id));
          positives[p] = best;
        }
        return chunks ? { hits, positives, chunks } : { hits, positives };
      });
    },
  };
}

export interface VectorSet {
  ids: string[];
  dim: number;
  vectors: Float32Array;
}

/**
 * Dense retrieval over stored vectors. `unitVectors` rows must be in `units` order;
 * `queryVectors` holds `q:<queryId>` rows in any order.
 */
export function denseRetriever(units: Unit[], unitVectors: VectorSet, queryVectors: VectorSet, depth: number, chunked: boolean): Retriever {
  const dim = unitVectors.dim;
  if (queryVectors.dim !== dim && queryVectors.ids.length) throw new Error(`query vectors have dim ${queryVectors.dim}, documents ${dim}`);
  const qRow = new Map<string, number>();
  queryVectors.ids.forEach((id, i) => qRow.set(id.slice(2), i));
  const unitIds = units.map((u) => u.id);
  const byDoc = rowsByDoc(units);
  const k = unitDepth(depth, chunked, units.length);
  return {
    retrieve(queryIds, positivesOf) {
      const batch = new Float32Array(queryIds.length * dim);
      queryIds.forEach((qid, i) => {
        const r = qRow.get(qid);
        if (r === undefined) throw new Error(`no stored vector for query ${qid}`);
        batch.set(queryVectors.vectors.subarray(r * dim, (r + 1) * dim), i * dim);
      });
      const top = exactTopK(batch, queryIds.length, unitVectors.vectors, units.length, dim, k);
      return queryIds.map((qid, i) => {
        const { hits, chunks } = collapse(topKHits(top, unitIds, i), depth, chunked);
        const positives: Record<string, number> = {};
        for (const p of positivesOf(qid)) {
          const rows = byDoc.get(p) ?? [];
          let best = rows.length ? -Infinity : 0;
          for (const r of rows) best = Math.max(best, dot(batch, i * dim, unitVectors.vectors, r * dim, dim));
          positives[p] = best;
        }
        return chunks ? { hits, positives, chunks } : { hits, positives };
      });
    },
  };
}
