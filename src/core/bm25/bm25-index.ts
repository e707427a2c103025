// An in-memory BM25 index built for speed on ~100k short documents:
// integer term ids, postings in typed arrays (CSR layout, documents in index order),
// a reusable Float64Array score accumulator and a bounded heap for the top k.
//
// Scoring is Lucene's / Robertson's BM25 exactly as ../shared/models/recipe/bm25_check.py:
//   idf(t)      = ln(1 + (N - df + 0.5) / (df + 0.5))            (never negative)
//   score(q, d) = Σ_{t in set(tokens(q))} idf(t) · tf · (k1 + 1) / (tf + k1 · (1 - b + b · dl / avgdl))
// Query terms are de-duplicated (a set), so repeating a word in the query does not count twice.

import type { Hit } from '../types';
import { TopKHeap } from '../topk/heap';
import { resolveTokenizer, tokenize, type TokenizerKind, type TokenizerOption } from './tokenize';

export interface Bm25Params {
  /** Term-frequency saturation; default 0.9 (Anserini's default, the reference's value). */
  k1: number;
  /** Length normalisation; default 0.4. */
  b: number;
  /** How text becomes terms (tokenize.ts); `latin` is the reference `\w+`. */
  tokenizer: TokenizerKind;
}

/** Parameters `build` accepts: `tokenizer: 'auto'` is resolved against the documents. */
export type Bm25BuildParams = Partial<Omit<Bm25Params, 'tokenizer'>> & { tokenizer?: TokenizerOption };

export const DEFAULT_BM25_PARAMS: Readonly<Bm25Params> = Object.freeze({ k1: 0.9, b: 0.4, tokenizer: 'latin' as TokenizerKind });

export interface Bm25Document {
  id: string;
  /** The indexed text; for corpus documents use `docText(doc)` (`title: text`). */
  text: string;
}

export class Bm25Index {
  readonly params: Readonly<Bm25Params>;
  readonly ids: readonly string[];
  readonly avgdl: number;
  private readonly termIds: Map<string, number>;
  /** postings of term t are postDocs/postW[offsets[t] .. offsets[t+1]), doc indices ascending. */
  private readonly offsets: Int32Array;
  private readonly postDocs: Int32Array;
  /** tf · (k1 + 1) / (tf + norm(d)) per posting, so a query only multiplies by idf and adds. */
  private readonly postW: Float64Array;
  /** k1 · (1 − b + b · dl / avgdl) per document: the length part of the denominator. */
  private readonly norm: Float64Array;
  private readonly idf: Float64Array;
  /** Upper bound of a term's contribution to any document: idf · max posting weight. */
  private readonly ub: Float64Array;
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  private readonly idIndex: Map<string, number>;

  private constructor(
    params: Bm25Params,
    ids: string[],
    termIds: Map<string, number>,
    offsets: Int32Array,
    postDocs: Int32Array,
    postTf: Int32Array,
    dl: Int32Array,
  ) {
    this.params = Object.freeze({ ...params });
    this.ids = ids;
    this.termIds = termIds;
    this.offsets = offsets;
    this.postDocs = postDocs;
    const n = ids.length;
    let total = 0;
    for (let i = 0; i < n; i++) total += dl[i];
    this.avgdl = n === 0 ? 0 : total / n;
    const { k1, b } = params;
    this.norm = new Float64Array(n);
    // An empty corpus or all-empty documents: avgdl 0 → treat every length as average.
    for (let i = 0; i < n; i++) this.norm[i] = k1 * (1 - b + (this.avgdl > 0 ? (b * dl[i]) / this.avgdl : b));
    const nTerms = offsets.length - 1;
    this.postW = new Float64Array(postDocs.length);
    for (let p = 0; p < postDocs.length; p++) {
      const tf = postTf[p];
      this.postW[p] = (tf * (k1 + 1)) / (tf + this.norm[postDocs[p]]);
    }
    this.idf = new Float64Array(nTerms);
    this.ub = new Float64Array(nTerms);
    for (let t = 0; t < nTerms; t++) {
      const df = offsets[t + 1] - offsets[t];
      this.idf[t] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      let maxW = 0;
      for (let p = offsets[t]; p < offsets[t + 1]; p++) if (this.postW[p] > maxW) maxW = this.postW[p];
      this.ub[t] = this.idf[t] * maxW;
    }
    this.acc = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.idIndex = new Map();
    ids.forEach((id, i) => {
      if (this.idIndex.has(id)) throw new Error(`Bm25Index: duplicate document id "${id}" (positions ${this.idIndex.get(id)} and ${i})`);
      this.idIndex.set(id, i);
    });
  }

