import { describe, expect, it } from 'vitest';
import { Bm25Index, detectTokenizer, tokenize, unsegmentedShare, type TokenizerKind } from './index';

const KINDS: TokenizerKind[] = ['latin', 'cjk-bigram', 'segmenter'];

describe('tokenize: unsegmented scripts', () => {
  it('latin keeps a whole kana/kanji run as one token (the reference behaviour)', () => {
    expect(tokenize('長い規格書や仕様書の検索')).toEqual(['長い規格書や仕様書の検索']);
  });

  it('segments Japanese into words with Intl.Segmenter', () => {
    expect(tokenize('長い規格書や仕様書の検索', 'segmenter')).toEqual(['長い', '規格', '書', 'や', '仕様', '書', 'の', '検索']);
  });

  it('cuts Japanese into overlapping character bigrams', () => {
    expect(tokenize('仕様書の検索', 'cjk-bigram')).toEqual(['仕様', '様書', '書の', 'の検', '検索']);
    // a lone CJK character between Latin letters stays a unigram
    expect(tokenize('gnome用', 'cjk-bigram')).toEqual(['gnome', '用']);
  });

  it('segments Chinese', () => {
    expect(tokenize('我们在北京大学学习中文', 'segmenter')).toEqual(['我们', '在', '北京', '大学', '学习', '中文']);
    expect(tokenize('北京大学', 'cjk-bigram')).toEqual(['北京', '京大', '大学']);
  });

  it('segments Thai with its vowel signs and tone marks inside the words', () => {
    const want = ['ภาษา', 'ไทย', 'ง่าย', 'นิด', 'เดียว'];
    expect(tokenize('ภาษาไทยง่ายนิดเดียว', 'segmenter')).toEqual(want);
    // Thai has no useful bigrams: cjk-bigram hands it to the segmenter too
    expect(tokenize('ภาษาไทยง่ายนิดเดียว', 'cjk-bigram')).toEqual(want);
    // latin splits at the combining marks (Python's \w), which is why Thai needs another kind
    expect(tokenize('ง่าย')).toEqual(['ง', 'าย']);
  });

  it('cuts Korean Hangul into bigrams, or words with the segmenter', () => {
    expect(tokenize('형태소 분석기', 'cjk-bigram')).toEqual(['형태', '태소', '분석', '석기']);
    expect(tokenize('형태소 분석기', 'segmenter')).toEqual(['형태소', '분석기']);
  });

  it('mixed Japanese/English: the English words come out exactly as latin', () => {
    const text = 'GNOME用のPDFビューア (Evince) v2.36; foo_bar-baz';
    expect(tokenize(text, 'segmenter')).toEqual(['gnome', '用', 'の', 'pdf', 'ビューア', 'evince', 'v2', '36', 'foo_bar', 'baz']);
    expect(tokenize(text, 'cjk-bigram')).toEqual(['gnome', '用の', 'pdf', 'ビュ', 'ュー', 'ーア', 'evince', 'v2', '36', 'foo_bar', 'baz']);
  });

  it('text without unsegmented scripts tokenizes identically under every kind', () => {
    const samples = [
      'The GNU C Library (glibc) v2.36; foo_bar-baz',
      'Ça déjà vu — naïve résumé',
      '½ x² Ⅻ 3.14 ß',
      'cafe\u0301 नमस्ते', // combining marks split words, as in the reference
      "don't e.g. a.d. 500 B.C.",
    ];
    for (const s of samples) for (const k of KINDS) expect(tokenize(s, k), `${k}: ${s}`).toEqual(tokenize(s));
  });
});

describe('detectTokenizer', () => {
  it('keeps latin for English text, even with a few Japanese words in it', () => {
    const english = ['IPA fonts for Japanese: IPAゴシック and IPA明朝 glyphs in TrueType format, for use with X and GTK applications.'];
    expect(unsegmentedShare(english)).toBeGreaterThan(0);
    expect(detectTokenizer(english)).toBe('latin');
    expect(detectTokenizer([])).toBe('latin');
  });
  it('picks the segmenter for a Japanese corpus full of English names', () => {
    expect(detectTokenizer(['0 A.D. は自由でオープンソースの、クロスプラットフォームな、古代戦争のリアルタイム戦略ゲームです。'])).toBe('segmenter');
    expect(detectTokenizer(['ภาษาไทยง่ายนิดเดียว'])).toBe('segmenter');
  });
});

describe('Bm25Index with a tokenizer', () => {
  const docs = [
    { id: 'ja1', text: '仕様書の検索ツール' },
    { id: 'ja2', text: 'リアルタイム戦略ゲーム' },
    { id: 'ja3', text: '画像ビューア' },
  ];
  it('auto resolves from the documents and is stored with the index', () => {
    const index = Bm25Index.build(docs, { tokenizer: 'auto' });
    expect(index.params.tokenizer).toBe('segmenter');
    expect(index.search('戦略ゲームを探す', 3).map((h) => h[0])).toEqual(['ja2']);
    expect(Bm25Index.build([{ id: 'e', text: 'an English text' }], { tokenizer: 'auto' }).params.tokenizer).toBe('latin');
  });
  it('latin (the default) finds nothing inside a Japanese sentence', () => {
    const index = Bm25Index.build(docs);
    expect(index.params.tokenizer).toBe('latin');
    expect(index.search('戦略ゲームを探す', 3)).toEqual([]);
  });
  it('queries are cut with the index tokenizer', () => {
    const index = Bm25Index.build(docs, { tokenizer: 'cjk-bigram' });
    expect(index.search('ビューア', 3).map((h) => h[0])).toEqual(['ja3']);
    expect(index.scoreDoc('ビューア', 'ja3')).toBeGreaterThan(0);
  });
});
