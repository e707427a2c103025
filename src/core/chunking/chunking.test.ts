import { describe, expect, it } from 'vitest';
import { chunkDocument, chunkId, chunkParagraphs, chunkSentences, chunkText, chunkTokens, DEFAULT_MAX_CHUNKS, maxP, maxPHits, parseChunkId, parseChunkSpec } from './index';

/** Whitespace token spans, standing in for a model tokenizer. */
function spansOf(text: string): Array<[number, number]> {
  return [...text.matchAll(/\S+/g)].map((m) => [m.index!, m.index! + m[0].length]);
}

describe('chunkTokens', () => {
  const text = 'a bb ccc dd e ff g';
  // tokens: 0 a, 1 bb, 2 ccc, 3 dd, 4 e, 5 ff, 6 g (7 tokens)
  it('makes windows of SIZE tokens with OVERLAP, mapped back to characters', () => {
    const chunks = chunkTokens(text, spansOf(text), 3, 1); // stride 2: [0-2], [2-4], [4-6]
    expect(chunks.map((c) => c.text)).toEqual(['a bb ccc', 'ccc dd e', 'e ff g']);
    for (const c of chunks) expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(chunks.map((c) => c.idx)).toEqual([0, 1, 2]);
  });
  it('ends with a shorter window and never emits a window fully inside the previous one', () => {
    expect(chunkTokens(text, spansOf(text), 4, 0).map((c) => c.text)).toEqual(['a bb ccc dd', 'e ff g']);
    expect(chunkTokens(text, spansOf(text), 5, 2).map((c) => c.text)).toEqual(['a bb ccc dd e', 'dd e ff g']);
    expect(chunkTokens(text, spansOf(text), 10, 3).map((c) => c.text)).toEqual([text]);
  });
  it('keeps one chunk for a text without tokens and validates arguments', () => {
    expect(chunkTokens('  ', [], 4, 1)).toEqual([{ idx: 0, text: '  ', start: 0, end: 2 }]);
    expect(() => chunkTokens(text, spansOf(text), 3, 3)).toThrow(/overlap must be an integer in \[0, size\)/);
  });
});

describe('chunkSentences', () => {
  const ja = '0 A.D. は自由なゲームです。古代戦争を再現します！本当に？ はい。';
  it('ends Japanese sentences at 。！？ and packs them up to maxChars', () => {
    // the 。 stays with its sentence; ICU ends "A.D. " before a new sentence; short ones are packed
    expect(chunkSentences(ja, 16).map((c) => c.text)).toEqual(['0 A.D.', 'は自由なゲームです。', '古代戦争を再現します！本当に？', 'はい。']);
    expect(chunkSentences(ja, 11).map((c) => c.text)).toEqual(['0 A.D.', 'は自由なゲームです。', '古代戦争を再現します！', '本当に？ はい。']);
    expect(chunkSentences('本当に？ はい。', 5).map((c) => c.text)).toEqual(['本当に？', 'はい。']);
    for (const c of chunkSentences(ja, 11)) expect(ja.slice(c.start, c.end)).toBe(c.text);
    expect(chunkSentences(ja, 1000).map((c) => c.text)).toEqual([ja]);
  });
  it('keeps closing brackets with their sentence and splits English at ". "', () => {
    expect(chunkSentences('「終わり。」次の文。', 6).map((c) => c.text)).toEqual(['「終わり。」', '次の文。']);
    expect(chunkSentences('First one. Second one? Third.', 12).map((c) => c.text)).toEqual(['First one.', 'Second one?', 'Third.']);
  });
  it('hard-cuts a sentence longer than maxChars that has no spaces', () => {
    expect(chunkSentences('あいうえおかきくけこさしす。', 5).map((c) => c.text)).toEqual(['あいうえお', 'かきくけこ', 'さしす。']);
  });
  it('is a --chunk spec with a default size, used by chunkText', () => {
    expect(parseChunkSpec('sentences')).toEqual({ kind: 'sentences', maxChars: 400 });
    expect(parseChunkSpec('sentences:120')).toEqual({ kind: 'sentences', maxChars: 120 });
    expect(() => parseChunkSpec('sentences:x')).toThrow(/MAXCHARS must be a whole number/);
    expect(chunkText('一。二。', { kind: 'sentences', maxChars: 2 }).map((c) => c.text)).toEqual(['一。', '二。']);
    expect(chunkSentences('   ')).toEqual([{ idx: 0, text: '   ', start: 0, end: 3 }]);
  });
});

