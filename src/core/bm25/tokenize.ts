// The BM25 tokenizers.
//
// `latin` (the reference): lowercase, then runs of Unicode letters, digits and underscore.
// This reproduces Python's `re.findall(r"\w+", text.lower())` (what the reference
// recipe/bm25_check.py and most Python BM25 scripts use). Python's `\w` on str is
// `str.isalnum() or "_"`, i.e. Unicode categories L* and N* plus "_"; combining marks
// (M*) are NOT word characters there, so "cafe\u0301" yields ["cafe"] and Devanagari vowel
// signs split words. We therefore deliberately leave \p{M} out: with it, 6 documents of
// the Debian corpus would tokenize differently from the reference.
//
// Japanese, Chinese, Korean and Thai are written without spaces between words, so `latin`
// makes a whole sentence one "word" and BM25 matches almost nothing. The two other
// tokenizers only re-cut the runs that contain characters of those scripts; every other run
// tokenizes exactly as `latin` (so English inside Japanese text, or an English corpus, is
// unchanged):
//   `cjk-bigram`  Han / Hiragana / Katakana / Hangul runs → overlapping character bigrams
//                 (a lone character stays a unigram), as Lucene's CJKAnalyzer. Thai, Lao,
//                 Khmer and Myanmar have no useful bigrams (vowel signs are marks) and go
//                 through Intl.Segmenter. Deterministic: no dictionary, same in every browser.
//   `segmenter`   Intl.Segmenter word boundaries (ICU dictionaries for CJ, Thai, …). Results
//                 can differ slightly between ICU versions (Node vs a browser).
// `auto` picks one from the corpus (detectTokenizer); it is resolved before indexing and the
// resolved kind is what a run stores and shows.

export type TokenizerKind = 'latin' | 'cjk-bigram' | 'segmenter';
export type TokenizerOption = TokenizerKind | 'auto';
export const TOKENIZER_OPTIONS: readonly TokenizerOption[] = ['auto', 'latin', 'cjk-bigram', 'segmenter'];
/** What `auto` resolves to for a corpus in an unsegmented script: the best on debian-pkgs-ja dev (README). */
export const UNSEGMENTED_DEFAULT: TokenizerKind = 'segmenter';

const WORD = /[\p{L}\p{N}_]+/gu;
/** A word run with its combining marks (Thai vowel signs), the unit the CJK tokenizers re-cut. */
const WORD_WITH_MARKS = /[\p{L}\p{N}\p{M}_]+/gu;
const CJK_CHAR = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}';
const SEA_CHAR = '\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}';
const UNSEGMENTED = new RegExp(`[${CJK_CHAR}${SEA_CHAR}]`, 'u');
const UNSEGMENTED_G = new RegExp(`[${CJK_CHAR}${SEA_CHAR}]`, 'gu');
/** One run of CJK letters, one run of Southeast Asian letters with their marks, or anything else. */
const SCRIPT_PART = new RegExp(`([${CJK_CHAR}]+)|([${SEA_CHAR}\\p{M}]*[${SEA_CHAR}][${SEA_CHAR}\\p{M}]*)|([^${CJK_CHAR}${SEA_CHAR}]+)`, 'gu');
const LETTER_G = /\p{L}/gu;

let wordSegmenter: Intl.Segmenter | null = null;
function segmenter(): Intl.Segmenter {
  // No locale: ICU picks the dictionary by script, so the result does not depend on the UI language.
  wordSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  return wordSegmenter;
}

/** Lowercased tokens of `text`, in order, duplicates kept. `latin` (default) is the reference `\w+`. */
export function tokenize(text: string, kind: TokenizerKind = 'latin'): string[] {
  const lower = text.toLowerCase();
  if (kind === 'latin') return lower.match(WORD) ?? [];
  const out: string[] = [];
  for (const m of lower.matchAll(WORD_WITH_MARKS)) {
    const run = m[0];
    if (!UNSEGMENTED.test(run)) {
      // Same tokens as `latin`: splitting a mark-joined run at its marks gives latin's runs.
      for (const t of run.match(WORD) ?? []) out.push(t);
    } else if (kind === 'segmenter') {
      segmentWords(run, out);
    } else {
      bigramRun(run, out);
    }
  }
  return out;
}

/** cjk-bigram on one word run that contains unsegmented-script characters. */
function bigramRun(run: string, out: string[]): void {
  for (const p of run.matchAll(SCRIPT_PART)) {
    if (p[1] !== undefined) {
      const chars = Array.from(p[1]);
      if (chars.length === 1) out.push(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    } else if (p[2] !== undefined) {
      segmentWords(p[2], out);
    } else {
      for (const t of p[3].match(WORD) ?? []) out.push(t);
    }
  }
}

/** Intl.Segmenter words of `text`; a word without unsegmented-script letters is cut like `latin`. */
function segmentWords(text: string, out: string[]): void {
  for (const s of segmenter().segment(text)) {
    if (!s.isWordLike) continue;
    if (UNSEGMENTED.test(s.segment)) out.push(s.segment);
    else for (const t of s.segment.match(WORD) ?? []) out.push(t);
  }
}

/**
 * Share of letters in unsegmented scripts (CJK, Thai, …) above which `auto` leaves `latin`.
 * An English corpus with a few Japanese font names stays `latin` (reference parity); a Japanese
 * corpus full of English package names is still mostly kana and kanji.
 */
export const UNSEGMENTED_SHARE = 0.1;

/** Letters in unsegmented scripts vs all letters, over `texts`. */
export function unsegmentedShare(texts: Iterable<string>): number {
  let letters = 0;
  let unseg = 0;
  for (const t of texts) {
    letters += t.match(LETTER_G)?.length ?? 0;
    unseg += t.match(UNSEGMENTED_G)?.length ?? 0;
  }
  return letters === 0 ? 0 : unseg / letters;
}

/** The tokenizer `auto` means for these texts: latin unless unsegmented scripts make up ≥ UNSEGMENTED_SHARE of the letters. */
export function detectTokenizer(texts: Iterable<string>): TokenizerKind {
  return unsegmentedShare(texts) >= UNSEGMENTED_SHARE ? UNSEGMENTED_DEFAULT : 'latin';
}

/** Resolves `auto` against the corpus; a concrete kind is returned as is. */
export function resolveTokenizer(option: TokenizerOption, texts: () => Iterable<string>): TokenizerKind {
  return option === 'auto' ? detectTokenizer(texts()) : option;
}

export function isTokenizerOption(s: string): s is TokenizerOption {
  return (TOKENIZER_OPTIONS as readonly string[]).includes(s);
}
