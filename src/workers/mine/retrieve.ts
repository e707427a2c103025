// Retrieval of one member for a batch of queries: exact top-k over stored vectors (core
// topk) or BM25 (core bm25), document scores by MaxP when documents are chunked, plus the
// member's score of every positive (needed by fusion and selection even when the positive
// is not in the member's top list).
import type { Hit } from '../../core/types';
import { Bm25Index, type Bm25BuildParams } from '../../core/bm25';
import type { TokenizerKind } from '../../core/bm25/tokenize';
import { dot, exactTopK, topKHits, TopKAccumulator, type TopKResult } from '../../core/topk';
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

/** What a dense retriever's results are read against: the units, their vectors and the depth. */
interface DenseSpace {
  unitIds: string[];
  byDoc: Map<string, number[]>;
  unitVectors: Float32Array;
  dim: number;
  depth: number;
  chunked: boolean;
}

/**
 * One query's result from row `row` of a top-k over the units (whose query vector is row
 * `row` of `queries`): its hits, collapsed to documents when chunked, and each positive's
 * best unit score (0 for a positive with no unit).
 */
function denseQueryResult(space: DenseSpace, top: TopKResult, row: number, queries: Float32Array, positiveIds: Iterable<string>): QueryRetrieval {
  const { unitIds, byDoc, unitVectors, dim, depth, chunked } = space;
  const { hits, chunks } = collapse(topKHits(top, unitIds, row), depth, chunked);
  const positives: Record<string, number> = {};
  for (const p of positiveIds) {
    const rows = byDoc.get(p) ?? [];
    let best = rows.length ? -Infinity : 0;
    for (const r of rows) best = Math.max(best, dot(queries, row * dim, unitVectors, r * dim, dim));
    positives[p] = best;
  }
  return chunks ? { hits, positives, chunks } : { hits, positives };
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
      const space: DenseSpace = { unitIds, byDoc, unitVectors: unitVectors.vectors, dim, depth, chunked };
      return queryIds.map((qid, i) => denseQueryResult(space, top, i, batch, positivesOf(qid)));
    },
  };
}

/**
 * Dense retrieval that runs while the member embeds: vectors are added as the embedding job
 * stores them (queries first, then unit blocks, in any order), each unit block is scored
 * against every query at once (core TopKAccumulator), and `finish` gives the same retriever
 * (the same hits, scores and positives' scores) as denseRetriever over the stored vectors.
 * Unit blocks that arrive before all queries are kept and scored when the last query comes.
 */
export class DenseStream {
  private readonly unitRow = new Map<string, number>();
  private readonly queryRow = new Map<string, number>();
  private dim = 0;
  private unitVectors: Float32Array | null = null;
  private queryVectors: Float32Array | null = null;
  private readonly unitSeen: Uint8Array;
  private unitsLeft: number;
  private readonly querySeen: Uint8Array;
  private queriesLeft: number;
  /** Unit rows stored before every query had arrived: scored once they all have. */
  private waiting: number[] = [];
  private acc: TopKAccumulator | null = null;
  private readonly k: number;

  constructor(
    private readonly units: Unit[],
    /** Stored item id of each unit (`d:<id>` or `c:<chunker>|<unit>`), in unit order. */
    unitItemIds: string[],
    private readonly queryIds: string[],
    private readonly depth: number,
    private readonly chunked: boolean,
  ) {
    unitItemIds.forEach((id, i) => this.unitRow.set(id, i));
    queryIds.forEach((q, i) => this.queryRow.set(`q:${q}`, i));
    this.unitSeen = new Uint8Array(units.length);
    this.unitsLeft = units.length;
    this.querySeen = new Uint8Array(queryIds.length);
    this.queriesLeft = queryIds.length;
    this.k = unitDepth(depth, chunked, units.length);
  }

  /** True while some unit or query vector has not arrived. */
  get incomplete(): boolean {
    return this.unitsLeft > 0 || this.queriesLeft > 0;
  }

  /** Whether `itemId` is a vector this retrieval still needs. */
  wants(itemId: string): boolean {
    const u = this.unitRow.get(itemId);
    if (u !== undefined) return !this.unitSeen[u];
    const q = this.queryRow.get(itemId);
    return q !== undefined && !this.querySeen[q];
  }

  /** Adds a stored block (ids with their vectors, row-major); ids it does not need are skipped. */
  add(ids: readonly string[], vectors: Float32Array, dim: number): void {
    if (!this.unitVectors) {
      this.dim = dim;
      this.unitVectors = new Float32Array(this.units.length * dim);
      this.queryVectors = new Float32Array(this.queryIds.length * dim);
    } else if (dim !== this.dim) throw new Error(`embedding blocks disagree on dim (${dim} vs ${this.dim})`);
    const fresh: number[] = [];
    ids.forEach((id, i) => {
      const row = vectors.subarray(i * dim, (i + 1) * dim);
      const u = this.unitRow.get(id);
      if (u !== undefined) {
        if (this.unitSeen[u]) return;
        this.unitSeen[u] = 1;
        this.unitsLeft--;
        this.unitVectors!.set(row, u * dim);
        fresh.push(u);
        return;
      }
      const q = this.queryRow.get(id);
      if (q === undefined || this.querySeen[q]) return;
      this.querySeen[q] = 1;
      this.queriesLeft--;
      this.queryVectors!.set(row, q * dim);
    });
    if (!this.acc) {
      for (const u of fresh) this.waiting.push(u);
      if (this.queriesLeft > 0) return;
      this.acc = new TopKAccumulator(this.queryVectors!, this.queryIds.length, dim, this.k);
      this.score(this.waiting);
      this.waiting = [];
      return;
    }
    this.score(fresh);
  }

  private score(rows: number[]): void {
    const dim = this.dim;
    const part = new Float32Array(rows.length * dim);
    const index = Int32Array.from(rows);
    rows.forEach((u, i) => part.set(this.unitVectors!.subarray(u * dim, (u + 1) * dim), i * dim));
    this.acc!.add(part, rows.length, index);
  }

  /** The retriever over everything added; throws when a unit or query vector is missing. */
  finish(): Retriever {
    if (this.unitsLeft > 0) throw new Error(`no stored vector for ${this.unitsLeft} of ${this.units.length} documents`);
    if (this.queriesLeft > 0 || !this.acc) throw new Error(`no stored vector for ${this.queriesLeft} of ${this.queryIds.length} queries`);
    const top = this.acc.result();
    const space: DenseSpace = { unitIds: this.units.map((u) => u.id), byDoc: rowsByDoc(this.units), unitVectors: this.unitVectors!, dim: this.dim, depth: this.depth, chunked: this.chunked };
    const queryVectors = this.queryVectors!;
    return {
      retrieve: (queryIds, positivesOf) =>
        queryIds.map((qid) => {
          const i = this.queryRow.get(`q:${qid}`);
          if (i === undefined) throw new Error(`no stored vector for query ${qid}`);
          return denseQueryResult(space, top, i, queryVectors, positivesOf(qid));
        }),
    };
  }
}
