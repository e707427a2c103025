// The BM25 tokenizer: lowercase, then runs of Unicode letters, digits and underscore.
//
// This reproduces Python's `re.findall(r"\w+", text.lower())` (what the reference
// recipe/bm25_check.py and most Python BM25 scripts use). Python's `\w` on str is
// `str.isalnum() or "_"`, i.e. Unicode categories L* and N* plus "_"; combining marks
// (M*) are NOT word characters there, so "cafe\u0301" yields ["cafe"] and Devanagari vowel
// signs split words. We therefore deliberately leave \p{M} out: with it, 6 documents of
// the Debian corpus would tokenize differently from the reference.
const WORD = /[\p{L}\p{N}_]+/gu;

/** Lowercased `\w+` tokens of `text`, in order, duplicates kept. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
