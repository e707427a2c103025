// Train/dev split by query: every query lands in exactly one side, so no query (and none
// of its rows) leaks from train into dev.
import { mulberry32, shuffled } from './random';

export interface SplitOptions {
  /** Fraction of queries that go to dev, in [0, 1). 0 puts everything in train. */
  devFraction: number;
  seed: number;
}

export interface QuerySplit {
  train: string[];
  dev: string[];
}

/**
 * Deterministic split: ids are sorted first (so input order does not matter), shuffled
 * with the seed, and the first round(n × devFraction) become dev. Duplicate ids count once.
 */
export function splitByQuery(queryIds: readonly string[], opts: SplitOptions): QuerySplit {
  if (!(opts.devFraction >= 0 && opts.devFraction < 1)) {
    throw new Error(`dev fraction must be in [0, 1), got ${opts.devFraction}`);
  }
  const unique = [...new Set(queryIds)].sort();
  const order = shuffled(unique, mulberry32(opts.seed));
  const nDev = Math.round(unique.length * opts.devFraction);
  const dev = new Set(order.slice(0, nDev));
  // Keep each side in the original sorted order: stable files, easy diffs between exports.
  return { train: unique.filter((q) => !dev.has(q)), dev: unique.filter((q) => dev.has(q)) };
}
