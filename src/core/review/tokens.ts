// Word tokenisation shared by the review helpers. Same word definition as BM25
// (runs of letters, digits, marks, underscore), so what Review highlights as a query
// term is what the lexical retriever matched on.

const WORD = /[\p{L}\p{N}\p{M}_]+/gu;

/** A word or the text between words, with its offsets in the source string. */
export interface Token {
  text: string;
  start: number;
  end: number;
  /** Lowercased word; null for the text between words (spaces, punctuation). */
  word: string | null;
}

/** Splits text into alternating word / non-word tokens that cover it exactly. */
export function tokenizeWithGaps(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    if (start > last) out.push({ text: text.slice(last, start), start: last, end: start, word: null });
    out.push({ text: m[0], start, end: start + m[0].length, word: m[0].toLowerCase() });
    last = start + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), start: last, end: text.length, word: null });
  return out;
}

/** The lowercased words of a text. */
export function words(text: string): string[] {
  return Array.from(text.matchAll(WORD), (m) => m[0].toLowerCase());
}

/**
 * Function words that carry no topic: highlighting them would light up half of every
 * document. Deliberately short (English only); content words are never in it.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were will with'.split(' '),
);
