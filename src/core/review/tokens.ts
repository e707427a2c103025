// Word tokenisation shared by the review helpers. Same segmentation as the run's BM25
// tokenizer (core/bm25/tokenize.ts), so what Review highlights as a query term is what the
// lexical retriever matched on: under `latin`, runs of letters, digits, marks and underscore;
// under `segmenter`, Intl.Segmenter words in Japanese, Chinese, Thai…; under `cjk-bigram`, one
// token per CJK character, a character being a hit when a bigram it belongs to is a term.
import { resolveTokenizer, tokenize, wordPieces, type TokenizerKind } from '../bm25/tokenize';
import { parseMemberSpec } from '../spec/member-spec';

const WORD = /[\p{L}\p{N}\p{M}_]+/gu;

/** A word or the text between words, with its offsets in the source string. */
export interface Token {
  text: string;
  start: number;
  end: number;
  /** Lowercased word; null for the text between words (spaces, punctuation). */
  word: string | null;
  /** cjk-bigram: a single CJK character (its terms are the bigrams with its neighbours). */
  cjk?: true;
}

/** Splits text into alternating word / non-word tokens that cover it exactly. */
export function tokenizeWithGaps(text: string, kind: TokenizerKind = 'latin'): Token[] {
  const out: Token[] = [];
  let last = 0;
  const pieces =
    kind === 'latin' ? Array.from(text.matchAll(WORD), (m) => ({ text: m[0], start: m.index, end: m.index + m[0].length, cjk: undefined })) : wordPieces(text, kind, true);
  for (const p of pieces) {
    if (p.start > last) out.push({ text: text.slice(last, p.start), start: last, end: p.start, word: null });
    out.push({ text: p.text, start: p.start, end: p.end, word: p.text.toLowerCase(), ...(p.cjk ? { cjk: true as const } : {}) });
    last = p.end;
  }
  if (last < text.length) out.push({ text: text.slice(last), start: last, end: text.length, word: null });
  return out;
}

/** The lowercased terms of a text: its words, or under `cjk-bigram` the CJK bigrams BM25 indexes. */
export function words(text: string, kind: TokenizerKind = 'latin'): string[] {
  if (kind === 'latin') return Array.from(text.matchAll(WORD), (m) => m[0].toLowerCase());
  return tokenize(text, kind);
}

/**
 * Which word tokens of `tokens` are terms of `terms`: a word when it is one; under cjk-bigram a
 * CJK character when the bigram with its left or right neighbour is (or, alone, itself is).
 */
export function termHits(tokens: readonly Token[], terms: ReadonlySet<string>): boolean[] {
  return tokens.map((t, i) => {
    if (t.word === null) return false;
    if (!t.cjk) return terms.has(t.word);
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const left = prev?.cjk && prev.end === t.start;
    const right = next?.cjk && next.start === t.end;
    if (!left && !right) return terms.has(t.word);
    return Boolean((left && terms.has(prev.word + t.word)) || (right && terms.has(t.word + next.word)));
  });
}

/**
 * Function words that carry no topic: highlighting them would light up half of every
 * document. Deliberately short; content words are never in it. English, plus the Japanese
 * particles and endings and the Chinese function characters the segmenter cuts out as words.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  ...'a an and are as at be by for from has have in is it its of on or that the this to was were will with'.split(' '),
  ...'の に は を が で と も や へ な た て から まで より です ます する した して いる ある れる られる こと もの'.split(' '),
  ...'的 了 是 在 和 与 及 也'.split(' '),
]);

/**
 * The tokenizer Review cuts text with: the run's BM25 tokenizer when it names one; `auto` (or a
 * run without BM25) is resolved on `texts` (the query and its positives), as BM25 resolves it
 * on the corpus.
 */
export function reviewTokenizer(memberSpecs: readonly string[], texts: () => Iterable<string>): TokenizerKind {
  for (const spec of memberSpecs) {
    if (!spec.trim().startsWith('bm25')) continue;
    const m = parseMemberSpec(spec);
    if (m.kind === 'bm25') return resolveTokenizer(m.tokenizer, texts);
  }
  return resolveTokenizer('auto', texts);
}