  /** Builds the index. Throws on duplicate ids or invalid parameters. */
  static build(docs: readonly Bm25Document[], params: Bm25BuildParams = {}): Bm25Index {
    const tokenizer = resolveTokenizer(params.tokenizer ?? DEFAULT_BM25_PARAMS.tokenizer, () => docs.map((d) => d.text));
    const p: Bm25Params = { ...DEFAULT_BM25_PARAMS, ...params, tokenizer };
    if (!(Number.isFinite(p.k1) && p.k1 >= 0)) throw new Error(`BM25: k1 must be a number ≥ 0, got ${p.k1}`);
    if (!(Number.isFinite(p.b) && p.b >= 0 && p.b <= 1)) throw new Error(`BM25: b must be a number in [0, 1], got ${p.b}`);
    const n = docs.length;
    const termIds = new Map<string, number>();
    const dl = new Int32Array(n);
    // Pass 1: every document's term ids in one growable buffer.
    let tokIds = new Int32Array(1 << 20);
    const docStart = new Int32Array(n + 1);
    let used = 0;
    for (let i = 0; i < n; i++) {
      const toks = tokenize(docs[i].text, tokenizer);
      dl[i] = toks.length;
      if (used + toks.length > tokIds.length) {
        const grown = new Int32Array(Math.max(tokIds.length * 2, used + toks.length));
        grown.set(tokIds.subarray(0, used));
        tokIds = grown;
      }
      for (const tok of toks) {
        let id = termIds.get(tok);
        if (id === undefined) {
          id = termIds.size;
          termIds.set(tok, id);
        }
        tokIds[used++] = id;
      }
      docStart[i + 1] = used;
    }
    // Pass 2: per document, sort its term ids and run-length them into (term, tf); count df.
    const nTerms = termIds.size;
    const df = new Int32Array(nTerms);
    for (let i = 0; i < n; i++) {
      const slice = tokIds.subarray(docStart[i], docStart[i + 1]);
      slice.sort();
      for (let j = 0; j < slice.length; j++) if (j === 0 || slice[j] !== slice[j - 1]) df[slice[j]]++;
    }
    const offsets = new Int32Array(nTerms + 1);
    for (let t = 0; t < nTerms; t++) offsets[t + 1] = offsets[t] + df[t];
    const postDocs = new Int32Array(offsets[nTerms]);
    const postTf = new Int32Array(offsets[nTerms]);
    const fill = offsets.slice(0, nTerms);
    // Documents are visited in index order, so every posting list comes out sorted by document.
    for (let i = 0; i < n; i++) {
      const s = docStart[i], e = docStart[i + 1];
      let j = s;
      while (j < e) {
        const t = tokIds[j];
        let r = j + 1;
        while (r < e && tokIds[r] === t) r++;
        const at = fill[t]++;
        postDocs[at] = i;
        postTf[at] = r - j;
        j = r;
      }
    }
    return new Bm25Index(p, docs.map((d) => d.id), termIds, offsets, postDocs, postTf, dl);
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.ids.length;
  }

  /** Number of distinct terms. */
  get vocabularySize(): number {
    return this.offsets.length - 1;
  }

  /** Document frequency of a (raw) term after lowercasing; 0 when unseen. */
  df(term: string): number {
    const t = this.termIds.get(term.toLowerCase());
    return t === undefined ? 0 : this.offsets[t + 1] - this.offsets[t];
  }

  /** Distinct known term ids of a query (unknown words contribute nothing). */
  private queryTerms(query: string): number[] {
    const seen = new Set<number>();
    for (const tok of tokenize(query, this.params.tokenizer)) {
      const t = this.termIds.get(tok);
      if (t !== undefined) seen.add(t);
    }
    return [...seen];
  }

