// Seeded randomness, so a mining run is reproducible from its seed.

/** mulberry32: a tiny, fast 32-bit PRNG; returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-query RNG derived from a run seed and the query id (stable under query order). */
export function queryRng(seed: number, queryId: string): () => number {
  // FNV-1a hash of the id, mixed with the seed
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < queryId.length; i++) {
    h ^= queryId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return createRng(h >>> 0);
}

/**
 * Weighted sampling of `count` distinct indices without replacement (Efraimidis & Spirakis 2006:
 * keep the largest keys u^(1/w), computed as ln(u)/w). Zero weights are drawn only after every
 * positive weight is exhausted, in index order. Returns indices in the order drawn (best key first).
 */
export function weightedSampleWithoutReplacement(weights: readonly number[], count: number, rng: () => number): number[] {
  const keys = weights.map((w, i) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weighted sampling: weight ${i} is ${w}, expected a finite number ≥ 0`);
    // 1 − rng() is in (0, 1], so ln is finite and ≤ 0
    return { i, key: w > 0 ? Math.log(1 - rng()) / w : -Infinity };
  });
  keys.sort((x, y) => y.key - x.key || x.i - y.i);
  return keys.slice(0, Math.max(0, Math.min(count, keys.length))).map((k) => k.i);
}

/**
 * `count` distinct ids drawn uniformly from `ids` minus `exclude` (e.g. the candidates and the
 * positives). Returns fewer when not enough ids remain.
 */
export function sampleUniformExcluding(ids: readonly string[], exclude: ReadonlySet<string>, count: number, rng: () => number): string[] {
  const out: string[] = [];
  if (count <= 0 || ids.length === 0) return out;
  const taken = new Set<string>();
  // Rejection sampling is cheap when the excluded set is a small part of the corpus.
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const id = ids[Math.floor(rng() * ids.length)];
    if (exclude.has(id) || taken.has(id)) continue;
    taken.add(id);
    out.push(id);
  }
  if (out.length < count) {
    // Dense exclusion: partial Fisher–Yates over what is left.
    const rest = ids.filter((id) => !exclude.has(id) && !taken.has(id));
    for (let i = 0; i < rest.length && out.length < count; i++) {
      const j = i + Math.floor(rng() * (rest.length - i));
      [rest[i], rest[j]] = [rest[j], rest[i]];
      out.push(rest[i]);
    }
  }
  return out;
}
