// Sentence vectors from token vectors: mean over the attention mask (or the [CLS] vector),
// then L2 normalisation, as sentence-transformers does for the reference models.

/**
 * hidden: batch × seqLen × dim, row-major; mask: batch × seqLen of 0/1.
 * Writes `batch` normalised vectors into `out` at rows `rows[i]`.
 */
export function poolInto(
  hidden: Float32Array,
  mask: ArrayLike<number | bigint>,
  batch: number,
  seqLen: number,
  dim: number,
  pooling: 'mean' | 'cls',
  out: Float32Array,
  rows: readonly number[],
): void {
  const acc = new Float64Array(dim);
  for (let b = 0; b < batch; b++) {
    acc.fill(0);
    const base = b * seqLen * dim;
    if (pooling === 'cls') {
      for (let d = 0; d < dim; d++) acc[d] = hidden[base + d];
    } else {
      let count = 0;
      for (let t = 0; t < seqLen; t++) {
        if (Number(mask[b * seqLen + t]) === 0) continue;
        count++;
        const off = base + t * dim;
        for (let d = 0; d < dim; d++) acc[d] += hidden[off + d];
      }
      const inv = 1 / Math.max(count, 1e-9);
      for (let d = 0; d < dim; d++) acc[d] *= inv;
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += acc[d] * acc[d];
    // Same floor as torch.nn.functional.normalize (eps 1e-12).
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    const o = rows[b] * dim;
    for (let d = 0; d < dim; d++) out[o + d] = acc[d] * inv;
  }
}
