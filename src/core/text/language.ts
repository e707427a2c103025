// The language(s) of a dataset's texts, as ISO 639-1 codes for the dataset card's `language`
// field. Deliberately narrow: scripts decide Japanese (kana), Korean (Hangul), Chinese (Han
// without kana) and Russian-style Cyrillic is left out (many languages share it); Latin text
// counts as English only when English function words are frequent, since the Hub would rather
// have no code than a wrong one. A second language is listed when it holds a real share.

const JA = /[\p{sc=Hiragana}\p{sc=Katakana}]/gu;
const HAN = /\p{sc=Han}/gu;
const KO = /\p{sc=Hangul}/gu;
const LATIN = /\p{sc=Latin}/gu;
const WORD = /[a-z]+(?:'[a-z]+)?/g;

/** Frequent English function words: in English prose roughly a third of all words. */
const EN_WORDS = new Set('the of and to a in is it that for on with as by this are be or from an at which can not you your its has have was will'.split(' '));

/** Share of a language's letters among all counted letters above which it is listed. */
export const LANGUAGE_SHARE = 0.2;
/** Share of English function words among Latin words above which Latin text counts as English. */
export const ENGLISH_WORD_SHARE = 0.12;

export function detectLanguages(texts: Iterable<string>): string[] {
  let ja = 0;
  let han = 0;
  let ko = 0;
  let latin = 0;
  let words = 0;
  let enWords = 0;
  for (const t of texts) {
    ja += t.match(JA)?.length ?? 0;
    han += t.match(HAN)?.length ?? 0;
    ko += t.match(KO)?.length ?? 0;
    latin += t.match(LATIN)?.length ?? 0;
    for (const w of t.toLowerCase().match(WORD) ?? []) {
      words++;
      if (EN_WORDS.has(w)) enWords++;
    }
  }
  // Han letters belong to Japanese when kana are there too, else to Chinese.
  const counts: Array<[string, number]> = [
    ['ja', ja > 0 ? ja + han : 0],
    ['zh', ja > 0 ? 0 : han],
    ['ko', ko],
    ['en', words > 0 && enWords / words >= ENGLISH_WORD_SHARE ? latin : 0],
  ];
  const total = ja + han + ko + latin;
  if (total === 0) return [];
  return counts
    .filter(([, c]) => c / total >= LANGUAGE_SHARE)
    .sort((a, b) => b[1] - a[1])
    .map(([code]) => code);
}
