import { describe, expect, it } from 'vitest';
import { alignTokenSpans } from './token-spans';

describe('alignTokenSpans', () => {
  it('maps words, punctuation, accents and continuations to character spans', () => {
    const text = 'Hello World, héllo!';
    const spans = alignTokenSpans(text, ['hello', 'world', ',', 'hello', '!']);
    expect(spans).toEqual([[0, 5], [6, 11], [11, 12], [13, 18], [18, 19]]);
  });

  it('splits a word into its ## pieces', () => {
    const text = '  Unbelievably  fast';
    expect(alignTokenSpans(text, ['un', '##believ', '##ably', 'fast'])).toEqual([[2, 4], [4, 10], [10, 14], [16, 20]]);
  });

  it('gives [UNK] its whole word and resumes at the next one', () => {
    const text = 'a 𝔘𝔫𝔦 b.';
    const spans = alignTokenSpans(text, ['a', '[UNK]', 'b', '.']);
    expect(spans.map(([s, e]) => text.slice(s, e))).toEqual(['a', '𝔘𝔫𝔦', 'b', '.']);
  });

  it('keeps spans ordered and inside the text even when pieces do not match', () => {
    const text = 'foo bar';
    const spans = alignTokenSpans(text, ['zzz', 'bar', 'extra']);
    expect(spans).toEqual([[0, 3], [4, 7], [7, 7]]);
  });
});
