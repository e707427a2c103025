// A dense member over a corpus: every document (or chunk) embedded once, exact cosine top-k
// for queries, and exact scores for any (query, document) or (document, document) pair, which
// mining needs for positives outside the top list and for the triangle / duplicate rules.
import { maxPHits, chunkText, type ChunkSpec } from '../../core/chunking';
import type { TextEmbedder } from '../../core/models';
import { dot, exactTopK, topKHits } from '../../core/topk';
import type { Doc, Hit } from '../../core/types';
import { docText } from '../../core/types';

export interface DenseIndex {
  readonly dim: number;
  /** Number of embedded units (documents, or chunks when chunking). */
  readonly units: number;
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

/**
 * Chunks kept per document by default. On the manual pages (pkgs-static, tokens:200:50,
 * nDCG@10 on dev): unchunked 0.538; MaxP over the first 2 / 4 / 8 / 16 / all chunks 0.556 /
 * 0.563 / 0.557 / 0.544 / 0.514. Past the first few windows, the extra chunks of very long
 * pages mostly add chances of a spurious best match (and cost: one page has hundreds).
 */
export const DEFAULT_MAX_CHUNKS = 8;

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
      // The body is chunked and every chunk carries the title (`title: chunk`), as the whole
      // document does: on manual pages the title is the command's name, the strongest clue,
      // and without it every chunk after the first competes blind (MaxP lost to truncation).
      const spans = chunk.kind === 'tokens' ? await embedder.tokenSpans!(d.text) : undefined;
      const all = chunkText(d.text, chunk, spans);
      const chunks = maxChunks > 0 ? all.slice(0, maxChunks) : all;
      const start = unitTexts.length;
      for (const c of chunks) {
        unitTexts.push(docText({ title: d.title, text: c.text }));
        unitIds.push(`${d.id}#${c.idx}`);
      }
      docUnits.set(d.id, [start, unitTexts.length]);
    }
    log(`${docs.length} documents → ${unitTexts.length} chunks (${chunk.kind}${maxChunks > 0 ? `, first ${maxChunks} per document` : ''})`);
  }
  const vectors = await embedder.embed(unitTexts, 'document');
  const dim = embedder.dim;
  const chunked = chunk.kind !== 'none';

  const bestOver = (range: [number, number], other: Float32Array, otherRow: number): number => {
    let best = -Infinity;
    for (let u = range[0]; u < range[1]; u++) best = Math.max(best, dot(vectors, u * dim, other, otherRow * dim, dim));
    return best;
  };

  return {
    dim,
    units: unitTexts.length,
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