describe('chunkParagraphs', () => {
  it('splits at blank lines and merges small paragraphs up to maxChars', () => {
    const text = 'Para one.\n\nPara two.\n  \nA third, longer paragraph here.';
    // paragraphs at [0,9), [11,20), [24,55); merged while end − start ≤ 20
    const chunks = chunkParagraphs(text, 20);
    expect(chunks.map((c) => c.text)).toEqual(['Para one.\n\nPara two.', 'A third, longer paragraph here.'.slice(0, 15), 'paragraph here.']);
    for (const c of chunks) expect(text.slice(c.start, c.end)).toBe(c.text);
  });
  it('cuts an over-long paragraph at whitespace, hard-cutting a single huge word', () => {
    const chunks = chunkParagraphs('aaaa bbbb cccc', 9);
    expect(chunks.map((c) => c.text)).toEqual(['aaaa bbbb', 'cccc']);
    expect(chunkParagraphs('abcdefghij', 4).map((c) => c.text)).toEqual(['abcd', 'efgh', 'ij']);
  });
  it('returns one chunk for empty text and the whole text when it fits', () => {
    expect(chunkParagraphs('')).toEqual([{ idx: 0, text: '', start: 0, end: 0 }]);
    expect(chunkParagraphs('\n\nshort\n\n')).toEqual([{ idx: 0, text: 'short', start: 2, end: 7 }]);
  });
});

describe('parseChunkSpec', () => {
  it('parses the CLI forms', () => {
    expect(parseChunkSpec('none')).toEqual({ kind: 'none' });
    expect(parseChunkSpec('tokens:256:32')).toEqual({ kind: 'tokens', size: 256, overlap: 32 });
    expect(parseChunkSpec('paragraphs')).toEqual({ kind: 'paragraphs', maxChars: 1000 });
    expect(parseChunkSpec('paragraphs:500')).toEqual({ kind: 'paragraphs', maxChars: 500 });
  });
  it('rejects malformed specs', () => {
    expect(() => parseChunkSpec('tokens:256')).toThrow(/expected tokens:SIZE:OVERLAP/);
    expect(() => parseChunkSpec('tokens:32:32')).toThrow(/OVERLAP must be smaller than SIZE/);
    expect(() => parseChunkSpec('tokens:a:1')).toThrow(/SIZE must be a whole number, got "a"/);
    expect(() => parseChunkSpec('words')).toThrow(/unknown chunking "words"/);
  });
  it('chunkText dispatches on the spec', () => {
    expect(chunkText('x y', { kind: 'none' })).toHaveLength(1);
    expect(() => chunkText('x y', { kind: 'tokens', size: 2, overlap: 0 })).toThrow(/needs the token spans/);
    expect(chunkText('x y z', { kind: 'tokens', size: 2, overlap: 0 }, spansOf('x y z')).map((c) => c.text)).toEqual(['x y', 'z']);
  });
});

describe('chunkDocument', () => {
  const body = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
  it('chunks the body, keeps the first maxChunks, and puts the title on every chunk', () => {
    const spec = { kind: 'tokens', size: 4, overlap: 0 } as const;
    const all = chunkDocument({ title: 'ls', text: body }, spec, spansOf(body), 0);
    expect(all.length).toBe(10);
    const capped = chunkDocument({ title: 'ls', text: body }, spec, spansOf(body));
    expect(capped.length).toBe(DEFAULT_MAX_CHUNKS);
    expect(capped[1]).toMatchObject({ idx: 1, text: 'w4 w5 w6 w7', unitText: 'ls: w4 w5 w6 w7' });
    expect(body.slice(capped[1].start, capped[1].end)).toBe(capped[1].text);
    expect(chunkDocument({ title: '', text: body }, spec, spansOf(body), 2).map((c) => c.unitText)).toEqual(['w0 w1 w2 w3', 'w4 w5 w6 w7']);
  });
});

describe('MaxP', () => {
  it('round-trips chunk ids, even when the doc id contains #', () => {
    expect(parseChunkId(chunkId('man#ls', 3))).toEqual({ docId: 'man#ls', idx: 3 });
    expect(() => parseChunkId('nochunk')).toThrow(/not a chunk id: "nochunk"/);
    expect(() => parseChunkId('doc#x')).toThrow(/not a chunk id/);
  });
  it('scores a document as its best chunk and remembers which', () => {
    const hits: Array<[string, number]> = [['a#2', 0.9], ['b#0', 0.8], ['a#0', 0.7], ['c#1', 0.85], ['b#3', 0.95]];
    expect(maxP(hits)).toEqual([
      { docId: 'b', score: 0.95, chunk: 3 },
      { docId: 'a', score: 0.9, chunk: 2 },
      { docId: 'c', score: 0.85, chunk: 1 },
    ]);
    expect(maxPHits(hits, 2)).toEqual([['b', 0.95], ['a', 0.9]]);
  });
});
