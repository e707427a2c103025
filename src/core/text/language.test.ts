import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguages } from './language';

const SHARED = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
const texts = (set: string, n = 300) =>
  readFileSync(resolve(SHARED, 'data', set, 'corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((l) => (JSON.parse(l) as { text: string }).text);

describe('detectLanguages', () => {
  it('the shared corpora: Debian descriptions and man pages are English, their Japanese translation Japanese', () => {
    expect(detectLanguages(texts('debian-pkgs'))).toEqual(['en']);
    expect(detectLanguages(texts('manpages'))).toEqual(['en']);
    // Full of English package names, yet Japanese.
    expect(detectLanguages(texts('debian-pkgs-ja'))).toEqual(['ja']);
  });

  it('scripts: kana → ja, Han alone → zh, Hangul → ko', () => {
    expect(detectLanguages(['これは日本語の文です。'])).toEqual(['ja']);
    expect(detectLanguages(['这是一个中文句子。'])).toEqual(['zh']);
    expect(detectLanguages(['이것은 한국어 문장입니다.'])).toEqual(['ko']);
  });

  it('Latin text is English only with English function words; otherwise no code rather than a wrong one', () => {
    expect(detectLanguages(['The editor is a tool for the terminal and it has plugins.'])).toEqual(['en']);
    expect(detectLanguages(['Der Editor ist ein Werkzeug für das Terminal und hat Erweiterungen.'])).toEqual([]);
    expect(detectLanguages(['', '1234'])).toEqual([]);
  });

  it('a bilingual set lists both, the larger first', () => {
    expect(detectLanguages(['これは日本語の長い文章です。もっと長くします。', 'This is an English sentence of the same length.'])).toEqual(['en', 'ja']);
  });
});
