// Exact top-k by inner product (cosine for L2-normalised vectors) without ever holding an
// nq × nd score matrix: documents are visited in blocks that stay in cache, four queries are
// scored against each document at once (the document row is read once per four queries), and
// every query keeps a bounded min-heap of its k best documents. The dot products run in a
// WebAssembly SIMD kernel (simd-kernel.ts) when the engine has one — about 14× the scalar
// JavaScript loop below, which remains as the fallback and the reference.

import { TopKHeap } from './heap';
import { getSimdKernel, type SimdKernel } from './simd-kernel';

export interface TopKResult {
  /** nq × k document indices, row-major, best first; ties broken by the lower index. */
  indices: Int32Array;
  /** nq × k scores matching `indices`. */
  scores: Float32Array;
  /** Columns per query: min(requested k, nd). */
  k: number;
}

export interface TopKOptions {
  /** Documents per block; default 256 (256 × 256 floats = 256 KiB, fits in L2). */
  blockSize?: number;
  /** Use the WebAssembly SIMD kernel when the engine has one (default true). */
  simd?: boolean;
}

/**
 * Exact top-k inner-product search.
 * `queries` is nq × dim and `docs` nd × dim, both row-major. Returns nq × min(k, nd) results,
 * sorted by score descending, ties by lower document index. The SIMD path accumulates in
 * float32 (like PyTorch/BLAS); the scalar fallback in double precision; both store float32.
 */
export function exactTopK(
  queries: Float32Array,
  nq: number,
  docs: Float32Array,
  nd: number,
  dim: number,
  k: number,
  opts: TopKOptions = {},
): TopKResult {
  if (docs.length < nd * dim) throw new Error(`exactTopK: docs holds ${docs.length} floats, expected nd × dim = ${nd * dim}`);
  const acc = new TopKAccumulator(queries, nq, dim, Math.min(k, nd), opts);
  acc.add(docs, nd);
  return acc.result();
}

/**
 * Exact top-k over documents that arrive in parts (e.g. as an embedding job stores them):
 * `add` scores a part against every query, `result` gives what exactTopK over all parts at
 * once gives. Each document carries its corpus index, so parts may come in any order: a
 * score depends only on the (query, document) pair and ties go to the lower index.
 */
export class TopKAccumulator {
  private readonly heaps: TopKHeap[] = [];
  private readonly kernel: SimdKernel | null;
  private readonly blockSize: number;
  private drained = false;

  constructor(
    private readonly queries: Float32Array,
    private readonly nq: number,
    private readonly dim: number,
    /** Columns per query (cap it at the corpus size yourself). */
    readonly k: number,
    opts: TopKOptions = {},
  ) {
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`exactTopK: dim must be a positive integer, got ${dim}`);
    if (!Number.isInteger(k) || k < 0) throw new Error(`exactTopK: k must be a non-negative integer, got ${k}`);
    if (queries.length < nq * dim) throw new Error(`exactTopK: queries holds ${queries.length} floats, expected nq × dim = ${nq * dim}`);
    this.blockSize = Math.max(1, opts.blockSize ?? 256);
    for (let q = 0; q < nq; q++) this.heaps.push(new TopKHeap(k));
    this.kernel = opts.simd === false ? null : getSimdKernel();
  }

  /** Scores rows [0, n) of `docs`; row i is the document with corpus index `index[i]` (default i). */
  add(docs: Float32Array, n: number, index?: Int32Array): void {
    if (this.drained) throw new Error('TopKAccumulator: add after result');
    if (docs.length < n * this.dim) throw new Error(`exactTopK: docs holds ${docs.length} floats, expected n × dim = ${n * this.dim}`);
    if (index && index.length < n) throw new Error(`TopKAccumulator: ${index.length} indices for ${n} documents`);
    if (this.k === 0 || this.nq === 0 || n === 0) return;
    if (this.kernel) simdScan(this.kernel, this.queries, this.nq, docs, n, this.dim, this.blockSize, this.heaps, index);
    else scalarScan(this.queries, this.nq, docs, n, this.dim, this.blockSize, this.heaps, index);
  }

  result(): TopKResult {
    this.drained = true;
    const kk = this.k;
    const indices = new Int32Array(this.nq * kk);
    const scores = new Float32Array(this.nq * kk);
    if (kk > 0) drainAll(this.heaps, indices, scores, kk);
    return { indices, scores, k: kk };
  }
}

function scalarScan(queries: Float32Array, nq: number, docs: Float32Array, nd: number, dim: number, blockSize: number, heaps: TopKHeap[], index?: Int32Array): void {
  for (let d0 = 0; d0 < nd; d0 += blockSize) {
    const d1 = Math.min(nd, d0 + blockSize);
    let q = 0;
    for (; q + 4 <= nq; q += 4) {
      const h0 = heaps[q], h1 = heaps[q + 1], h2 = heaps[q + 2], h3 = heaps[q + 3];
      const o0 = q * dim, o1 = o0 + dim, o2 = o1 + dim, o3 = o2 + dim;
      for (let d = d0; d < d1; d++) {
        const od = d * dim;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0; j < dim; j++) {
          const x = docs[od + j];
          s0 += queries[o0 + j] * x;
          s1 += queries[o1 + j] * x;
          s2 += queries[o2 + j] * x;
          s3 += queries[o3 + j] * x;
        }
        const at = index ? index[d] : d;
        if (s0 >= h0.threshold) h0.push(s0, at);
        if (s1 >= h1.threshold) h1.push(s1, at);
        if (s2 >= h2.threshold) h2.push(s2, at);
        if (s3 >= h3.threshold) h3.push(s3, at);
      }
    }
    for (; q < nq; q++) {
      const h = heaps[q];
      const oq = q * dim;
      for (let d = d0; d < d1; d++) {
        const s = dot(queries, oq, docs, d * dim, dim);
        if (s >= h.threshold) h.push(s, index ? index[d] : d);
      }
    }
  }
}

