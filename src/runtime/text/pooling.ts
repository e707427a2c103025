// Sentence vectors from token vectors, as sentence-transformers' Pooling module makes them
// (mean over the attention mask, the [CLS] vector, the element-wise max, or the last real
// token), then — when the model normalises — L2 normalisation (its Normalize module).
import type { Pooling } from '../../core/spec/member-spec';

/**
 * hidden: batch × seqLen × dim, row-major; mask: batch × seqLen of 0/1.
 * Writes `batch` vectors into `out` at rows `rows[i]`, L2-normalised unless `normalize` is false.
 */
export function poolInto(
  hidden: Float32Array,
  mask: ArrayLike<number | bigint>,
  batch: number,
  seqLen: number,
  dim: number,
  pooling: Pooling,
  out: Float32Array,
  rows: readonly number[],
  normalize = true,
): void {
  const acc = new Float64Array(dim);
  for (let b = 0; b < batch; b++) {
    acc.fill(0);
    const base = b * seqLen * dim;
    const real = (t: number) => Number(mask[b * seqLen + t]) !== 0;
    if (pooling === 'cls') {
      for (let d = 0; d < dim; d++) acc[d] = hidden[base + d];
    } else if (pooling === 'lasttoken') {
      // The last token the mask keeps (inputs are right-padded here).
      let last = 0;
      for (let t = 0; t < seqLen; t++) if (real(t)) last = t;
      for (let d = 0; d < dim; d++) acc[d] = hidden[base + last * dim + d];
    } else if (pooling === 'max') {
      acc.fill(-Infinity);
      for (let t = 0; t < seqLen; t++) {
        if (!real(t)) continue;
        const off = base + t * dim;
        for (let d = 0; d < dim; d++) if (hidden[off + d] > acc[d]) acc[d] = hidden[off + d];
      }
      for (let d = 0; d < dim; d++) if (acc[d] === -Infinity) acc[d] = 0;
    } else {
      let count = 0;
      for (let t = 0; t < seqLen; t++) {
        if (!real(t)) continue;
        count++;
        const off = base + t * dim;
        for (let d = 0; d < dim; d++) acc[d] += hidden[off + d];
      }
      const inv = 1 / Math.max(count, 1e-9);
      for (let d = 0; d < dim; d++) acc[d] *= inv;
    }
    let inv = 1;
    if (normalize) {
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += acc[d] * acc[d];
      // Same floor as torch.nn.functional.normalize (eps 1e-12).
      inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    }
    const o = rows[b] * dim;
    for (let d = 0; d < dim; d++) out[o + d] = acc[d] * inv;
  }
}