  /**
   * Top `k` documents for `query`, score descending, ties by lower document index
   * (corpus order). Documents sharing no term with the query are never returned, so the
   * list can be shorter than k.
   *
   * Exact, with MaxScore-style pruning (Turtle & Flood 1995): terms are taken in decreasing
   * order of their largest possible contribution. Once the k-th best partial score θ exceeds
   * what all remaining terms together could add, no untouched document can reach the top k, so
   * the remaining (frequent, low-idf) terms only update the few documents that still can
   * (partial + remaining ≥ θ), found by galloping through their postings instead of scanning
   * them. The result equals exhaustive scoring up to floating-point summation order.
   */
  search(query: string, k: number): Hit[] {
    if (!Number.isInteger(k) || k < 0) throw new Error(`BM25 search: k must be a non-negative integer, got ${k}`);
    const { acc, touched, postDocs, postW, offsets } = this;
    const terms = this.queryTerms(query).sort((a, b) => this.ub[b] - this.ub[a] || a - b);
    const remaining = new Float64Array(terms.length + 1);
    for (let i = terms.length - 1; i >= 0; i--) remaining[i] = remaining[i + 1] + this.ub[terms[i]];

    let nTouched = 0;
    let cands: Int32Array | null = null; // set once pruning starts: ascending doc indices
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti];
      const idf = this.idf[t];
      if (cands === null && k > 0 && ti > 0 && nTouched >= k) {
        const theta = kthLargest(acc, touched, nTouched, k);
        if (remaining[ti] < theta) {
          let m = 0;
          const c = new Int32Array(nTouched);
          for (let i = 0; i < nTouched; i++) {
            const d = touched[i];
            if (acc[d] + remaining[ti] >= theta) c[m++] = d;
          }
          cands = c.subarray(0, m).sort();
        }
      }
      if (cands === null) {
        for (let p = offsets[t], e = offsets[t + 1]; p < e; p++) {
          const d = postDocs[p];
          // every contribution is > 0 (idf > 0, tf ≥ 1), so 0 means "not touched yet"
          if (acc[d] === 0) touched[nTouched++] = d;
          acc[d] += idf * postW[p];
        }
      } else {
        let p = offsets[t];
        const e = offsets[t + 1];
        for (let i = 0; i < cands.length && p < e; i++) {
          const d = cands[i];
          p = gallop(postDocs, p, e, d);
          if (p < e && postDocs[p] === d) acc[d] += idf * postW[p];
        }
      }
    }
    const pool = cands ?? touched.subarray(0, nTouched);
    const heap = new TopKHeap(Math.min(k, pool.length));
    let floor = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const d = pool[i];
      const s = acc[d];
      if (s < floor) continue; // cannot enter a full heap
      heap.push(s, d);
      floor = heap.threshold;
    }
    for (let i = 0; i < nTouched; i++) acc[touched[i]] = 0;
    const idx = new Int32Array(heap.size);
    const sc = new Float64Array(heap.size);
    heap.drainSorted(idx, sc);
    const out: Hit[] = new Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = [this.ids[idx[i]], sc[i]];
    return out;
  }

  /** Exhaustive term-at-a-time scoring without pruning (reference for tests and benchmarks). */
  searchExhaustive(query: string, k: number): Hit[] {
    const scores = new Map<number, number>();
    for (const t of this.queryTerms(query).sort((a, b) => this.ub[b] - this.ub[a] || a - b)) {
      for (let p = this.offsets[t]; p < this.offsets[t + 1]; p++) {
        const d = this.postDocs[p];
        scores.set(d, (scores.get(d) ?? 0) + this.idf[t] * this.postW[p]);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([d, s]): Hit => [this.ids[d], s]);
  }

  /** BM25 score of one document for `query` (0 when they share no term). Throws for an unknown id. */
  scoreDoc(query: string, docId: string): number {
    const d = this.idIndex.get(docId);
    if (d === undefined) throw new Error(`BM25: unknown document id "${docId}"`);
    let s = 0;
    for (const t of this.queryTerms(query)) {
      // binary search for d in the term's postings (sorted by document index)
      let lo = this.offsets[t], hi = this.offsets[t + 1] - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = this.postDocs[mid];
        if (v === d) {
          s += this.idf[t] * this.postW[mid];
          break;
        }
        if (v < d) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return s;
  }
}

/** The k-th largest acc[touched[i]] (k ≤ n), by quickselect on a copy. */
function kthLargest(acc: Float64Array, touched: Int32Array, n: number, k: number): number {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = acc[touched[i]];
  let lo = 0, hi = n - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const pivot = v[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (v[i] > pivot) i++;
      while (v[j] < pivot) j--;
      if (i <= j) {
        const tmp = v[i];
        v[i] = v[j];
        v[j] = tmp;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return v[target];
}

/** First position p in [from, end) with arr[p] ≥ target (arr ascending), by galloping. */
function gallop(arr: Int32Array, from: number, end: number, target: number): number {
  if (from >= end || arr[from] >= target) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < end && arr[hi] < target) {
    lo = hi;
    step <<= 1;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  // arr[lo] < target; answer in (lo, hi]
  while (lo + 1 < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < target) lo = mid;
    else hi = mid;
  }
  return hi;
}
