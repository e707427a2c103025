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
  const pieces = wordPieces(lower, kind);
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (!p.cjk) {
      out.push(p.text);
      continue;
    }
    // Bigrams of a run of CJK characters (adjacent pieces); a lone character stays a unigram.
    const next = pieces[i + 1];
    const joined = next?.cjk && next.start === p.end;
    if (joined) out.push(p.text + next.text);
    else if (!(i > 0 && pieces[i - 1].cjk && pieces[i - 1].end === p.start)) out.push(p.text);
  }
  return out;
}

/** A word of a text with its offsets; under `cjk-bigram`, CJK letters come one per piece (`cjk`). */
export interface WordPiece {
  text: string;
  start: number;
  end: number;
  /** cjk-bigram: one Han/kana/Hangul character, whose bigrams with its neighbours are the terms. */
  cjk?: true;
}

/**
 * The words of `text` (not lowercased) under a tokenizer other than `latin`, with offsets, in
 * order. Runs without unsegmented-script letters are cut at combining marks as `latin` does,
 * unless `keepMarks` (the review screen shows "café" written with a combining accent as one word).
 */
export function wordPieces(text: string, kind: Exclude<TokenizerKind, 'latin'>, keepMarks = false): WordPiece[] {
  const out: WordPiece[] = [];
  const plain = (s: string, at: number) => {
    if (keepMarks) out.push({ text: s, start: at, end: at + s.length });
    else for (const m of s.matchAll(WORD)) out.push({ text: m[0], start: at + m.index, end: at + m.index + m[0].length });
  };
  for (const m of text.matchAll(WORD_WITH_MARKS)) {
    const run = m[0];
    const at = m.index;
    if (!UNSEGMENTED.test(run)) plain(run, at);
    else if (kind === 'segmenter') segmentWords(run, at, out, plain);
    else {
      for (const p of run.matchAll(SCRIPT_PART)) {
        const pAt = at + p.index;
        if (p[1] !== undefined) {
          let off = pAt;
          for (const ch of p[1]) {
            out.push({ text: ch, start: off, end: off + ch.length, cjk: true });
            off += ch.length;
          }
        } else if (p[2] !== undefined) segmentWords(p[2], pAt, out, plain);
        else plain(p[3], pAt);
      }
    }
  }
  return out;
}

/** Intl.Segmenter words of `text` (at offset `at`); a word without unsegmented-script letters goes to `plain`. */
function segmentWords(text: string, at: number, out: WordPiece[], plain: (s: string, at: number) => void): void {
  for (const s of segmenter().segment(text)) {
    if (!s.isWordLike) continue;
    if (UNSEGMENTED.test(s.segment)) out.push({ text: s.segment, start: at + s.index, end: at + s.index + s.segment.length });
    else plain(s.segment, at + s.index);
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
