// A bounded min-heap that keeps the k best (score, index) pairs seen so far.
// "Better" means a higher score; on equal scores the LOWER index is better, so results are
// deterministic and match a stable sort of the full list. The root is the worst kept entry,
// so a new candidate is compared against one number and usually rejected in O(1).

export class TopKHeap {
  readonly capacity: number;
  private readonly scores: Float64Array;
  private readonly indices: Int32Array;
  private n = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`TopKHeap: capacity must be a non-negative integer, got ${capacity}`);
    this.capacity = capacity;
    this.scores = new Float64Array(capacity);
    this.indices = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Lowest kept score once the heap is full (-Infinity before): candidates at or below it rarely enter. */
  get threshold(): number {
    return this.n < this.capacity ? -Infinity : this.scores[0];
  }

  clear(): void {
    this.n = 0;
  }

  /** Offer a candidate; returns true when it was kept. */
  push(score: number, index: number): boolean {
    if (this.capacity === 0 || Number.isNaN(score)) return false;
    if (this.n < this.capacity) {
      let i = this.n++;
      // sift up
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(score, index, this.scores[p], this.indices[p])) break;
        this.scores[i] = this.scores[p];
        this.indices[i] = this.indices[p];
        i = p;
      }
      this.scores[i] = score;
      this.indices[i] = index;
      return true;
    }
    // full: replace the root only if the candidate is better than the worst kept one
    if (!worse(this.scores[0], this.indices[0], score, index)) return false;
    this.siftDown(score, index);
    return true;
  }

  private siftDown(score: number, index: number): void {
    const n = this.n;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && worse(this.scores[r], this.indices[r], this.scores[l], this.indices[l])) c = r;
      if (!worse(this.scores[c], this.indices[c], score, index)) break;
      this.scores[i] = this.scores[c];
      this.indices[i] = this.indices[c];
      i = c;
    }
    this.scores[i] = score;
    this.indices[i] = index;
  }

  /**
   * Writes the kept entries best-first into the given arrays at `offset` and empties the heap.
   * Returns how many were written.
   */
  drainSorted(outIndices: Int32Array, outScores: Float32Array | Float64Array, offset = 0): number {
    const count = this.n;
    // pop the worst repeatedly, filling from the back
    for (let pos = count - 1; pos >= 0; pos--) {
      outIndices[offset + pos] = this.indices[0];
      outScores[offset + pos] = this.scores[0];
      const last = --this.n;
      if (last > 0) this.siftDown(this.scores[last], this.indices[last]);
    }
    return count;
  }
}

/** True when (s1, i1) ranks below (s2, i2): lower score, or equal score and higher index. */
function worse(s1: number, i1: number, s2: number, i2: number): boolean {
  return s1 < s2 || (s1 === s2 && i1 > i2);
}
