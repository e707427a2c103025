// Splitting long documents into chunks that are embedded / scored separately; a document then
// scores as its best chunk (MaxP, Dai & Callan 2019). Chunks keep character offsets into the
// original text so the review screen can highlight the winning passage.
import { docText } from '../types';

export interface Chunk {
  /** 0-based position of the chunk in its document. */
  idx: number;
  text: string;
  /** Character offsets into the document text: text === doc.slice(start, end). */
  start: number;
  end: number;
}

export type ChunkSpec =
  | { kind: 'none' }
  | { kind: 'tokens'; size: number; overlap: number }
  | { kind: 'paragraphs'; maxChars: number }
  | { kind: 'sentences'; maxChars: number };

export const DEFAULT_PARAGRAPH_CHARS = 1000;
/**
 * Sentence chunks default to 400 characters: about 256 model tokens of Japanese (a kana or
 * kanji is usually one WordPiece token), and a few English sentences.
 */
export const DEFAULT_SENTENCE_CHARS = 400;

/** Parses `--chunk none | tokens:SIZE:OVERLAP | paragraphs[:MAXCHARS] | sentences[:MAXCHARS]`. */
export function parseChunkSpec(spec: string): ChunkSpec {
  const parts = spec.trim().split(':');
  const int = (s: string | undefined, what: string): number => {
    if (s === undefined || !/^\d+$/.test(s)) throw new Error(`chunk "${spec}": ${what} must be a whole number, got "${s ?? ''}"`);
    return Number(s);
  };
  switch (parts[0]) {
    case 'none':
      if (parts.length !== 1) throw new Error(`chunk "${spec}": none takes no argument`);
      return { kind: 'none' };
    case 'tokens': {
      if (parts.length !== 3) throw new Error(`chunk "${spec}": expected tokens:SIZE:OVERLAP, e.g. tokens:256:32`);
      const size = int(parts[1], 'SIZE');
      const overlap = int(parts[2], 'OVERLAP');
      if (size < 1) throw new Error(`chunk "${spec}": SIZE must be ≥ 1`);
      if (overlap >= size) throw new Error(`chunk "${spec}": OVERLAP must be smaller than SIZE`);
      return { kind: 'tokens', size, overlap };
    }
    case 'paragraphs':
    case 'sentences': {
      const kind = parts[0];
      if (parts.length > 2) throw new Error(`chunk "${spec}": expected ${kind} or ${kind}:MAXCHARS`);
      const maxChars = parts.length === 2 ? int(parts[1], 'MAXCHARS') : kind === 'paragraphs' ? DEFAULT_PARAGRAPH_CHARS : DEFAULT_SENTENCE_CHARS;
      if (maxChars < 1) throw new Error(`chunk "${spec}": MAXCHARS must be ≥ 1`);
      return { kind, maxChars };
    }
    default:
      throw new Error(`unknown chunking "${spec}"; expected none, tokens:SIZE:OVERLAP, paragraphs[:MAXCHARS] or sentences[:MAXCHARS]`);
  }
}

/**
 * Windows of `size` tokens advancing by `size − overlap`, over the token `spans` ([start, end)
 * character offsets, in order) of `text`. Each chunk runs from its first token's start to its
 * last token's end. The last window ends at the last token (it may be shorter). A text without
 * tokens yields one chunk holding the whole text, so every document has at least one chunk.
 */
export function chunkTokens(text: string, spans: ReadonlyArray<readonly [number, number]>, size: number, overlap: number): Chunk[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chunkTokens: size must be an integer ≥ 1, got ${size}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) throw new Error(`chunkTokens: overlap must be an integer in [0, size), got ${overlap}`);
  if (spans.length === 0) return [{ idx: 0, text, start: 0, end: text.length }];
  const stride = size - overlap;
  const out: Chunk[] = [];
  for (let first = 0; ; first += stride) {
    const last = Math.min(first + size, spans.length) - 1;
    const start = spans[first][0], end = spans[last][1];
    out.push({ idx: out.length, text: text.slice(start, end), start, end });
    if (last === spans.length - 1) break;
  }
  return out;
}

/**
 * Paragraph chunks: paragraphs are separated by blank lines; consecutive paragraphs are merged
 * while the merged chunk stays within `maxChars` (so tiny paragraphs do not become tiny
 * chunks), and a single paragraph longer than `maxChars` is cut at whitespace (or hard-cut when
 * a word is longer than maxChars). Offsets exclude surrounding whitespace.
 */
export function chunkParagraphs(text: string, maxChars = DEFAULT_PARAGRAPH_CHARS): Chunk[] {
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new Error(`chunkParagraphs: maxChars must be an integer ≥ 1, got ${maxChars}`);
  const paras: Array<[number, number]> = [];
  const sep = /\n[ \t\r\f\v]*\n\s*/g;
  let from = 0;
  for (let m = sep.exec(text); m; m = sep.exec(text)) {
    pushTrimmed(text, paras, from, m.index);
    from = m.index + m[0].length;
  }
  pushTrimmed(text, paras, from, text.length);
  return packRanges(text, paras, maxChars);
}

/** Ends a sentence in Japanese and Chinese text: 。！？ (and fullwidth/ASCII variants), then closing brackets. */
const CJK_SENTENCE_END = /[。！？｡!?]+[」』）)】〕"'”’]*/g;

