// The one order of a corpus's document ids that random negatives are drawn from: sorted by
// UTF-16 code units. The CLI reads documents in file order and the app in IndexedDB order;
// drawing from each one's own order would give different random negatives for one seed.

export function corpusOrder(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Documents in corpusOrder: the order the app indexes them in, which decides exact-score ties. */
export function inCorpusOrder<T extends { id: string }>(docs: readonly T[]): T[] {
  return [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
