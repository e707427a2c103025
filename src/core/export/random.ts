// Seeded randomness for exports: the same seed gives the same split and the same random
// negatives on every machine, so an export can be reproduced from its dataset card.

/** mulberry32, the same generator mining uses, so both draw identical streams from a seed. */
export { createRng as mulberry32 } from '../selection/random';

/** Fisher–Yates shuffle of a copy, driven by `rand`. */
export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** FNV-1a hash of a string, to derive a per-query seed from the export seed. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
