// Query-term highlighting: which parts of a document text contain words of the query.
import { STOPWORDS, tokenizeWithGaps, words } from './tokens';

export interface Span {
  text: string;
  /** True when this span is a query term. */
  hit: boolean;
}

/** The distinct content words of a query (lowercased, stopwords removed). */
export function queryTerms(query: string): Set<string> {
  return new Set(words(query).filter((w) => !STOPWORDS.has(w)));
}

/**
 * Splits `text` into spans that are or are not query terms. Adjacent non-hit tokens
 * are merged so a long document renders as few elements. Concatenating the spans'
 * text gives back `text` exactly.
 */
export function highlightSpans(text: string, terms: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  for (const t of tokenizeWithGaps(text)) {
    const hit = t.word !== null && terms.has(t.word);
    const prev = spans[spans.length - 1];
    if (prev && !prev.hit && !hit) prev.text += t.text;
    else spans.push({ text: t.text, hit });
  }
  return spans;
}

/**
 * The window of about `size` words of `text` that contains the most query-term
 * occurrences (ties: the earliest). Used to show the best passage of a long positive,
 * where no chunk was stored by the miner. Returns character offsets.
 */
export function bestPassage(text: string, terms: ReadonlySet<string>, size = 80): { start: number; end: number; hits: number } {
  const toks = tokenizeWithGaps(text).filter((t) => t.word !== null);
  if (toks.length <= size) return { start: 0, end: text.length, hits: toks.filter((t) => terms.has(t.word!)).length };
  let hits = 0;
  for (let i = 0; i < size; i++) if (terms.has(toks[i].word!)) hits++;
  let best = hits;
  let bestAt = 0;
  for (let i = size; i < toks.length; i++) {
    if (terms.has(toks[i].word!)) hits++;
    if (terms.has(toks[i - size].word!)) hits--;
    if (hits > best) {
      best = hits;
      bestAt = i - size + 1;
    }
  }
  return { start: toks[bestAt].start, end: toks[bestAt + size - 1].end, hits: best };
}