/**
 * Writes every heap's row best-first. A row can only come out short when scores were NaN
 * (NaN never enters a heap); its unused slots get index −1 and score NaN, which topKHits skips.
 */
function drainAll(heaps: TopKHeap[], indices: Int32Array, scores: Float32Array, kk: number): void {
  for (let q = 0; q < heaps.length; q++) {
    const n = heaps[q].drainSorted(indices, scores, q * kk);
    for (let i = q * kk + n; i < (q + 1) * kk; i++) {
      indices[i] = -1;
      scores[i] = NaN;
    }
  }
}

/** Inner product of a[aOff .. aOff+dim) and b[bOff .. bOff+dim), unrolled by four. */
export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 4 <= dim; j += 4) {
    s0 += a[aOff + j] * b[bOff + j];
    s1 += a[aOff + j + 1] * b[bOff + j + 1];
    s2 += a[aOff + j + 2] * b[bOff + j + 2];
    s3 += a[aOff + j + 3] * b[bOff + j + 3];
  }
  for (; j < dim; j++) s0 += a[aOff + j] * b[bOff + j];
  return s0 + s1 + s2 + s3;
}

/** Queries copied into WebAssembly memory at a time (bounds memory for huge query sets). */
const QUERY_CHUNK = 2048;

/**
 * The SIMD path: per chunk of queries, copy them (rows zero-padded to a multiple of 4 floats)
 * into the kernel's memory once, then stream document blocks through it; the kernel scores four
 * queries against a block and JavaScript feeds the scores to the heaps. Scores are float32
 * accumulations (what PyTorch/BLAS compute), so they may differ from the scalar path in the
 * last bits.
 */
function simdScan(
  kernel: SimdKernel,
  queries: Float32Array,
  nq: number,
  docs: Float32Array,
  nd: number,
  dim: number,
  blockSize: number,
  heaps: TopKHeap[],
  index?: Int32Array,
): void {
  const dimP = (dim + 3) & ~3;
  const rowBytes = dimP * 4;
  for (let q0 = 0; q0 < nq; q0 += QUERY_CHUNK) {
    const q1 = Math.min(nq, q0 + QUERY_CHUNK);
    const nqc4 = (q1 - q0 + 3) & ~3;
    const qOff = 0;
    const dOff = qOff + nqc4 * rowBytes;
    // one spare row: the kernel takes documents in pairs, an odd block gets a zero row
    const oOff = dOff + (blockSize + 1) * rowBytes;
    const need = oOff + (blockSize + 1) * 16;
    const mem = kernel.memory;
    if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
    const f = new Float32Array(mem.buffer);
    // queries, padded rows; missing rows of the last group of four stay zero
    f.fill(0, qOff / 4, dOff / 4);
    copyRows(queries, q0, q1, dim, f, qOff / 4, dimP);
    const th = new Float64Array(q1 - q0).fill(-Infinity);
    for (let d0 = 0; d0 < nd; d0 += blockSize) {
      const d1 = Math.min(nd, d0 + blockSize);
      const nb = d1 - d0;
      copyRows(docs, d0, d1, dim, f, dOff / 4, dimP);
      const nbEven = (nb + 1) & ~1;
      if (nbEven !== nb) f.fill(0, dOff / 4 + nb * dimP, dOff / 4 + nbEven * dimP);
      for (let g = 0; g < nqc4; g += 4) {
        kernel.scores4(qOff + g * rowBytes, dOff, nbEven, dimP, oOff);
        const rows = Math.min(4, q1 - q0 - g);
        for (let r = 0; r < rows; r++) {
          const qi = g + r;
          const h = heaps[q0 + qi];
          let t = th[qi];
          for (let i = 0, o = oOff / 4 + r; i < nb; i++, o += 4) {
            const s = f[o];
            if (s >= t) {
              h.push(s, index ? index[d0 + i] : d0 + i);
              t = h.threshold;
            }
          }
          th[qi] = t;
        }
      }
    }
  }
}

/** Copies rows [r0, r1) of a row-major matrix into `dst` at `at`, each row padded to `dimP`. */
function copyRows(src: Float32Array, r0: number, r1: number, dim: number, dst: Float32Array, at: number, dimP: number): void {
  if (dim === dimP) {
    dst.set(src.subarray(r0 * dim, r1 * dim), at);
    return;
  }
  for (let r = r0; r < r1; r++) {
    const o = at + (r - r0) * dimP;
    dst.set(src.subarray(r * dim, (r + 1) * dim), o);
    dst.fill(0, o + dim, o + dimP);
  }
}
