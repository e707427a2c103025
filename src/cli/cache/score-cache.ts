// Cross-encoder scores on disk, like embeddings (--cache DIR): one JSON file per scorer key,
// mapping a hash of (query, document) to the logit. It wraps any PairScorer, so the mining
// loop that calls `score` needs no change, and a second run with the same --cache scores
// only pairs it has not seen.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PairScorer } from '../../core/models';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export interface CachedPairScorer extends PairScorer {
  /** Pairs scored by the model / answered from the cache so far. */
  readonly stats: { scored: number; cached: number };
}

export function withScoreCache(inner: PairScorer, dir: string): CachedPairScorer {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ce-${sha(inner.key).slice(0, 24)}.json`);
  const scores = new Map<string, number>(existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : []);
  const stats = { scored: 0, cached: 0 };
  const save = () => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(scores)));
    renameSync(tmp, file);
  };
  return {
    key: inner.key,
    stats,
    async score(pairs) {
      const keys = pairs.map(([q, d]) => sha(`${q}\u0000${d}`).slice(0, 32));
      const out = new Float32Array(pairs.length);
      const missing: number[] = [];
      keys.forEach((k, i) => {
        const v = scores.get(k);
        if (v === undefined) missing.push(i);
        else out[i] = v;
      });
      stats.cached += pairs.length - missing.length;
      if (missing.length) {
        const fresh = await inner.score(missing.map((i) => pairs[i]));
        missing.forEach((i, j) => {
          out[i] = fresh[j];
          scores.set(keys[i], fresh[j]);
        });
        stats.scored += missing.length;
        save();
      }
      return out;
    },
  };
}
