// Concatenated embeddings, the ensemble of arXiv 2505.18366: each dense member's vectors,
// scaled by √(wᵢ / Σw), placed side by side. For L2-normalised parts the cosine of two
// concatenations is Σ wᵢ·cosᵢ / Σ w, so every document is scored by every model over the
// whole corpus: unlike soft voting over top lists, no member has to retrieve a document
// for its vote to count, and no floor stands in for a missing score.

export interface VectorPart {
  /** Row-major vectors, `n × dim`, L2-normalised rows. */
  vectors: Float32Array;
  dim: number;
  weight: number;
}

/** Row i of the result is the weighted concatenation of row i of every part. */
export function concatVectors(parts: readonly VectorPart[], n: number): { vectors: Float32Array; dim: number } {
  if (!parts.length) throw new Error('concatVectors: no parts (concatenation needs at least one dense member)');
  const total = parts.reduce((s, p) => s + p.weight, 0);
  for (const [i, p] of parts.entries()) {
    if (!(p.weight >= 0) || !Number.isFinite(p.weight)) throw new Error(`concatVectors: part ${i} has weight ${p.weight}; weights must be ≥ 0`);
    if (p.vectors.length !== n * p.dim) throw new Error(`concatVectors: part ${i} has ${p.vectors.length} floats, expected ${n} × ${p.dim}`);
  }
  if (!(total > 0)) throw new Error('concatVectors: every weight is 0');
  const dim = parts.reduce((s, p) => s + p.dim, 0);
  const out = new Float32Array(n * dim);
  let offset = 0;
  for (const p of parts) {
    const scale = Math.sqrt(p.weight / total);
    for (let r = 0; r < n; r++) {
      const src = r * p.dim;
      const dst = r * dim + offset;
      for (let k = 0; k < p.dim; k++) out[dst + k] = p.vectors[src + k] * scale;
    }
    offset += p.dim;
  }
  return { vectors: out, dim };
}
