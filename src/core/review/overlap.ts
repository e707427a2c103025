// Word overlap between a candidate and the positive, for the Review card: the candidate's
// own text in its order, each word marked as shared with the positive or new (not in it),
// and the positive beside it with the words it shares with the candidate marked. Reviewers
// use it to see at a glance whether a near-duplicate sibling (foo vs foo-doc) differs in
// substance.
//
// Word membership in a set, not an alignment: linear in the two texts' lengths (no O(n·m)
// longest common subsequence), so whole documents can be compared on every cursor move.
import type { TokenizerKind } from '../bm25/tokenize';
import { STOPWORDS, termHits, tokenizeWithGaps, type Token } from './tokens';

/** `shared`: the word is in the other text too; `new`: a candidate word the positive lacks. */
export type OverlapMark = 'shared' | 'new';

export interface OverlapSpan {
  text: string;
  /** null: the text between words, function words between words of different marks. */
  mark: OverlapMark | null;
}

export interface WordOverlap {
  /** The candidate's text, cut into spans; their texts concatenate to the candidate. */
  candidate: OverlapSpan[];
  /** The positive (or the window of it asked for), marked 'shared' where the candidate has the word. */
  positive: OverlapSpan[];
  /** Distinct content words: in both texts, only in the candidate, only in the positive. */
  counts: { shared: number; new: number; missing: number };
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The comparison key of a word: lowercased, and NFKC-normalised so that full-width "ＧＮＵ" is
 * "gnu" and "café" is the same word whether its accent is precomposed or combining. Punctuation
 * never reaches here: the tokenizer cuts it out as text between words.
 */
export function wordKey(word: string): string {
  return ASCII.test(word) ? word.toLowerCase() : word.normalize('NFKC').toLowerCase();
}

/** Tokens of `text` with `word` replaced by its comparison key. */
function keyedTokens(text: string, kind: TokenizerKind): Token[] {
  return tokenizeWithGaps(text, kind).map((t) => (t.word === null ? t : { ...t, word: wordKey(t.text) }));
}

/**
 * The terms of a tokenised text that the other side is looked up in: its word keys, and under
 * cjk-bigram the bigrams of adjacent CJK characters too (a CJK character counts as shared
 * when a bigram it belongs to is shared, as BM25 matched it).
 */
function termsOf(tokens: readonly Token[]): Set<string> {
  const terms = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.word === null) continue;
    terms.add(t.word);
    const prev = tokens[i - 1];
    if (t.cjk && prev?.cjk && prev.end === t.start) terms.add(prev.word + t.word);
  }
  return terms;
}

/** Content words (not function words) of `tokens` and whether each is in `other`. */
function classify(tokens: readonly Token[], other: ReadonlySet<string>): Array<boolean | null> {
  const hits = termHits(tokens, other);
  return tokens.map((t, i) => (t.word === null || STOPWORDS.has(t.word) ? null : hits[i]));
}

/**
 * Spans over `tokens[from..to)`, clipped to the characters [start, end). A content word gets
 * `yes` or `no` by its hit; text between words and function words join the mark of the words
 * on both sides when those agree ("GNU compiler for C" is one shared span), else stay plain.
 */
function spansOf(
  tokens: readonly Token[],
  hit: ReadonlyArray<boolean | null>,
  yes: OverlapMark | null,
  no: OverlapMark | null,
  start: number,
  end: number,
): OverlapSpan[] {
  const markAt = (i: number): OverlapMark | null | undefined => (hit[i] === null ? undefined : hit[i] ? yes : no);
  // Mark of the nearest content word after each token (undefined: none).
  const after: Array<OverlapMark | null | undefined> = new Array(tokens.length);
  let next: OverlapMark | null | undefined;
  for (let i = tokens.length - 1; i >= 0; i--) {
    after[i] = next;
    const m = markAt(i);
    if (m !== undefined) next = m;
  }
  const spans: OverlapSpan[] = [];
  let before: OverlapMark | null | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const own = markAt(i);
    const mark = own !== undefined ? own : before !== undefined && before === after[i] ? before : null;
    if (own !== undefined) before = own;
    if (t.end <= start || t.start >= end) continue;
    const text = t.start >= start && t.end <= end ? t.text : t.text.slice(Math.max(0, start - t.start), Math.min(t.text.length, end - t.start));
    const prev = spans[spans.length - 1];
    if (prev && prev.mark === mark) prev.text += text;
    else spans.push({ text, mark });
  }
  return spans;
}

/**
 * Compares `candidate` with `positive` word by word, cut as `kind` cuts them (the run's BM25
 * tokenizer). Words compare case-insensitively after NFKC normalisation; function words
 * (STOPWORDS) are neither shared nor new. `positiveWindow` (character offsets) limits the
 * positive's spans to the passage shown; membership and counts always use the whole texts.
 */
export function wordOverlap(
  positive: string,
  candidate: string,
  kind: TokenizerKind = 'latin',
  positiveWindow: { start: number; end: number } = { start: 0, end: positive.length },
): WordOverlap {
  const pTokens = keyedTokens(positive, kind);
  const cTokens = keyedTokens(candidate, kind);
  const cHit = classify(cTokens, termsOf(pTokens));
  const pHit = classify(pTokens, termsOf(cTokens));
  const distinct = (tokens: readonly Token[], hit: ReadonlyArray<boolean | null>, want: boolean) => {
    const s = new Set<string>();
    tokens.forEach((t, i) => hit[i] === want && s.add(t.word!));
    return s.size;
  };
  return {
    candidate: spansOf(cTokens, cHit, 'shared', 'new', 0, candidate.length),
    positive: spansOf(pTokens, pHit, 'shared', null, positiveWindow.start, positiveWindow.end),
    counts: { shared: distinct(cTokens, cHit, true), new: distinct(cTokens, cHit, false), missing: distinct(pTokens, pHit, false) },
  };
}
