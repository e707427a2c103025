// A dense member over a corpus: every document (or chunk) embedded once, exact cosine top-k
// for queries, and exact scores for any (query, document) or (document, document) pair, which
// mining needs for positives outside the top list and for the triangle / duplicate rules.
import { maxPHits, chunkDocument, DEFAULT_MAX_CHUNKS, type ChunkSpec } from '../../core/chunking';
import type { TextEmbedder } from '../../core/models';
import { dot, exactTopK, topKHits } from '../../core/topk';
import type { Doc, Hit } from '../../core/types';
import { docText } from '../../core/types';

export interface DenseIndex {
  readonly dim: number;
  /** Number of embedded units (documents, or chunks when chunking). */
  readonly units: number;
  /** Unit ids (`docId`, or `docId#idx` when chunking), in vector order. */
  readonly unitIds: readonly string[];
  /** The unit vectors, `units × dim`, L2-normalised rows. */
  readonly vectors: Float32Array;
  /** docId → [first, end) range of its units. */
  readonly docUnits: ReadonlyMap<string, [number, number]>;
  readonly chunked: boolean;
  search(queryVectors: Float32Array, nq: number, depth: number): Hit[][];
  /** Best cosine of a query vector with any chunk of the document. */
  scoreDoc(queryVectors: Float32Array, q: number, docId: string): number | undefined;
  /** Best cosine between any chunks of two documents. */
  docDoc(a: string, b: string): number | undefined;
}

/**
 * How many chunk hits to fetch so that MaxP still leaves `depth` documents: a document's
 * chunks tend to rank together, so a few chunks per wanted document is enough in practice.
 */
const CHUNK_OVERFETCH = 4;

export async function buildDenseIndex(
  embedder: TextEmbedder,
  docs: readonly Doc[],
  chunk: ChunkSpec,
  log: (msg: string) => void = () => {},
  maxChunks = DEFAULT_MAX_CHUNKS,
): Promise<DenseIndex> {
  const unitTexts: string[] = [];
  const unitIds: string[] = [];
  const docUnits = new Map<string, [number, number]>();
  if (chunk.kind === 'none') {
    docs.forEach((d, i) => {
      unitTexts.push(docText(d));
      unitIds.push(d.id);
      docUnits.set(d.id, [i, i + 1]);
    });
  } else {
    if (chunk.kind === 'tokens' && !embedder.tokenSpans) throw new Error('token chunking needs an embedder with tokenSpans');
    for (const d of docs) {
      const spans = chunk.kind === 'tokens' ? await embedder.tokenSpans!(d.text) : undefined;
      const start = unitTexts.length;
      for (const c of chunkDocument(d, chunk, spans, maxChunks)) {
        unitTexts.push(c.unitText);
        unitIds.push(`${d.id}#${c.idx}`);
      }
      docUnits.set(d.id, [start, unitTexts.length]);
    }
    log(`${docs.length} documents → ${unitTexts.length} chunks (${chunk.kind}${maxChunks > 0 ? `, first ${maxChunks} per document` : ''})`);
  }
  const vectors = await embedder.embed(unitTexts, 'document');
  return denseIndex(unitIds, docUnits, vectors, embedder.dim, chunk.kind !== 'none');
}

/** Exact cosine search and pair scores over unit vectors that are already computed. */
export function denseIndex(
  unitIds: readonly string[],
  docUnits: ReadonlyMap<string, [number, number]>,
  vectors: Float32Array,
  dim: number,
  chunked: boolean,
): DenseIndex {

  const bestOver = (range: [number, number], other: Float32Array, otherRow: number): number => {
    let best = -Infinity;
    for (let u = range[0]; u < range[1]; u++) best = Math.max(best, dot(vectors, u * dim, other, otherRow * dim, dim));
    return best;
  };

  return {
    dim,
    units: unitIds.length,
    unitIds,
    vectors,
    docUnits,
    chunked,
    search(queryVectors, nq, depth) {
      const k = chunked ? depth * CHUNK_OVERFETCH : depth;
      const result = exactTopK(queryVectors, nq, vectors, unitIds.length, dim, k);
      const out: Hit[][] = [];
      for (let q = 0; q < nq; q++) {
        const hits = topKHits(result, unitIds, q);
        out.push(chunked ? maxPHits(hits, depth) : hits);
      }
      return out;
    },
    scoreDoc(queryVectors, q, docId) {
      const range = docUnits.get(docId);
      return range ? bestOver(range, queryVectors, q) : undefined;
    },
    docDoc(a, b) {
      const ra = docUnits.get(a);
      const rb = docUnits.get(b);
      if (!ra || !rb) return undefined;
      let best = -Infinity;
      for (let u = ra[0]; u < ra[1]; u++) best = Math.max(best, bestOver(rb, vectors, u));
      return best;
    },
  };
}