let sentenceSegmenter: Intl.Segmenter | null = null;

/**
 * Sentence chunks: sentences end at 。！？ and wherever `Intl.Segmenter` (granularity
 * 'sentence', ICU rules: ". " in English, line and paragraph breaks) puts a boundary.
 * Consecutive sentences are packed into chunks of at most `maxChars` characters; a sentence
 * longer than that is cut at whitespace (hard-cut in text without spaces, such as Japanese).
 * Offsets exclude surrounding whitespace.
 */
export function chunkSentences(text: string, maxChars = DEFAULT_SENTENCE_CHARS): Chunk[] {
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new Error(`chunkSentences: maxChars must be an integer ≥ 1, got ${maxChars}`);
  const cuts = new Set<number>([0, text.length]);
  // No locale: the rules are the same for all languages, so the result does not depend on the UI language.
  sentenceSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'sentence' });
  for (const s of sentenceSegmenter.segment(text)) cuts.add(s.index);
  for (const m of text.matchAll(CJK_SENTENCE_END)) cuts.add(m.index + m[0].length);
  const at = [...cuts].sort((a, b) => a - b);
  const sentences: Array<[number, number]> = [];
  for (let i = 0; i + 1 < at.length; i++) pushTrimmed(text, sentences, at[i], at[i + 1]);
  return packRanges(text, sentences, maxChars);
}

/** Appends [s, e) to `out` without its leading and trailing whitespace, unless nothing is left. */
function pushTrimmed(text: string, out: Array<[number, number]>, s: number, e: number): void {
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e > s) out.push([s, e]);
}

/**
 * Chunks from ordered, trimmed ranges (paragraphs, sentences): a range longer than `maxChars`
 * is cut at whitespace (hard-cut when no whitespace is near), then consecutive pieces are merged
 * greedily while the merged chunk stays within `maxChars`. No ranges: one chunk of the whole text.
 */
function packRanges(text: string, ranges: Array<[number, number]>, maxChars: number): Chunk[] {
  if (ranges.length === 0) return [{ idx: 0, text, start: 0, end: text.length }];
  const pieces: Array<[number, number]> = [];
  for (const [s, e] of ranges) {
    let a = s;
    while (e - a > maxChars) {
      let cut = a + maxChars;
      while (cut > a && !/\s/.test(text[cut])) cut--;
      if (cut === a) cut = a + maxChars; // one word longer than maxChars
      let b = cut;
      while (b > a && /\s/.test(text[b - 1])) b--;
      pieces.push([a, b]);
      a = cut;
      while (a < e && /\s/.test(text[a])) a++;
    }
    if (e > a) pieces.push([a, e]);
  }
  const out: Chunk[] = [];
  let [cs, ce] = pieces[0];
  const flush = () => out.push({ idx: out.length, text: text.slice(cs, ce), start: cs, end: ce });
  for (let i = 1; i < pieces.length; i++) {
    const [s, e] = pieces[i];
    if (e - cs <= maxChars) ce = e;
    else {
      flush();
      [cs, ce] = [s, e];
    }
  }
  flush();
  return out;
}

/** Chunks of one text under a spec; `spans` is required for token chunking. */
export function chunkText(text: string, spec: ChunkSpec, spans?: ReadonlyArray<readonly [number, number]>): Chunk[] {
  switch (spec.kind) {
    case 'none':
      return [{ idx: 0, text, start: 0, end: text.length }];
    case 'paragraphs':
      return chunkParagraphs(text, spec.maxChars);
    case 'sentences':
      return chunkSentences(text, spec.maxChars);
    case 'tokens':
      if (!spans) throw new Error('chunkText: token chunking needs the token spans of the text');
      return chunkTokens(text, spans, spec.size, spec.overlap);
  }
}

/**
 * Chunks kept per document by default. On the manual pages (pkgs-static, tokens:200:50,
 * nDCG@10 on dev): unchunked 0.538; MaxP over the first 2 / 4 / 8 / 16 / all chunks 0.556 /
 * 0.563 / 0.557 / 0.544 / 0.514. Past the first few windows, the extra chunks of very long
 * pages mostly add chances of a spurious best match (and cost: one page has hundreds).
 */
export const DEFAULT_MAX_CHUNKS = 8;

export interface DocChunk extends Chunk {
  /** What a model embeds for this chunk: `title: chunk`, as for a whole document. */
  unitText: string;
}

/**
 * A document's retrieval units when chunking: the body (not the title) is chunked, at most
 * `maxChunks` chunks are kept (0 = all), and every chunk carries the title. On manual pages
 * the title is the command's name, the strongest clue; without it every chunk after the
 * first competes blind and MaxP loses what chunking gained. Offsets are into `doc.text`.
 * The CLI (`quarry eval/mine --chunk`) and the browser mining worker both use this, so the
 * same spec gives the same units.
 */
export function chunkDocument(
  doc: { title: string; text: string },
  spec: ChunkSpec,
  spans?: ReadonlyArray<readonly [number, number]>,
  maxChunks = DEFAULT_MAX_CHUNKS,
): DocChunk[] {
  const all = chunkText(doc.text, spec, spans);
  const kept = maxChunks > 0 ? all.slice(0, maxChunks) : all;
  return kept.map((c) => ({ ...c, unitText: docText({ title: doc.title, text: c.text }) }));
}
