// Stable ids for imported texts that come without ids: a 64-bit hash of the exact text,
// so identical texts share an id across rows, files and imports.

/** cyrb53-style hash (two 32-bit lanes, 64 bits shown): fast, sync, and well spread for text. */
export function hash64(text: string): string {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** `q-<hash>` for queries, `d-<hash>` for documents. */
export function textId(kind: 'q' | 'd', text: string): string {
  return `${kind}-${hash64(text)}`;
}
