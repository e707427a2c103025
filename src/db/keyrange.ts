// Bounds for "every key starting with ..." ranges over compound indexes.
// Not Dexie.maxKey: it is one shared array object, and IndexedDB rejects a key that
// contains the same array twice (the spec's cycle check), so [p, maxKey, maxKey] fails.

/** Below every key (numbers sort first in IndexedDB). */
export const LO = -Infinity;
/** Above every string, number or date key component: a fresh empty array each call. */
export function hi(): never[] {
  return [];
}

/** [lower, upper] covering every key whose first component is `prefix`, for an index of `parts` components. */
export function prefixRange(prefix: unknown, parts: number): [unknown[], unknown[]] {
  const lower: unknown[] = [prefix];
  const upper: unknown[] = [prefix];
  for (let i = 1; i < parts; i++) {
    lower.push(LO);
    upper.push(hi());
  }
  return [lower, upper];
}
