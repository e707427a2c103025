// Query-term highlighting: which parts of a document text contain words of the query.
import type { TokenizerKind } from '../bm25/tokenize';
import { STOPWORDS, termHits, tokenizeWithGaps, words } from './tokens';

export interface Span {
  text: string;
  /** True when this span is a query term. */
  hit: boolean;
}

/** Query terms that remember how they were cut, so documents are cut the same way to find them. */
export type QueryTerms = ReadonlySet<string> & { readonly kind?: TokenizerKind };

/** The distinct content terms of a query (lowercased, stopwords removed), cut as `kind` cuts them. */
export function queryTerms(query: string, kind: TokenizerKind = 'latin'): Set<string> & { readonly kind: TokenizerKind } {
  return Object.assign(new Set(words(query, kind).filter((w) => !STOPWORDS.has(w))), { kind });
}

/**
 * Splits `text` into spans that are or are not query terms. Adjacent tokens of the same
 * kind are merged so a long document renders as few elements. Concatenating the spans'
 * text gives back `text` exactly.
 */
export function highlightSpans(text: string, terms: QueryTerms, kind: TokenizerKind = terms.kind ?? 'latin'): Span[] {
  const spans: Span[] = [];
  const tokens = tokenizeWithGaps(text, kind);
  const hits = termHits(tokens, terms);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const hit = hits[i];
    const prev = spans[spans.length - 1];
    // Adjacent hits are merged too: words written without spaces (Japanese) form one mark.
    if (prev && prev.hit === hit) prev.text += t.text;
    else spans.push({ text: t.text, hit });
  }
  return spans;
}

/**
 * The window of about `size` words of `text` that contains the most query-term
 * occurrences (ties: the earliest). Used to show the best passage of a long positive,
 * where no chunk was stored by the miner. Returns character offsets.
 */
export function bestPassage(text: string, terms: QueryTerms, size = 80, kind: TokenizerKind = terms.kind ?? 'latin'): { start: number; end: number; hits: number } {
  const all = tokenizeWithGaps(text, kind);
  const allHits = termHits(all, terms);
  const toks = all.filter((t) => t.word !== null);
  const isHit = allHits.filter((_, i) => all[i].word !== null);
  if (toks.length <= size) return { start: 0, end: text.length, hits: isHit.filter(Boolean).length };
  let hits = 0;
  for (let i = 0; i < size; i++) if (isHit[i]) hits++;
  let best = hits;
  let bestAt = 0;
  for (let i = size; i < toks.length; i++) {
    if (isHit[i]) hits++;
    if (isHit[i - size]) hits--;
    if (hits > best) {
      best = hits;
      bestAt = i - size + 1;
    }
  }
  return { start: toks[bestAt].start, end: toks[bestAt + size - 1].end, hits: best };
}
