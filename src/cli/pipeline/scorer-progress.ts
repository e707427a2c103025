// Progress of cross-encoder scoring on stderr: a PairScorer wrapper that scores a long call in
// slices and logs done/total, the rate and an ETA at most every `everyMs` (the first line after
// the first slice), so a train split shows it is moving instead of hours of silence.
import type { PairScorer } from '../../core/models';

export function withScoreProgress(inner: PairScorer, log: (line: string) => void, opts: { slice?: number; everyMs?: number; now?: () => number } = {}): PairScorer {
  const slice = opts.slice ?? 256;
  const everyMs = opts.everyMs ?? 5000;
  const now = opts.now ?? (() => performance.now());
  return {
    key: inner.key,
    async score(pairs) {
      if (pairs.length <= slice) return inner.score(pairs);
      const out = new Float32Array(pairs.length);
      const t0 = now();
      let last = -Infinity;
      for (let i = 0; i < pairs.length; i += slice) {
        out.set(await inner.score(pairs.slice(i, i + slice)), i);
        const done = Math.min(i + slice, pairs.length);
        const t = now();
        if (done < pairs.length && t - last >= everyMs) {
          last = t;
          const rate = done / Math.max((t - t0) / 1000, 1e-9);
          log(`cross-encoder: ${done}/${pairs.length} pairs, ${rate.toFixed(0)} pairs/s, ETA ${Math.ceil((pairs.length - done) / rate)} s`);
        }
      }
      return out;
    },
  };
}
