// Building model inputs from token ids the way Python's (fast) tokenizer does with
// `truncation=True`. transformers.js truncates the finished sequence and so drops the final
// [SEP]; we tokenize without special tokens, truncate the content ourselves and wrap it in
// the special tokens afterwards, so our ids equal the Python tokenizer's ids exactly.

/** Where special tokens go around one sequence: BERT `[CLS] a [SEP]`. */
export interface SingleTemplate {
  prefix: number[];
  suffix: number[];
}

/** Where special tokens go around a pair: BERT `[CLS] a [SEP] b [SEP]`, with segment ids. */
export interface PairTemplate {
  prefix: number[];
  mid: number[];
  suffix: number[];
  /** Segment ids of prefix, first text and mid (BERT: 0). */
  typeA: number;
  /** Segment ids of second text and suffix (BERT: 1). */
  typeB: number;
}

export function bertTemplates(cls: number, sep: number): { single: SingleTemplate; pair: PairTemplate } {
  return {
    single: { prefix: [cls], suffix: [sep] },
    pair: { prefix: [cls], mid: [sep], suffix: [sep], typeA: 0, typeB: 1 },
  };
}

export interface EncodedInput {
  inputIds: number[];
  tokenTypeIds: number[];
}

/** How many content tokens fit in maxLen once the template's specials are added. */
export function singleRoom(maxLen: number, t: SingleTemplate): number {
  return Math.max(0, maxLen - t.prefix.length - t.suffix.length);
}

/** prefix + ids + suffix, the content cut so the whole is at most maxLen tokens. */
export function buildSingle(ids: readonly number[], maxLen: number, t: SingleTemplate): EncodedInput {
  const room = singleRoom(maxLen, t);
  const body = ids.length > room ? ids.slice(0, room) : ids;
  const inputIds = [...t.prefix, ...body, ...t.suffix];
  return { inputIds, tokenTypeIds: new Array<number>(inputIds.length).fill(0) };
}

/**
 * Lengths the two sequences keep under `longest_first` truncation with `room` content
 * tokens, as the Rust `tokenizers` library computes them (truncate_encodings): the shorter
 * sequence is kept whole when the longer can still hold at least as many tokens; otherwise
 * both get half, the odd token going to the one that was longer (the second on a tie).
 */
export function longestFirstLengths(n1: number, n2: number, room: number): [number, number] {
  if (n1 + n2 <= room) return [n1, n2];
  const swap = n1 > n2;
  let a = swap ? n2 : n1; // shorter
  let b = a > room ? a : Math.max(a, room - a); // longer
  if (a + b > room) {
    a = Math.floor(room / 2);
    b = a + (room % 2);
  }
  return swap ? [b, a] : [a, b];
}

/** prefix a mid b suffix, longest-first truncated to at most maxLen tokens in all. */
export function buildPair(a: readonly number[], b: readonly number[], maxLen: number, t: PairTemplate): EncodedInput {
  const room = Math.max(0, maxLen - t.prefix.length - t.mid.length - t.suffix.length);
  const [na, nb] = longestFirstLengths(a.length, b.length, room);
  const inputIds = [...t.prefix, ...a.slice(0, na), ...t.mid, ...b.slice(0, nb), ...t.suffix];
  const lenA = t.prefix.length + na + t.mid.length;
  const tokenTypeIds = new Array<number>(inputIds.length);
  for (let i = 0; i < inputIds.length; i++) tokenTypeIds[i] = i < lenA ? t.typeA : t.typeB;
  return { inputIds, tokenTypeIds };
}

/**
 * Groups item indices into batches of similar length (less padding: sorting by length
 * doubled throughput in Node). Each batch holds at most `maxBatch` items and, past its
 * first item, at most `maxTokens` padded tokens. Returns batches of original indices.
 */
export function lengthBatches(lengths: readonly number[], maxBatch: number, maxTokens = Infinity): number[][] {
  const order = lengths.map((_, i) => i).sort((x, y) => lengths[y] - lengths[x] || x - y);
  const batches: number[][] = [];
  let cur: number[] = [];
  let curMax = 0;
  for (const i of order) {
    const len = lengths[i];
    const newMax = Math.max(curMax, len);
    if (cur.length > 0 && (cur.length >= maxBatch || newMax * (cur.length + 1) > maxTokens)) {
      batches.push(cur);
      cur = [];
    }
    cur.push(i);
    curMax = cur.length === 1 ? len : Math.max(curMax, len);
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}
